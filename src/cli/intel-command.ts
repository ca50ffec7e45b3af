/**
 * `analyze intel import FILE... [--db PATH]`: detect each indicator list's format
 * (intel/import.ts) and load it into the database's `intel` table; a file's rows replace the rows
 * imported before from a file of the same name. Prints rows stored per kind.
 * `analyze intel list [--db PATH]`: rows per file, list (source), kind and verdict.
 * Later `analyze --pcap ... --db PATH` runs use them (intel.*, cert.impersonation, C2 traits).
 * `analyze intel update [--source NAME...] [--url NAME=URL] [--ca-file PEM] [--db PATH]`: download
 * the abuse.ch SSLBL feeds (intel/update.ts) and store them through the same path as `import`;
 * every feed is downloaded and parsed before anything is stored, so a failure changes nothing.
 */
import type { Argv } from 'yargs';
import { readFileSync } from 'node:fs';
import { InputError, UsageError } from '../errors.js';
import { parseIntel, readIntelFile, type ParsedIntel } from '../intel/import.js';
import { IntelStore } from '../intel/store.js';
import { DEFAULT_TIMEOUT_MS, downloadText, FetchError, INTEL_FEEDS, type DownloadOptions, type IntelFeed } from '../intel/update.js';
import { DEFAULT_DB } from './analyze-command.js';

export function intelOptions(y: Argv) {
  return y
    .command('import <files..>', 'load indicator lists (abuse.ch, salesforce, fingerprints.csv, C2 traits, MISP CA/domain lists, providers/)', (c) =>
      c.positional('files', { type: 'string', array: true, demandOption: true, describe: 'CSV files to import' })
        .option('db', { type: 'string', default: DEFAULT_DB, requiresArg: true, describe: 'SQLite database the intel is stored in (created when missing)' }),
    (args) => {
      process.stdout.write(runIntelImport(args.files.map(String), args.db));
    })
    .command('list', 'imported intel: rows per file, list, kind and verdict', (c) =>
      c.option('db', { type: 'string', default: DEFAULT_DB, requiresArg: true, describe: 'SQLite database written by analyze' }),
    (args) => {
      process.stdout.write(runIntelList(args.db));
    })
    .command('update', 'download the abuse.ch SSLBL certificate and JA3 lists over HTTPS and import them', (c) =>
      c.option('db', { type: 'string', default: DEFAULT_DB, requiresArg: true, describe: 'SQLite database the intel is stored in (created when missing)' })
        .option('source', { type: 'string', array: true, choices: INTEL_FEEDS.map((f) => f.name), describe: 'feeds to download (default: all)' })
        .option('url', { type: 'string', array: true, requiresArg: true, describe: 'NAME=URL: download feed NAME from another https URL (a mirror)' })
        .option('ca-file', { type: 'string', requiresArg: true, describe: 'PEM file of extra CA certificates to trust (NODE_EXTRA_CA_CERTS also works)' })
        .option('timeout', { type: 'number', default: DEFAULT_TIMEOUT_MS / 1000, requiresArg: true, describe: 'seconds allowed per feed download' }),
    async (args) => {
      process.stdout.write(await runIntelUpdate({ db: args.db, sources: args.source, urls: args.url, caFile: args['ca-file'], timeoutSeconds: args.timeout }));
    })
    .demandCommand(1, 'name an intel command: import, list or update');
}

/** Parses every file first (nothing is stored when one is unusable), then stores each. */
export function runIntelImport(files: readonly string[], db: string): string {
  const parsed: { file: string; intel: ParsedIntel }[] = [];
  for (const file of files) {
    try {
      parsed.push({ file, intel: readIntelFile(file) });
    } catch (e) {
      throw new InputError((e as Error).message, 'INTEL_FORMAT');
    }
  }
  return storeParsed(parsed, db);
}

/** Store parsed lists (each replacing the rows of its file name) and describe what was stored. */
function storeParsed(parsed: readonly { file: string; intel: ParsedIntel }[], db: string): string {
  const store = IntelStore.open(db);
  try {
    const lines: string[] = [];
    for (const { file, intel } of parsed) {
      const counts = store.replaceFile(file, intel.rows);
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const per = [...counts.entries()].map(([k, n]) => `${k} ${n}`).join(', ');
      lines.push(`${file}: ${intel.format}, ${total} rows${per ? ` (${per})` : ''}`);
    }
    lines.push(`Stored in ${db}; ${store.total()} intel rows in all.`);
    return lines.join('\n') + '\n';
  } finally {
    store.close();
  }
}

export function runIntelList(db: string): string {
  const store = IntelStore.open(db, { create: false });
  try {
    const counts = store.counts();
    if (counts.length === 0) return `${db}: no intel imported (analyze intel import FILE... --db ${db})\n`;
    const w = (k: 'file' | 'source' | 'kind'): number => Math.max(k.length, ...counts.map((c) => c[k].length));
    const [fw, sw, kw] = [w('file'), w('source'), w('kind')];
    const lines = [`${'file'.padEnd(fw)}  ${'source'.padEnd(sw)}  ${'kind'.padEnd(kw)}  ${'verdict'.padEnd(9)}  rows`];
    for (const c of counts) lines.push(`${c.file.padEnd(fw)}  ${c.source.padEnd(sw)}  ${c.kind.padEnd(kw)}  ${c.verdict.padEnd(9)}  ${c.rows}`);
    lines.push(`${counts.reduce((a, c) => a + c.rows, 0)} rows`);
    return lines.join('\n') + '\n';
  } finally {
    store.close();
  }
}

export interface IntelUpdateOptions {
  db: string;
  sources?: readonly string[] | undefined;
  /** `NAME=URL` overrides. */
  urls?: readonly string[] | undefined;
  caFile?: string | undefined;
  timeoutSeconds?: number | undefined;
  maxBytes?: number | undefined;
}

const NOTHING_CHANGED = "nothing changed — import files with 'analyze intel import FILE'";

/** Download every selected feed, check its format, then store them all (nothing is stored on any failure). */
export async function runIntelUpdate(o: IntelUpdateOptions): Promise<string> {
  const names = o.sources && o.sources.length > 0 ? new Set(o.sources) : null;
  const feeds: IntelFeed[] = INTEL_FEEDS.filter((f) => names === null || names.has(f.name)).map((f) => ({ ...f }));
  for (const spec of o.urls ?? []) {
    const eq = spec.indexOf('=');
    const name = eq > 0 ? spec.slice(0, eq) : '';
    const url = eq > 0 ? spec.slice(eq + 1) : '';
    if (!INTEL_FEEDS.some((f) => f.name === name)) throw new UsageError(`intel update: --url ${spec}: expected NAME=URL with NAME one of ${INTEL_FEEDS.map((f) => f.name).join(', ')}`);
    let parsedUrl: URL;
    try {
      parsedUrl = new URL(url);
    } catch {
      throw new UsageError(`intel update: --url ${spec}: not a URL`);
    }
    if (parsedUrl.protocol !== 'https:') throw new UsageError(`intel update: --url ${spec}: only https URLs are downloaded`);
    const feed = feeds.find((f) => f.name === name);
    if (feed) feed.url = parsedUrl.href;
  }
  if (o.timeoutSeconds !== undefined && !(o.timeoutSeconds > 0)) throw new UsageError('intel update: --timeout must be a positive number of seconds');
  const download: DownloadOptions = { timeoutMs: (o.timeoutSeconds ?? DEFAULT_TIMEOUT_MS / 1000) * 1000 };
  if (o.maxBytes !== undefined) download.maxBytes = o.maxBytes;
  if (o.caFile !== undefined) {
    try {
      download.ca = readFileSync(o.caFile, 'utf8');
    } catch (e) {
      throw new InputError(`intel update: --ca-file ${o.caFile}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'INTEL_CA');
    }
    if (!download.ca.includes('-----BEGIN CERTIFICATE-----')) throw new InputError(`intel update: --ca-file ${o.caFile}: no PEM certificate in it`, 'INTEL_CA');
  }

  const parsed: { file: string; intel: ParsedIntel }[] = [];
  for (const feed of feeds) {
    let text: string;
    try {
      text = await downloadText(feed.url, download);
    } catch (e) {
      if (!(e instanceof FetchError)) throw e;
      const what = e.reachable ? `${e.host} answered ${feed.url} with ${e.reason}` : `cannot reach ${e.host} (${e.reason})`;
      throw new InputError(`intel update: ${what}; ${NOTHING_CHANGED}`, 'INTEL_FETCH');
    }
    let intel: ParsedIntel;
    try {
      intel = parseIntel(text, feed.url);
    } catch (e) {
      throw new InputError(`intel update: ${(e as Error).message}; ${NOTHING_CHANGED}`, 'INTEL_FORMAT');
    }
    if (intel.format !== feed.format) {
      throw new InputError(`intel update: ${feed.url}: got a ${intel.format} list, expected ${feed.format} for source ${feed.name}; ${NOTHING_CHANGED}`, 'INTEL_FORMAT');
    }
    parsed.push({ file: feed.file, intel });
  }
  const stored = storeParsed(parsed, o.db);
  return feeds.map((f) => `${f.name}: downloaded ${f.url}`).join('\n') + '\n' + stored;
}
