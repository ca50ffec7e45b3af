/**
 * The x509 stage's one entry point for the pipeline: a server's DER chain (leaf first), the SNI
 * and the capture time in, the certificate part of a session record out (design.md names):
 * `certificates[]`, `chain_valid`, `chain_error`, `sni_matches_cert`, `facts`, plus anomalies.
 *
 * Each distinct DER is parsed once (certificate.ts cache, by SHA-256), and its time-independent
 * record fields are derived once too; only the facts (which depend on capture time) are
 * computed per session. Nothing here throws: a certificate that does not parse is a record with
 * its hashes and null fields, and a `certificate_parse_error` anomaly on the session.
 */
import type { CertificateRecord } from '../model/session.js';
import { CertificateCache, type ParsedCertificate } from './certificate.js';
import { ChainValidator, type ChainValidation } from './chain.js';
import { sniMatchesCertificate } from './hostname.js';
import { sameName } from './name.js';
import { chainFacts, FACT_NAMES, validityDays, type ChainMember, type Fact } from './traits.js';
import { SignatureVerifier } from './verify.js';

export interface ChainReport {
  /** One record per certificate sent, leaf first, with this session's facts. */
  certificates: CertificateRecord[];
  chain_valid: boolean | null;
  chain_error: string | null;
  sni_matches_cert: boolean | null;
  /** Every fact of the chain (any certificate's, and chain-level ones), sorted, each once. */
  facts: string[];
  /** The facts with positions and details (for rules and reports). */
  factDetails: Fact[];
  validation: ChainValidation | null;
  /** Session anomalies: certificate_parse_error. */
  anomalies: string[];
}

export interface CertificateAnalyzerOptions {
  /** A site's own CAs (--ca-bundle), trusted like the bundled Mozilla roots. */
  caCertificates?: readonly ParsedCertificate[];
  /** false: trust only caCertificates (tests, closed networks). Default true. */
  useBundledRoots?: boolean;
}

const FACT_ORDER = new Map(Object.keys(FACT_NAMES).map((n, i) => [n, i]));

export class CertificateAnalyzer {
  readonly cache = new CertificateCache();
  readonly verifier = new SignatureVerifier();
  readonly validator: ChainValidator;
  private readonly records = new WeakMap<ParsedCertificate, Omit<CertificateRecord, 'facts'>>();

  constructor(options: CertificateAnalyzerOptions = {}) {
    this.validator = new ChainValidator(this.verifier, options.caCertificates ?? [], options.useBundledRoots ?? true);
  }

  /** Distinct certificates that did not parse. */
  get failures(): number {
    return this.cache.failures;
  }

  /**
   * The certificate part of one session. `atUs` is the session's first packet time (µs since
   * the epoch): expiry and validity are judged then, never at wall-clock time.
   */
  describeChain = (ders: readonly Uint8Array[], sni: string | null, atUs: number): ChainReport => {
    const parsed = ders.map((d) => this.cache.parse(d));
    const members: ChainMember[] = parsed.map((p) => (p.ok ? { cert: p.cert, selfSigned: this.selfSigned(p.cert) } : { cert: null, selfSigned: null }));
    const facts = chainFacts(members, atUs);
    const certificates = parsed.map((p, i): CertificateRecord => {
      const own = sortFacts(facts.filter((f) => f.cert === i).map((f) => f.name));
      if (!p.ok) return { ...unparsedRecord(p.sha1, p.sha256), facts: own };
      return { ...this.staticRecord(p.cert), facts: own };
    });
    const leaf = members[0]?.cert ?? null;
    const validation = ders.length > 0 ? this.validator.validate(members.map((m) => m.cert), atUs) : null;
    return {
      certificates,
      chain_valid: validation?.valid ?? null,
      chain_error: validation?.error ?? null,
      sni_matches_cert: sniMatchesCertificate(sni, leaf),
      facts: sortFacts(facts.map((f) => f.name)),
      factDetails: facts,
      validation,
      anomalies: parsed.some((p) => !p.ok) ? ['certificate_parse_error'] : [],
    };
  };

  /** The record of one certificate without session facts (cached per distinct certificate). */
  describe(der: Uint8Array): CertificateRecord {
    const p = this.cache.parse(der);
    return p.ok ? { ...this.staticRecord(p.cert), facts: [] } : { ...unparsedRecord(p.sha1, p.sha256), facts: [] };
  }

  /** Issuer = subject and the signature verifies with the certificate's own key (null: cannot tell). */
  selfSigned(c: ParsedCertificate): boolean | null {
    if (!sameName(c.issuerDer, c.issuer, c.subjectDer, c.subject)) return false;
    return this.verifier.verify(c, c);
  }

  private staticRecord(c: ParsedCertificate): Omit<CertificateRecord, 'facts'> {
    let r = this.records.get(c);
    if (r === undefined) {
      r = {
        subject: c.subject.text,
        issuer: c.issuer.text,
        serial: c.serial,
        sha1: c.sha1,
        sha256: c.sha256,
        not_before: c.notBefore?.iso ?? null,
        not_after: c.notAfter?.iso ?? null,
        san: (c.ext.san ?? []).map((g) => g.text),
        key_type: c.keyType,
        key_bits: c.keyBits,
        signature_algorithm: c.signatureAlgorithm,
        self_signed: this.selfSigned(c),
        is_ca: c.ext.basicConstraints?.ca ?? false,
        validity_days: validityDays(c),
        key_curve: c.keyCurve,
      };
      this.records.set(c, r);
    }
    return r;
  }
}

function unparsedRecord(sha1: string, sha256: string): Omit<CertificateRecord, 'facts'> {
  return {
    subject: null, issuer: null, serial: null, sha1, sha256, not_before: null, not_after: null, san: [],
    key_type: null, key_bits: null, signature_algorithm: null, self_signed: null, is_ca: null,
    validity_days: null, key_curve: null,
  };
}

function sortFacts(names: string[]): string[] {
  return [...new Set(names)].sort((a, b) => (FACT_ORDER.get(a) ?? 99) - (FACT_ORDER.get(b) ?? 99));
}
