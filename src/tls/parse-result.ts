/**
 * What every message parser in src/tls returns: a value, or the stable name of why the bytes
 * are not that message. Parsers never throw.
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
