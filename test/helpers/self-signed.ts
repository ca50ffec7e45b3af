import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

/** A throw-away self-signed RSA certificate for `name` (a test's TLS server). */
export function makeSelfSigned(name: string): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const c = forge.pki.createCertificate();
  c.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  c.serialNumber = '0a1b2c';
  c.validity.notBefore = new Date(Date.UTC(2025, 0, 1));
  c.validity.notAfter = new Date(Date.UTC(2035, 0, 1));
  const subject = [{ name: 'commonName', value: name }];
  c.setSubject(subject);
  c.setIssuer(subject);
  c.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 2, value: name }] }]);
  c.sign(forge.pki.privateKeyFromPem(key), forge.md.sha256.create());
  return { key, cert: forge.pki.certificateToPem(c) };
}
