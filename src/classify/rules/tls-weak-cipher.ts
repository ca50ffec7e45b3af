/**
 * tls.weak-cipher — NULL (no encryption), EXPORT (40/56-bit), RC4 (RFC 7465 prohibits it) or
 * anonymous (no authentication) cipher suites: selected -> high, only offered -> low.
 * The offered list comes from the JA3 string's cipher field (decimal codes, GREASE removed),
 * else from JA4_r (hex, sorted); names from the IANA registry table.
 * Source: issue 5 "Legacy ... cipher"; RFC 7465, RFC 8996.
 */
import { cipherName } from '../../tls/registry/cipher-suites.js';
import { finding, type Rule } from '../rule.js';
import { LIMITS } from '../../config/limits.js';
import { Memo } from '../../memo.js';

export function weakness(name: string): string | null {
  const n = name.toUpperCase();
  if (n.includes('EMPTY_RENEGOTIATION_INFO') || n.includes('FALLBACK_SCSV')) return null;
  if (/_ANON_|_anon_/i.test(name) || /^TLS_(ECDH|DH)_ANON/.test(n)) return 'anonymous';
  if (n.includes('EXPORT')) return 'export';
  if (n.includes('_NULL_') || n.endsWith('_NULL') || n.includes('WITH_NULL')) return 'null';
  if (n.includes('RC4')) return 'rc4';
  return null;
}

/** weakness() by cipher code, remembered: a run sees the same few hundred codes over and over. */
const weaknessByCode = new Map<number, string | null>();
function weaknessOf(code: number): string | null {
  let w = weaknessByCode.get(code);
  if (w === undefined) {
    w = weakness(cipherName(code));
    weaknessByCode.set(code, w);
  }
  return w;
}

/** Cipher suite codes the client offered, or null when no ClientHello string is available. */
export function offeredCiphers(ja3String: string | null, ja4R: string | null): number[] | null {
  if (ja3String) {
    const field = ja3String.split(',')[1] ?? '';
    return field === '' ? [] : field.split('-').map(Number).filter((n) => Number.isInteger(n));
  }
  if (ja4R) {
    const field = ja4R.split('_')[1] ?? '';
    return field === '' ? [] : field.split(',').map((h) => parseInt(h, 16)).filter((n) => Number.isInteger(n));
  }
  return null;
}

interface WeakCipher {
  code: number;
  name: string;
  weakness: string | null;
}

const weakByOffer = new Memo<readonly WeakCipher[]>(LIMITS.maxMemoEntries);

/** The weak suites among those offered, by the JA3 string (else JA4_r): a run repeats a few offers. */
function weakOffered(ja3String: string | null, ja4R: string | null): readonly WeakCipher[] {
  const key = ja3String ? `3${ja3String}` : ja4R ? `4${ja4R}` : null;
  if (key === null) return [];
  return weakByOffer.get(key, () =>
    (offeredCiphers(ja3String, ja4R) ?? [])
      .map((code) => ({ code, name: cipherName(code), weakness: weaknessOf(code) }))
      .filter((c) => c.weakness !== null),
  );
}

export const tlsWeakCipher: Rule = {
  id: 'tls.weak-cipher',
  severity: 'high',
  title: 'Weak cipher suite',
  description: 'A NULL, EXPORT, RC4 or anonymous cipher suite was selected (high) or offered by the client (low).',
  evaluate(s) {
    const t = s.tls;
    if (!t) return [];
    if (t.cipher) {
      const w = weakness(t.cipher);
      if (w) return [finding(this, `server selected ${w} cipher suite ${t.cipher}`, { cipher: t.cipher, weakness: w, version: t.version })];
    }
    const offered = weakOffered(t.ja3_string, t.ja4_r);
    if (offered.length === 0) return [];
    return [finding(this, `client offered ${offered.length} weak cipher suite(s): ${offered.slice(0, 5).map((c) => c.name).join(', ')}${offered.length > 5 ? ', ...' : ''}`,
      { offered_weak: offered.map((c) => ({ name: c.name, weakness: c.weakness })), selected: t.cipher }, 'low')];
  },
};
