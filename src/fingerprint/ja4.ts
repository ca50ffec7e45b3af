/**
 * JA4: the TLS client fingerprint of FoxIO (BSD-3-Clause), from the written specification
 * `technical_details/JA4.md` in FoxIO-LLC/ja4. Where the reference implementations disagree with
 * that text the text wins (the maintainer: "The documentation is the correct method", ja4#178).
 * Only JA4 itself lives here: JA4S, JA4X and the rest of JA4+ are under the FoxIO License 1.1
 * and are not implemented by this project.
 *
 * "The program needs to ignore GREASE values anywhere it sees them" — ciphers, extensions,
 * supported_versions and signature algorithms alike.
 */
import type { ClientHelloModel } from '../model/handshake.js';
import { withoutGrease } from './common.js';
import { hash12 } from './hash.js';

/** The four JA4 renderings, named as in the session record. */
export interface Ja4Fingerprint {
  /** a_b_c with sorted lists hashed. */
  ja4: string;
  /** a + sorted lists, raw. */
  ja4_r: string;
  /** a + original-order lists hashed. */
  ja4_o: string;
  /** a + original-order lists, raw. */
  ja4_ro: string;
}

/** Everything JA4 reads from a hello; every rendering is a view of this one value. */
export interface Ja4Parts {
  /** The JA4_a section, e.g. "t13d1516h2". */
  a: string;
  /** Cipher suites, wire order, GREASE removed. */
  ciphers: number[];
  /** Extension types, wire order, GREASE removed, SNI (0000) and ALPN (0010) included. */
  extensions: number[];
  /** signature_algorithms (ext 13 only), wire order, GREASE removed. */
  signatureAlgorithms: number[];
}

/** "If there are no ciphers ... set to `000000000000`"; the same for an empty extension list. */
export const JA4_EMPTY_HASH = '000000000000';

const EXT_SNI = 0x0000;
const EXT_ALPN = 0x0010;

// "0x0304 = TLS 1.3 = “13” ... 0xfefc = DTLS 1.3 = "d3" ... Unknown = “00”"
const VERSION_CODES = new Map<number, string>([
  [0x0304, '13'],
  [0x0303, '12'],
  [0x0302, '11'],
  [0x0301, '10'],
  [0x0300, 's3'],
  [0x0002, 's2'],
  [0xfeff, 'd1'],
  [0xfefd, 'd2'],
  [0xfefc, 'd3'],
]);

/**
 * The 2-character version. "If extension 0x002b exists (supported_versions), then the version is
 * the highest value in the extension. Remember to ignore GREASE values. If the extension doesn’t
 * exist, then the TLS version is the value of the Protocol Version."
 * "Highest" is taken numerically, as written: a DTLS client offering 0xfefc (1.3) and 0xfefd (1.2)
 * gets "d2". A supported_versions list holding only GREASE counts as absent.
 */
export function ja4Version(ch: ClientHelloModel): string {
  const offered = withoutGrease(ch.supportedVersions);
  const version = offered.length > 0 ? Math.max(...offered) : ch.version;
  return VERSION_CODES.get(version) ?? '00';
}

function isAlphanumeric(b: number): boolean {
  // "(meaning not 0x30-0x39, 0x41-0x5A, or 0x61-0x7A)"
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/**
 * The 2 ALPN characters from the first ALPN value (undefined when the client sent none).
 * "If there is no ALPN extension, no ALPN values, or the first ALPN value is empty, then we print
 *  "00" as the value in the fingerprint. If the first ALPN value is only a single character, then
 *  that character is treated as both the first and last character."
 * "If the first or last byte of the first ALPN is non-alphanumeric ..., then we print the first and
 *  last characters of the hex representation of the first ALPN instead" (0xAB -> "ab", 0xAB 0xCD -> "ad").
 */
export function ja4Alpn(first: Uint8Array | undefined): string {
  if (first === undefined || first.length === 0) return '00';
  const head = first[0]!;
  const tail = first[first.length - 1]!;
  if (isAlphanumeric(head) && isAlphanumeric(tail)) return String.fromCharCode(head, tail);
  // First hex digit of the first byte, last hex digit of the last byte.
  return (head >> 4).toString(16) + (tail & 0x0f).toString(16);
}

/** "If there’s > 99, which there should never be, then output “99”." */
function count2(n: number): string {
  return String(Math.min(n, 99)).padStart(2, '0');
}

/** The parts of a ClientHello that JA4 reads. */
export function ja4Parts(ch: ClientHelloModel): Ja4Parts {
  // "Remember, ignore GREASE values. They don’t count. Do, however, count other non-cipher values
  //  such as SCSV (0x00FF, 0x5600) and Experimental/Reserved values (0xFE00-0xFEFF)."
  const ciphers = withoutGrease(ch.ciphers);
  // Number of extensions: "Same as counting ciphers. Ignore GREASE. Include SNI and ALPN."
  const extensions = withoutGrease(ch.extensions.map((e) => e.type));
  // The signature algorithms of ext 13 only (not signature_algorithms_cert), GREASE removed.
  const signatureAlgorithms = withoutGrease(ch.signatureAlgorithms);

  // "If the protocol is QUIC then the first character of the fingerprint is “q”, if DTLS it is "d", else it is “t”."
  const transport = ch.transport;
  // "If the SNI extension (0x0000) exists, then the destination of the connection is a domain, or
  //  “d” in the fingerprint. If the SNI does not exist, then the destination is an IP address, or “i”."
  const sni = ch.extensions.some((e) => e.type === EXT_SNI) ? 'd' : 'i';
  const a =
    transport +
    ja4Version(ch) +
    sni +
    count2(ciphers.length) +
    count2(extensions.length) +
    ja4Alpn(ch.alpn[0]);
  return { a, ciphers, extensions, signatureAlgorithms };
}

/** "the 4 character hex values ..., lower case, comma delimited" */
function hexList(values: readonly number[]): string {
  return values.map((v) => v.toString(16).padStart(4, '0')).join(',');
}

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((x, y) => x - y);
}

/**
 * The extension string: "the list of extensions ... followed by the list of signature algorithms,
 * in the order that they appear (not sorted)" with "an underscore delimiting the two lists".
 * "If there are no signature algorithms in the hello packet, then the string ends without an underscore".
 */
function extensionString(extensions: readonly number[], signatureAlgorithms: readonly number[]): string {
  const list = hexList(extensions);
  return signatureAlgorithms.length > 0 ? `${list}_${hexList(signatureAlgorithms)}` : list;
}

/** The four renderings of one set of JA4 parts. */
export function ja4FromParts(p: Ja4Parts): Ja4Fingerprint {
  // Cipher hash: "the list of ciphers sorted in hex order".
  const sortedCiphers = sortedCopy(p.ciphers);
  // Extension hash: "Ignore the SNI extension (0000) and the ALPN extension (0010) as we’ve already
  // captured them in the _a_ section of the fingerprint." Sorted "(not in the order they appear)".
  const sortedExtensions = sortedCopy(p.extensions.filter((e) => e !== EXT_SNI && e !== EXT_ALPN));

  // "If there are no ciphers in the sorted cipher list, then the value of JA4_b is set to `000000000000`"
  const hashCiphers = (list: readonly number[]): string =>
    list.length === 0 ? JA4_EMPTY_HASH : hash12(hexList(list));
  // "If there are no extensions in the sorted extensions list, then the value of JA4_c is set to
  //  `000000000000`". JA4_o is JA4 rendered in the original order, so the same list decides it:
  //  a hello whose only extension is SNI gives JA4_o ..._000000000000 (FoxIO baseline https3-301-get.pcap).
  const hashExtensions = (list: readonly number[]): string =>
    sortedExtensions.length === 0 ? JA4_EMPTY_HASH : hash12(extensionString(list, p.signatureAlgorithms));

  // "The "o" option includes the original values in the original order, less GREASE values. This
  //  means SNI (0000) and ALPN (0010) are included." "‘ja4’ field must be renamed to ‘ja4_o’".
  return {
    ja4: `${p.a}_${hashCiphers(sortedCiphers)}_${hashExtensions(sortedExtensions)}`,
    ja4_r: `${p.a}_${hexList(sortedCiphers)}_${extensionString(sortedExtensions, p.signatureAlgorithms)}`,
    ja4_o: `${p.a}_${hashCiphers(p.ciphers)}_${hashExtensions(p.extensions)}`,
    ja4_ro: `${p.a}_${hexList(p.ciphers)}_${extensionString(p.extensions, p.signatureAlgorithms)}`,
  };
}

/** JA4, JA4_r, JA4_o and JA4_ro of a ClientHello. */
export function ja4(ch: ClientHelloModel): Ja4Fingerprint {
  return ja4FromParts(ja4Parts(ch));
}
