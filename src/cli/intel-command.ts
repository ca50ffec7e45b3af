/**
 * `analyze intel import FILE... [--db PATH]`: detect each indicator list's format
 * (intel/import.ts) and load it into the database's `intel` table; a file's rows replace the rows
 * imported before from a file of the same name. Prints rows stored per kind.
 * `analyze intel list [--db PATH]`: rows per file, list (source), kind and verdict.
 * Later `analyze --pcap ... --db PATH` runs use them (intel.*, cert.impersonation, C2 traits).
 * `analyze intel update` (download the abuse.ch feeds) is not implemented.
 */
import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import { readIntelFile, type ParsedIntel } from '../intel/import.js';
import { IntelStore } from '../intel/store.js';
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
    .demandCommand(1, 'name an intel command: import or list');
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
