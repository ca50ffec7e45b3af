/** Every rule, in the order `analyze rules` lists them and findings are produced. */
import type { Rule } from '../rule.js';
import { notTlsOnTlsPort } from './protocol-not-tls.js';
import { certSelfSigned } from './cert-self-signed.js';
import { certUnknownIssuer } from './cert-unknown-issuer.js';
import { certExpired } from './cert-expired.js';
import { certNotYetValid } from './cert-not-yet-valid.js';
import { certValidityTooLong } from './cert-validity-too-long.js';
import { certWeakKey } from './cert-weak-key.js';
import { certWeakSignature } from './cert-weak-signature.js';
import { certEmptySubject } from './cert-empty-subject.js';
import { certOpensslDefault } from './cert-openssl-default.js';
import { certC2Default } from './cert-c2-default.js';
import { certSniMismatch } from './cert-sni-mismatch.js';
import { certImpersonation } from './cert-impersonation.js';
import { sniMissing } from './sni-missing.js';
import { sniIpLiteral } from './sni-ip-literal.js';
import { sniDgaLike } from './sni-dga-like.js';
import { tlsLegacyVersion } from './tls-legacy-version.js';
import { tlsWeakCipher } from './tls-weak-cipher.js';
import { tlsHandshakeFailure } from './tls-handshake-failure.js';
import { fingerprintRare } from './fingerprint-rare.js';
import { fingerprintC2Default } from './fingerprint-c2-default.js';
import { beaconRegularInterval } from './beacon-regular-interval.js';
import { intelClientFingerprint } from './intel-client-fingerprint.js';
import { intelServerFingerprint } from './intel-server-fingerprint.js';
import { intelCertificate } from './intel-certificate.js';
import { dnsUnresolvedDestination } from './dns-unresolved-destination.js';
import { dnsSniIpMismatch } from './dns-sni-ip-mismatch.js';
import { baselineNewFingerprint } from './baseline-new-fingerprint.js';
import { baselineNewCertificate } from './baseline-new-certificate.js';
import { baselineNewServer } from './baseline-new-server.js';

export const RULES: readonly Rule[] = [
  notTlsOnTlsPort,
  certSelfSigned, certUnknownIssuer, certExpired, certNotYetValid, certValidityTooLong, certWeakKey, certWeakSignature,
  certEmptySubject, certOpensslDefault, certC2Default, certSniMismatch, certImpersonation,
  sniMissing, sniIpLiteral, sniDgaLike,
  tlsLegacyVersion, tlsWeakCipher, tlsHandshakeFailure,
  fingerprintRare, fingerprintC2Default,
  beaconRegularInterval,
  intelClientFingerprint, intelServerFingerprint, intelCertificate,
  // DNS correlation and site baseline
  dnsUnresolvedDestination, dnsSniIpMismatch,
  baselineNewFingerprint, baselineNewCertificate, baselineNewServer,
];
