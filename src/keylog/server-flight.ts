/**
 * What the server's decrypted TLS 1.3 handshake flight says (RFC 8446 §4.3-§4.4), for TCP (from
 * Tls13HandshakeDecryptor) and QUIC (from Handshake packets) alike:
 *
 *   EncryptedExtensions (8)   struct { Extension extensions<0..2^16-1>; }  -> ALPN selected
 *   Certificate (11)          TLS 1.3 form (request context, per-entry extensions) -> DER chain
 *   CompressedCertificate (25) RFC 8879 §4 -> decompressed, then as Certificate
 *   CertificateVerify (15), Finished (20), CertificateRequest (13): noted
 *
 * Grammar only; the x509 stage reads the certificates. Anomaly names (stable):
 *   encrypted_extensions_malformed, certificate_compression_unsupported,
 *   certificate_decompression_failed, plus those of parseCertificateMessage.
 */
import { brotliDecompressSync, inflateSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import { ByteReader } from '../bytes/reader.js';
import { LIMITS } from '../config/limits.js';
import type { RawExtension } from '../model/handshake.js';
import { parseCertificateMessage } from '../tls/certificate-message.js';
import { readExtensions } from '../tls/extensions.js';

const ENCRYPTED_EXTENSIONS = 8;
const CERTIFICATE = 11;
const CERTIFICATE_REQUEST = 13;
const CERTIFICATE_VERIFY = 15;
const FINISHED = 20;
const COMPRESSED_CERTIFICATE = 25;
const EXT_ALPN = 16;

/** RFC 8879 §3 CertificateCompressionAlgorithm: zlib(1), brotli(2), zstd(3). */
export const CERT_COMPRESSION = { zlib: 1, brotli: 2, zstd: 3 } as const;

export class ServerFlight {
  /** EncryptedExtensions' extensions in wire order (views into an owned copy), or null before it. */
  encryptedExtensions: RawExtension[] | null = null;
  /** ALPN protocol the server selected (from EncryptedExtensions), raw bytes. */
  alpnSelected: Uint8Array | null = null;
  /** DER certificates, leaf first (owned copies). */
  certificates: Uint8Array[] = [];
  /** RFC 8879 algorithm when the certificate came compressed, else null. */
  certificateCompression: number | null = null;
  certificateRequested = false;
  certificateVerify = false;
  finished = false;
  /** Handshake message types in order. */
  readonly messageTypes: number[] = [];
  readonly anomalies: string[] = [];

  /** One decrypted handshake message; `body` is read during the call only. */
  message(type: number, body: Uint8Array): void {
    this.messageTypes.push(type);
    switch (type) {
      case ENCRYPTED_EXTENSIONS:
        this.onEncryptedExtensions(body);
        return;
      case CERTIFICATE:
        this.onCertificate(body);
        return;
      case COMPRESSED_CERTIFICATE:
        this.onCompressedCertificate(body);
        return;
      case CERTIFICATE_REQUEST:
        this.certificateRequested = true;
        return;
      case CERTIFICATE_VERIFY:
        this.certificateVerify = true;
        return;
      case FINISHED:
        this.finished = true;
        return;
    }
  }

  private onEncryptedExtensions(body: Uint8Array): void {
    if (this.encryptedExtensions !== null) return;
    const own = body.slice();
    const r = new ByteReader(own);
    const exts: RawExtension[] = [];
    if (readExtensions(r, exts, this.anomalies) !== null || r.remaining !== 0) this.note('encrypted_extensions_malformed');
    this.encryptedExtensions = exts;
    const alpn = exts.find((e) => e.type === EXT_ALPN);
    if (alpn !== undefined) {
      // RFC 7301 §3.1: the server's list holds exactly one name.
      const ar = new ByteReader(alpn.data);
      const list = ar.vec16();
      const lr = new ByteReader(list);
      const name = lr.vec8();
      if (ar.ok && lr.ok && name.length > 0) this.alpnSelected = name;
      else this.note('encrypted_extensions_malformed');
    }
  }

  private onCertificate(body: Uint8Array): void {
    if (this.certificates.length > 0) return;
    const r = parseCertificateMessage(body, true);
    if (!r.ok) {
      this.note(r.error);
      return;
    }
    this.certificates = r.value;
    for (const a of r.anomalies) this.note(a);
  }

  /**
   * RFC 8879 §4:
   *   struct {
   *        CertificateCompressionAlgorithm algorithm;
   *        uint24 uncompressed_length;
   *        opaque compressed_certificate_message<1..2^24-1>;
   *   } CompressedCertificate;
   * "uncompressed_length: The length of the Certificate message once it is uncompressed. If,
   * after decompression, the specified length does not match the actual length, the party
   * receiving the invalid message MUST abort". The result is the body of a Certificate message.
   */
  private onCompressedCertificate(body: Uint8Array): void {
    if (this.certificates.length > 0) return;
    const r = new ByteReader(body);
    const algorithm = r.u16();
    const length = r.u24();
    const data = r.vec24();
    if (!r.ok || length === 0 || length > LIMITS.maxHandshakeMessageBytes) {
      this.note('certificate_decompression_failed');
      return;
    }
    this.certificateCompression = algorithm;
    const plain = decompress(algorithm, data, length);
    if (plain === 'unsupported') {
      this.note('certificate_compression_unsupported');
      return;
    }
    if (plain === null || plain.length !== length) {
      this.note('certificate_decompression_failed');
      return;
    }
    this.onCertificate(plain);
  }

  private note(name: string): void {
    if (!this.anomalies.includes(name)) this.anomalies.push(name);
  }
}

type ZstdDecompress = (buf: Uint8Array, options?: { maxOutputLength?: number }) => Buffer;

/** Decompresses at most `length` bytes; null when the data is bad or longer. */
function decompress(algorithm: number, data: Uint8Array, length: number): Uint8Array | 'unsupported' | null {
  // maxOutputLength makes node stop (with an error) instead of inflating a bomb.
  const opts = { maxOutputLength: length };
  try {
    switch (algorithm) {
      case CERT_COMPRESSION.zlib:
        return new Uint8Array(inflateSync(data, opts));
      case CERT_COMPRESSION.brotli:
        return new Uint8Array(brotliDecompressSync(data, opts));
      case CERT_COMPRESSION.zstd: {
        // node:zlib has zstd from Node 22.15 / 23.8; on older runtimes it is not there.
        const zstd = (zlib as unknown as { zstdDecompressSync?: ZstdDecompress }).zstdDecompressSync;
        return zstd === undefined ? 'unsupported' : new Uint8Array(zstd(data, opts));
      }
      default:
        return 'unsupported';
    }
  } catch {
    return null;
  }
}
