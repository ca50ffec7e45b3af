/**
 * Fingerprint assembly and hashing checked against the peer corpus (../shared/corpus/expected.json):
 * for every connection with a raw JA4 (ja4_ro, else ja4_r) a ClientHelloModel is rebuilt from the raw
 * lists and its fingerprints must reproduce the peers' ja4 / ja4_r / ja4_o / ja4_ro; every JA3 and
 * JA3S string must hash to the same oracle's MD5 and rebuild to itself. Skipped when ../shared is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { md5Hex } from '../../../src/fingerprint/hash.js';
import { ja3 } from '../../../src/fingerprint/ja3.js';
import { ja3s } from '../../../src/fingerprint/ja3s.js';
import { ja4 } from '../../../src/fingerprint/ja4.js';
import type { ClientHelloModel } from '../../../src/model/handshake.js';
import { ascii, clientHello, exts, serverHello } from './hello.js';

const EXPECTED = fileURLToPath(new URL('../../../../shared/corpus/expected.json', import.meta.url));
const present = existsSync(EXPECTED);

interface Connection {
  client: string;
  ja3?: string | null;
  ja3_string?: string | null;
  ja3s?: string | null;
  ja3s_string?: string | null;
  ja4?: string | null;
  ja4_r?: string | null;
  ja4_o?: string | null;
  ja4_ro?: string | null;
  values_by_oracle?: Record<string, OracleValues>;
}
interface OracleValues {
  ja3?: string;
  ja3_string?: string;
  ja3s?: string;
  ja3s_string?: string;
}
interface Entry {
  file: string;
  connections: Connection[];
}

const VERSION_OF_CODE: Record<string, number> = {
  '13': 0x0304, '12': 0x0303, '11': 0x0302, '10': 0x0301, s3: 0x0300, s2: 0x0002, d1: 0xfeff, d2: 0xfefd, d3: 0xfefc,
};

const hexList = (s: string | undefined): number[] => (s ? s.split(',').map((h) => parseInt(h, 16)) : []);
const decList = (s: string | undefined): number[] => (s ? s.split('-').map(Number) : []);

/**
 * A hello model whose JA4 section a and lists are those of a raw JA4 string. With `original`
 * (ja4_ro) the extension list already holds SNI and ALPN; from ja4_r they are put back as the
 * section a says (d = SNI present; an extension count one higher than the lists = ALPN present).
 */
function helloFromRawJa4(raw: string, original: boolean): ClientHelloModel {
  const [a = '', ciphers, extensions, sigalgs] = raw.split('_');
  const transport = a[0] as 't' | 'q' | 'd';
  const code = a.slice(1, 3);
  const sni = a[3] === 'd';
  const extCount = Number(a.slice(6, 8));
  const alpnChars = a.slice(8, 10);
  let types = hexList(extensions);
  if (!original) {
    const withAlpn = alpnChars !== '00' || (extCount < 99 && extCount === types.length + (sni ? 1 : 0) + 1);
    types = [...(sni ? [0x0000] : []), ...(withAlpn ? [0x0010] : []), ...types];
  }
  const version = VERSION_OF_CODE[code];
  return clientHello({
    transport,
    // An unknown version ("00") becomes a legacy version JA4 does not know.
    version: version ?? 0x0100,
    supportedVersions: version === undefined || version < 0x0304 ? [] : [version],
    ciphers: hexList(ciphers),
    extensions: exts(...types),
    sni: sni ? 'x' : null,
    alpn: alpnChars === '00' ? [] : [ascii(alpnChars)],
    signatureAlgorithms: hexList(sigalgs),
  });
}

function load(): Entry[] {
  return JSON.parse(readFileSync(EXPECTED, 'utf8')) as Entry[];
}

describe.skipIf(!present)('corpus: ../shared/corpus/expected.json', () => {
  it('JA4: rebuilt hellos reproduce the peers\' ja4, ja4_r, ja4_o, ja4_ro', () => {
    let connections = 0;
    let compared = 0;
    const mismatches: string[] = [];
    for (const entry of load()) {
      for (const c of entry.connections) {
        const raw = c.ja4_ro ?? c.ja4_r;
        if (!raw) continue;
        connections++;
        const got = ja4(helloFromRawJa4(raw, raw === c.ja4_ro));
        for (const key of ['ja4', 'ja4_r', 'ja4_o', 'ja4_ro'] as const) {
          const want = c[key];
          if (!want) continue;
          compared++;
          if (got[key] !== want) mismatches.push(`${entry.file} ${c.client} ${key}: got ${got[key]} want ${want}`);
        }
      }
    }
    console.info(`corpus JA4: ${compared - mismatches.length}/${compared} values agree (${connections} connections)`);
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(300);
  });

  it('JA3 / JA3S: md5(string) equals the hash of the same oracle, and the string rebuilds to itself', () => {
    let checked = 0;
    const skipped: string[] = [];
    const mismatches: string[] = [];
    for (const entry of load()) {
      for (const c of entry.connections) {
        // Hash and string are paired per oracle: the top-level ja3s may come from a peer that
        // reports the HelloRetryRequest while tshark's string is the final ServerHello's.
        for (const v of Object.values(c.values_by_oracle ?? {})) {
          if (v.ja3_string && v.ja3) {
            checked++;
            const f = v.ja3_string.split(',');
            if (f.length !== 5) {
              // tshark 4.0 prints a cut string for some malformed hellos (e.g. "769,,").
              skipped.push(`${entry.file} ${v.ja3_string}`);
              if (md5Hex(v.ja3_string) !== v.ja3) mismatches.push(`${entry.file} ja3 md5 ${v.ja3_string}`);
              continue;
            }
            const got = ja3(
              clientHello({
                version: Number(f[0]),
                ciphers: decList(f[1]),
                extensions: exts(...decList(f[2])),
                supportedGroups: decList(f[3]),
                ecPointFormats: decList(f[4]),
              }),
            );
            if (got?.raw !== v.ja3_string || got.hash !== v.ja3) mismatches.push(`${entry.file} ja3 ${v.ja3_string} -> ${got?.raw} ${got?.hash}`);
          }
          if (v.ja3s_string && v.ja3s) {
            checked++;
            const [version, cipher, extensions] = v.ja3s_string.split(',');
            const got = ja3s(serverHello({ version: Number(version), cipher: Number(cipher), extensions: exts(...decList(extensions)) }));
            if (got?.raw !== v.ja3s_string || got.hash !== v.ja3s) mismatches.push(`${entry.file} ja3s ${v.ja3s_string} -> ${got?.raw} ${got?.hash}`);
          }
        }
      }
    }
    console.info(
      `corpus JA3/JA3S: ${checked - mismatches.length}/${checked} string+hash pairs agree; ` +
        `${skipped.length} tshark strings not of 5 fields only hashed: ${skipped.join('; ')}`,
    );
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });
});

describe.skipIf(present)('corpus', () => {
  it('skipped: ../shared/corpus/expected.json not found (run beside ../shared to compare with peers)', () => {
    expect(present).toBe(false);
  });
});
