/**
 * PEM (RFC 7468) certificate bundles: `-----BEGIN CERTIFICATE-----` blocks of base64 DER, any
 * text between blocks ignored (as OpenSSL does with explanatory text). Never throws.
 */
import { parseCertificate, type ParsedCertificate } from './certificate.js';

const BLOCK = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

/** The DER of every CERTIFICATE block, in order; `badBlocks` counts blocks that are not base64. */
export function pemBlocks(text: string): { ders: Uint8Array[]; badBlocks: number } {
  const ders: Uint8Array[] = [];
  let badBlocks = 0;
  for (const m of text.matchAll(BLOCK)) {
    const body = m[1]!.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 === 1) {
      badBlocks++;
      continue;
    }
    ders.push(Uint8Array.from(Buffer.from(body, 'base64')));
  }
  return { ders, badBlocks };
}

export type CaBundleResult = { ok: true; certificates: ParsedCertificate[] } | { ok: false; error: string };

/**
 * A site's CA bundle (`--ca-bundle FILE`): one or more PEM certificates, every one of which must
 * parse. The error is a one-line reason for the CLI to show.
 */
export function parseCaBundle(text: string): CaBundleResult {
  const { ders, badBlocks } = pemBlocks(text);
  if (badBlocks > 0) return { ok: false, error: `${badBlocks} CERTIFICATE block(s) are not valid base64` };
  if (ders.length === 0) return { ok: false, error: 'no PEM certificate (-----BEGIN CERTIFICATE-----) found' };
  const certificates: ParsedCertificate[] = [];
  for (let i = 0; i < ders.length; i++) {
    const r = parseCertificate(ders[i]!);
    if (!r.ok) return { ok: false, error: `certificate ${i + 1} of ${ders.length} is not a valid X.509 certificate (${r.error})` };
    certificates.push(r.cert);
  }
  return { ok: true, certificates };
}
