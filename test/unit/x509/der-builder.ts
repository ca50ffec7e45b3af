/**
 * Test-only: builds X.509 certificates at test time with a tiny DER encoder and node:crypto
 * signatures, for what openssl 3.0 cannot make directly: chosen validity dates (expired,
 * pre-1970, GeneralizedTime), NUL bytes in names, MD5/SHA-1 signatures, odd encodings.
 * Nothing generated is written to the repository.
 */
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const n = body.length;
  let len: number[];
  if (n < 0x80) len = [n];
  else if (n < 0x100) len = [0x81, n];
  else if (n < 0x10000) len = [0x82, n >> 8, n & 0xff];
  else len = [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Uint8Array.from(Buffer.concat([Uint8Array.of(tag, ...len), body]));
}

export const seq = (...p: Uint8Array[]) => tlv(0x30, ...p);
export const set = (...p: Uint8Array[]) => tlv(0x31, ...p);
export const ctx = (n: number, ...p: Uint8Array[]) => tlv(0xa0 | n, ...p);
export const ctxPrim = (n: number, b: Uint8Array) => tlv(0x80 | n, b);
export const octets = (b: Uint8Array) => tlv(0x04, b);
export const nul = () => Uint8Array.of(0x05, 0x00);
export const bool = (v: boolean) => Uint8Array.of(0x01, 0x01, v ? 0xff : 0x00);
export const bits = (b: Uint8Array, unused = 0) => tlv(0x03, Uint8Array.of(unused), b);
export const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
export const printable = (s: string) => tlv(0x13, Buffer.from(s, 'latin1'));
export const ia5 = (s: string) => tlv(0x16, Buffer.from(s, 'latin1'));

export function int(v: bigint | number): Uint8Array {
  let x = BigInt(v);
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(x & 0xffn));
    x >>= 8n;
  } while (x > 0n);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(BigInt);
  const out: number[] = [];
  const push = (v: bigint) => {
    const b: number[] = [Number(v & 0x7fn)];
    v >>= 7n;
    while (v > 0n) {
      b.unshift(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(...b);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, Uint8Array.from(out));
}

/** UTCTime for 1950..2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5), or forced. */
export function time(d: Date, form?: 'utc' | 'gen'): Uint8Array {
  const y = d.getUTCFullYear();
  const p2 = (n: number) => String(n).padStart(2, '0');
  const rest = `${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}Z`;
  const utc = form === 'utc' || (form === undefined && y >= 1950 && y < 2050);
  return utc ? tlv(0x17, Buffer.from(p2(y % 100) + rest)) : tlv(0x18, Buffer.from(String(y).padStart(4, '0') + rest));
}

/** A Name from [type OID, value] pairs given most-significant first (C, O, CN...). */
export function name(...atvs: [string, Uint8Array | string][]): Uint8Array {
  return seq(...atvs.map(([t, v]) => set(seq(oid(t), typeof v === 'string' ? utf8(v) : v))));
}

export const OID = {
  CN: '2.5.4.3',
  O: '2.5.4.10',
  C: '2.5.4.6',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha1WithRSA: '1.2.840.113549.1.1.5',
  md5WithRSA: '1.2.840.113549.1.1.4',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ed25519: '1.3.101.112',
} as const;

export type SigAlg = 'sha256WithRSA' | 'sha1WithRSA' | 'md5WithRSA' | 'ecdsaSha256' | 'ed25519';

export interface Extension {
  oid: string;
  critical?: boolean;
  value: Uint8Array;
}

export const ext = {
  basicConstraints: (ca: boolean, pathLen?: number): Extension => ({
    oid: '2.5.29.19',
    critical: true,
    value: seq(...(ca ? [bool(true)] : []), ...(pathLen !== undefined ? [int(pathLen)] : [])),
  }),
  keyUsage: (...bitsSet: number[]): Extension => {
    let v = 0;
    for (const b of bitsSet) v |= 0x8000 >> b;
    return { oid: '2.5.29.15', critical: true, value: bits(Uint8Array.of(v >> 8, v & 0xff), 0) };
  },
  /** Entries like ['dns', 'a.example'], ['ip', Uint8Array], ['email', 'x@y'], ['uri', 'https://x']. */
  san: (...names: [string, string | Uint8Array][]): Extension => ({
    oid: '2.5.29.17',
    value: seq(
      ...names.map(([k, v]) => {
        const tag = { email: 1, dns: 2, uri: 6, ip: 7 }[k]!;
        return ctxPrim(tag, typeof v === 'string' ? Buffer.from(v, 'latin1') : v);
      }),
    ),
  }),
  raw: (o: string, value: Uint8Array, critical = false): Extension => ({ oid: o, critical, value }),
};

export interface Spec {
  subject: Uint8Array;
  issuer?: Uint8Array;
  serial?: bigint;
  notBefore: Date;
  notAfter: Date;
  timeForm?: 'utc' | 'gen';
  /** The certified key (public part used). */
  key: KeyObject;
  /** The signer's private key (default: self-signed with `key`'s private key, given as signKey). */
  signKey: KeyObject;
  sigAlg: SigAlg;
  extensions?: Extension[];
}

function algId(a: SigAlg): Uint8Array {
  if (a === 'ecdsaSha256') return seq(oid(OID.ecdsaSha256));
  if (a === 'ed25519') return seq(oid(OID.ed25519));
  return seq(oid(OID[a]), nul());
}

export function buildCert(s: Spec): Uint8Array {
  const spki = (s.key.type === 'public' ? s.key : createPublicKey(s.key)).export({ type: 'spki', format: 'der' });
  const exts = s.extensions ?? [];
  const tbs = seq(
    ctx(0, int(2)),
    int(s.serial ?? 0x1234n),
    algId(s.sigAlg),
    s.issuer ?? s.subject,
    seq(time(s.notBefore, s.timeForm), time(s.notAfter, s.timeForm)),
    s.subject,
    Uint8Array.from(spki),
    ...(exts.length ? [ctx(3, seq(...exts.map((e) => seq(oid(e.oid), ...(e.critical ? [bool(true)] : []), octets(e.value)))))] : []),
  );
  const digest = { sha256WithRSA: 'sha256', sha1WithRSA: 'sha1', md5WithRSA: 'md5', ecdsaSha256: 'sha256', ed25519: null }[s.sigAlg];
  const sig = sign(digest, tbs, s.signKey);
  return seq(tbs, algId(s.sigAlg), bits(sig));
}

export function rsaKeys(bitsLen = 2048) {
  return generateKeyPairSync('rsa', { modulusLength: bitsLen });
}
export function ecKeys(namedCurve = 'P-256') {
  return generateKeyPairSync('ec', { namedCurve });
}
export function edKeys() {
  return generateKeyPairSync('ed25519');
}

/** µs since the epoch of an ISO date, the unit of capture time. */
export function us(iso: string): number {
  return Date.parse(iso) * 1000;
}
