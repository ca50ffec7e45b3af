/**
 * Imports the real lists of ../shared/intel (read from there, never copied) into a temp database
 * and checks the counts the README gives. Skipped when /work/shared/intel is absent.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readIntelFile } from '../../src/intel/import.js';
import { loadIntel } from '../../src/intel/lookup.js';
import { IntelStore } from '../../src/intel/store.js';

const INTEL = process.env.INTEL_DIR ?? '/work/shared/intel';
const present = existsSync(join(INTEL, 'fingerprints.csv'));
if (!present) console.warn(`intel corpus test skipped: ${INTEL} is absent (set INTEL_DIR to the shared intel folder)`);

const FILES: [string, string, number][] = [
  ['abuse_ch/sslblacklist.csv', 'abuse.ch-sslbl', 5522],
  ['abuse_ch/sslblacklist_addendum_2023-11-14_to_2023-12-22.csv', 'abuse.ch-sslbl', 43],
  ['abuse_ch/ja3_fingerprints.csv', 'abuse.ch-sslbl-ja3', 98],
  ['salesforce/osx-nix-ja3.csv', 'salesforce-ja3', 157],
  ['fingerprints.csv', 'fingerprints', 12478],
  ['c2/c2_cert_traits.csv', 'c2-traits', 79],
  ['misp_warninglists/mozilla_ca_fingerprints.csv', 'mozilla-ca', 8184],
  ['misp_warninglists/majestic_top10k_domains.csv', 'popular-domains', 9999],
  ['misp_warninglists/provider_domains.csv', 'provider-domains', 860],
  ['providers/microsoft_azure_cas.csv', 'azure-ca', 55],
];

describe.skipIf(!present)('importing ../shared/intel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'analyze-intel-corpus-'));
  const db = join(dir, 'intel.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(FILES)('%s is %s with %i rows', (file, format, rows) => {
    const p = readIntelFile(join(INTEL, file));
    expect(p.format).toBe(format);
    expect(p.rows).toHaveLength(rows);
  });

  it('the provider issuer seed gives one row per SNI suffix of 8 providers', () => {
    const p = readIntelFile(join(INTEL, 'providers/provider_issuers_seed.csv'));
    expect(p.format).toBe('provider-issuers');
    expect(new Set(p.rows.map((r) => r.label)).size).toBe(8);
  });

  it('ET Open and FoxIO files are refused with one line naming the file', () => {
    expect(() => readIntelFile(join(INTEL, 'et_open/et_open_tls_indicators.csv'))).toThrow(/et_open_tls_indicators\.csv: ET Open/);
    expect(() => readIntelFile(join(INTEL, 'foxio/ja4plus-mapping.csv'))).toThrow(/ja4plus-mapping\.csv: FoxIO/);
  });

  it('stores them, a re-import replaces the file rows, and the lookup sees them', () => {
    const store = IntelStore.open(db);
    try {
      for (const [file] of FILES) store.replaceFile(file, readIntelFile(join(INTEL, file)).rows);
      store.replaceFile('providers/provider_issuers_seed.csv', readIntelFile(join(INTEL, 'providers/provider_issuers_seed.csv')).rows);
      const total = store.total();
      store.replaceFile('abuse_ch/sslblacklist.csv', readIntelFile(join(INTEL, 'abuse_ch/sslblacklist.csv')).rows);
      expect(store.total()).toBe(total);
      const by = (file: string) => store.counts().filter((c) => c.file === file).reduce((a, c) => a + c.rows, 0);
      expect(by('sslblacklist.csv')).toBe(5522);
      expect(by('majestic_top10k_domains.csv')).toBe(9999);
      expect(by('fingerprints.csv')).toBeGreaterThan(12000);
    } finally {
      store.close();
    }
    const started = performance.now();
    const intel = loadIntel(db)!;
    expect(performance.now() - started).toBeLessThan(5000);
    expect(intel.c2Traits).toHaveLength(79);
    expect(intel.lookup.certSha1('2e3519b7cb61a3cd6167f727df993f68311085ea')).toMatchObject({ verdict: 'malicious', label: 'DCRat C&C' });
    expect(intel.lookup.popularDomain!('www.google.com')).not.toBeNull();
    expect(intel.lookup.providerOf!('login.microsoftonline.com')).toMatchObject({ provider: 'Microsoft' });
  });
});
