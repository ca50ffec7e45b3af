/**
 * Offline chain validation: "would this chain build to a trusted root, at capture time?"
 *
 * Trust anchors are Node's bundled Mozilla roots (`tls.rootCertificates`, parsed once, on first
 * use) plus a site's own CAs (`--ca-bundle`). Intermediates come only from the chain the server
 * sent (no AIA fetching: the tool is offline). Path building is a depth-first search from the
 * leaf: at each step trust anchors are tried before the sent certificates, a candidate must
 * carry the issuer's name (and, when both keys identifiers are present, AKI = SKI), its
 * signature over the child must verify, and a sent intermediate must be a CA (basicConstraints
 * cA, and keyCertSign when keyUsage is present). Then, on the path found, every certificate but
 * the trust anchor must be valid at capture time (RFC 5280 §6.1 does not check the anchor's own
 * validity), and intermediates' pathLenConstraint must hold.
 *
 * Not checked: name constraints, policies, EKU chaining, revocation. This is an analyzer's
 * "would it build" test, not a TLS client. The roots are today's bundle, not the bundle of the
 * capture's time: a root since removed gives `unknown_issuer` for an old capture.
 */
import { rootCertificates } from 'node:tls';
import { sha256Hex } from '../fingerprint/hash.js';
import { parseCertificate, subjectName, type ParsedCertificate } from './certificate.js';
import { KEY_USAGE } from './extensions.js';
import { LIMITS } from '../config/limits.js';
import { Memo } from '../memo.js';
import { nameKey, sameName, type ParsedName } from './name.js';
import { pemBlocks } from './pem.js';
import type { SignatureVerifier } from './verify.js';
import { sameBytes } from '../bytes/equal.js';

/** chain_error vocabulary (stable names). */
export const CHAIN_ERRORS = {
  no_certificates: 'the server sent no certificate',
  parse_error: 'the leaf certificate could not be parsed',
  self_signed: 'the leaf is self-signed and not a trust anchor',
  untrusted_root: 'the chain ends in a self-signed certificate that is not a trust anchor',
  unknown_issuer: 'no trust anchor or sent certificate issued a certificate of the chain',
  bad_signature: 'a certificate names its issuer, but the issuer key does not verify its signature',
  unsupported_algorithm: 'a signature or key algorithm this Node/OpenSSL cannot verify (e.g. ML-DSA)',
  issuer_not_ca: 'an issuing intermediate is not a CA (basicConstraints or keyUsage)',
  path_length_exceeded: "an intermediate's pathLenConstraint is exceeded",
  too_deep: `no path within ${LIMITS.maxChainDepth} certificates / ${LIMITS.maxVerificationsPerChain} signature checks`,
  expired: 'a certificate of the path expired before capture time',
  not_yet_valid: 'a certificate of the path was not yet valid at capture time',
  invalid_time: 'a certificate of the path has an unreadable validity period',
} as const;

export type ChainError = keyof typeof CHAIN_ERRORS;

export interface ChainValidation {
  /** true: builds to an anchor and every certificate is valid at capture time; null: no certificate. */
  valid: boolean | null;
  error: ChainError | null;
  /** SHA-256 of each certificate of the path found (leaf first, anchor last); [] when none. */
  path: string[];
  /** Index in `path` (or in the sent chain when no path was found) of the certificate the error is about. */
  errorDepth: number | null;
}

/** A trust anchor: its DER, parsed in full the first time a chain reaches its name. */
class Anchor {
  constructor(
    readonly der: Uint8Array,
    /** undefined: not parsed yet; null: does not parse (never used). */
    private parsed?: ParsedCertificate | null,
  ) {}

  get cert(): ParsedCertificate | null {
    if (this.parsed === undefined) {
      const r = parseCertificate(this.der);
      this.parsed = r.ok ? r.cert : null;
    }
    return this.parsed;
  }
}

/**
 * A set of trust anchors, indexed by subject name. Bundled roots come in as DER and are read
 * only as far as their subject; a chain parses the few it reaches (parsing all ~150 roots up
 * front cost 20 ms of every run that saw a certificate).
 */
export class TrustStore {
  private readonly bySubject = new Map<string, Anchor[]>();
  private readonly hashes = new Set<string>();

  constructor(anchors: Iterable<ParsedCertificate> = []) {
    for (const a of anchors) this.add(a);
  }

  get size(): number {
    return this.hashes.size;
  }

  add(anchor: ParsedCertificate): void {
    this.insert(anchor.sha256, anchor.subject, new Anchor(anchor.der, anchor));
  }

  /** An anchor as DER; one whose subject cannot be read is left out (it could not be used). */
  addDer(der: Uint8Array): void {
    const subject = subjectName(der);
    if (subject !== null) this.insert(sha256Hex(der), subject, new Anchor(der));
  }

  private insert(sha256: string, subject: ParsedName, anchor: Anchor): void {
    if (this.hashes.has(sha256)) return;
    this.hashes.add(sha256);
    const k = nameKey(subject);
    const list = this.bySubject.get(k);
    if (list === undefined) this.bySubject.set(k, [anchor]);
    else list.push(anchor);
  }

  /** Anchors whose subject is `cert`'s issuer name. */
  issuersOf(cert: ParsedCertificate): ParsedCertificate[] {
    const out: ParsedCertificate[] = [];
    for (const anchor of this.bySubject.get(nameKey(cert.issuer)) ?? []) {
      const a = anchor.cert;
      if (a !== null && sameName(cert.issuerDer, cert.issuer, a.subjectDer, a.subject)) out.push(a);
    }
    return out;
  }

  /** True when `cert` is an anchor: the same certificate, or the same subject and key (a re-issued root). */
  trusts(cert: ParsedCertificate): boolean {
    if (this.hashes.has(cert.sha256)) return true;
    const same = this.bySubject.get(nameKey(cert.subject)) ?? [];
    return same.some((anchor) => {
      const a = anchor.cert;
      return a !== null && sameBytes(a.spki, cert.spki);
    });
  }
}

let bundledDers: Uint8Array[] | null = null;

/** Node's bundled Mozilla root store as DER (about 150 certificates), decoded on first use. */
export function bundledRootDers(): readonly Uint8Array[] {
  bundledDers ??= rootCertificates.flatMap((pem) => pemBlocks(pem).ders);
  return bundledDers;
}

/** The bundled roots, each parsed in full (tests; the trust store parses only those it needs). */
export function bundledRoots(): ParsedCertificate[] {
  return bundledRootDers().flatMap((der) => {
    const r = parseCertificate(der);
    return r.ok ? [r.cert] : [];
  });
}

type Step = { ok: true; path: ParsedCertificate[] } | { ok: false; error: ChainError; depth: number };

export class ChainValidator {
  private store: TrustStore | null = null;
  /** Chains sent (their certificates' SHA-256s) -> the path built from them, or why none. */
  private readonly paths = new Memo<Step>(LIMITS.maxMemoEntries);

  /**
   * @param extraAnchors a site's own CAs (--ca-bundle), trusted like the bundled roots
   * @param useBundledRoots false: trust only `extraAnchors` (tests, closed networks)
   */
  constructor(
    private readonly verifier: SignatureVerifier,
    private readonly extraAnchors: readonly ParsedCertificate[] = [],
    private readonly useBundledRoots = true,
  ) {}

  get trust(): TrustStore {
    if (this.store === null) {
      this.store = new TrustStore();
      if (this.useBundledRoots) for (const der of bundledRootDers()) this.store.addDer(der);
      for (const a of this.extraAnchors) this.store.add(a);
    }
    return this.store;
  }

  /**
   * Validates the chain as sent (leaf first; null for a certificate that did not parse) at
   * capture time `atUs` (µs since the epoch). Never throws.
   */
  validate(chain: readonly (ParsedCertificate | null)[], atUs: number): ChainValidation {
    if (chain.length === 0) return { valid: null, error: 'no_certificates', path: [], errorDepth: null };
    const leaf = chain[0];
    if (leaf == null) return { valid: false, error: 'parse_error', path: [], errorDepth: 0 };
    // The path (or why there is none) does not depend on the time: found once per chain sent.
    const key = chain.map((c) => c?.sha256 ?? '-').join(',');
    const found = this.paths.get(key, () => {
      const pool = chain.slice(1).filter((c): c is ParsedCertificate => c !== null);
      return this.build(leaf, [leaf], pool, { left: LIMITS.maxVerificationsPerChain });
    });
    if (!found.ok) return { valid: false, error: found.error, path: [], errorDepth: found.depth };
    const path = found.path;
    const hashes = path.map((c) => c.sha256);
    const problem = checkPath(path, Math.floor(atUs / 1e6));
    if (problem !== null) return { valid: false, error: problem.error, path: hashes, errorDepth: problem.depth };
    return { valid: true, error: null, path: hashes, errorDepth: null };
  }

  private build(cur: ParsedCertificate, path: ParsedCertificate[], pool: readonly ParsedCertificate[], budget: { left: number }): Step {
    const depth = path.length - 1;
    const trust = this.trust;
    if (trust.trusts(cur)) return { ok: true, path };
    if (path.length >= LIMITS.maxChainDepth) return { ok: false, error: 'too_deep', depth };
    const anchors = trust.issuersOf(cur).filter((a) => a.sha256 !== cur.sha256);
    const sent = pool.filter((p) => !path.includes(p) && sameName(cur.issuerDer, cur.issuer, p.subjectDer, p.subject));
    let first: Step | null = null;
    const note = (s: Step) => {
      if (first === null) first = s;
    };
    for (const [cand, isAnchor] of [...anchors.map((a) => [a, true] as const), ...sent.map((s) => [s, false] as const)]) {
      if (cur.ext.aki !== null && cand.ext.ski !== null && cur.ext.aki !== cand.ext.ski) continue;
      if (budget.left-- <= 0) {
        note({ ok: false, error: 'too_deep', depth });
        break;
      }
      const v = this.verifier.verify(cur, cand);
      if (v !== true) {
        note({ ok: false, error: v === null ? 'unsupported_algorithm' : 'bad_signature', depth });
        continue;
      }
      if (isAnchor) return { ok: true, path: [...path, cand] };
      if (!mayIssue(cand)) {
        note({ ok: false, error: 'issuer_not_ca', depth: depth + 1 });
        continue;
      }
      const r = this.build(cand, [...path, cand], pool, budget);
      if (r.ok) return r;
      note(r);
    }
    if (first !== null) return first;
    if (sameName(cur.issuerDer, cur.issuer, cur.subjectDer, cur.subject)) {
      const own = this.verifier.verify(cur, cur);
      if (own === true) return { ok: false, error: depth === 0 ? 'self_signed' : 'untrusted_root', depth };
      if (own === null) return { ok: false, error: 'unsupported_algorithm', depth };
    }
    return { ok: false, error: 'unknown_issuer', depth };
  }
}

/**
 * May `c` issue certificates? basicConstraints cA=TRUE, and keyCertSign when keyUsage is present
 * (RFC 5280 §4.2.1.3, §4.2.1.9). A version 1 self-issued certificate (no extensions at all,
 * like the 1999 ValiCert roots) counts as a CA, as OpenSSL counts it.
 */
export function mayIssue(c: ParsedCertificate): boolean {
  const ku = c.ext.keyUsage;
  if (ku !== null && (ku & KEY_USAGE.keyCertSign) === 0) return false;
  if (c.ext.basicConstraints !== null) return c.ext.basicConstraints.ca;
  return c.version === 1 && sameName(c.issuerDer, c.issuer, c.subjectDer, c.subject);
}

/** Validity at capture time (every certificate but the anchor) and pathLenConstraint. */
function checkPath(path: readonly ParsedCertificate[], at: number): { error: ChainError; depth: number } | null {
  const last = path.length === 1 ? 1 : path.length - 1; // a leaf that is itself the anchor is still checked
  for (let i = 0; i < last; i++) {
    const c = path[i]!;
    if (c.notBefore === null || c.notAfter === null) return { error: 'invalid_time', depth: i };
    if (at > c.notAfter.epoch) return { error: 'expired', depth: i };
    if (at < c.notBefore.epoch) return { error: 'not_yet_valid', depth: i };
  }
  // RFC 5280 §4.2.1.9: pathLenConstraint = how many non-self-issued intermediates may follow.
  for (let k = 1; k < path.length - 1; k++) {
    const limit = path[k]!.ext.basicConstraints?.pathLen;
    if (limit == null) continue;
    let below = 0;
    for (let j = 1; j < k; j++) {
      const c = path[j]!;
      if (!sameName(c.issuerDer, c.issuer, c.subjectDer, c.subject)) below++;
    }
    if (below > limit) return { error: 'path_length_exceeded', depth: k };
  }
  return null;
}
