/**
 * AEAD opening for TLS 1.3 records and QUIC packets (RFC 5116 AEAD_AES_128_GCM,
 * AEAD_AES_256_GCM, AEAD_CHACHA20_POLY1305 (RFC 8439), AEAD_AES_128_CCM), through node:crypto.
 *
 * node:crypto reports a wrong tag by throwing from `final()`; this is the one place that turns
 * that into a value: `null` means "these bytes do not authenticate under this key" (wrong key,
 * wrong packet number, damaged packet), and the caller records an anomaly.
 */
import { createDecipheriv, type CipherCCMTypes, type CipherChaCha20Poly1305Types, type CipherGCMTypes } from 'node:crypto';
import type { AeadName } from './key-schedule.js';

/**
 * Decrypts `sealed` (ciphertext followed by the `tagLength`-byte tag) with `aad` as associated
 * data. Returns the plaintext, or null when it does not authenticate (or is shorter than a tag).
 */
export function aeadOpen(
  aead: AeadName,
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  sealed: Uint8Array,
  tagLength = 16,
): Uint8Array | null {
  if (sealed.length < tagLength) return null;
  const ctLen = sealed.length - tagLength;
  const ciphertext = sealed.subarray(0, ctLen);
  const tag = sealed.subarray(ctLen);
  try {
    if (aead === 'aes-128-ccm') {
      const d = createDecipheriv(aead as CipherCCMTypes, key, nonce, { authTagLength: tagLength });
      d.setAuthTag(tag);
      d.setAAD(aad, { plaintextLength: ctLen });
      const out = d.update(ciphertext);
      d.final();
      return new Uint8Array(out.buffer, out.byteOffset, out.length);
    }
    const d =
      aead === 'chacha20-poly1305'
        ? createDecipheriv(aead as CipherChaCha20Poly1305Types, key, nonce, { authTagLength: tagLength })
        : createDecipheriv(aead as CipherGCMTypes, key, nonce, { authTagLength: tagLength });
    d.setAAD(aad, { plaintextLength: ctLen });
    d.setAuthTag(tag);
    const head = d.update(ciphertext);
    const tail = d.final();
    if (tail.length === 0) return new Uint8Array(head.buffer, head.byteOffset, head.length);
    const out = new Uint8Array(head.length + tail.length);
    out.set(head, 0);
    out.set(tail, head.length);
    return out;
  } catch {
    // Authentication failure (or a key/nonce size node:crypto refuses): not decryptable.
    return null;
  }
}
