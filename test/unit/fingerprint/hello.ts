/** Test helpers: hello models with defaults for every field a test does not care about. */
import type { ClientHelloModel, RawExtension, ServerHelloModel } from '../../../src/model/handshake.js';

const EMPTY = new Uint8Array(0);

/** Extensions with empty bodies, one per type, in the given (wire) order. */
export function exts(...types: number[]): RawExtension[] {
  return types.map((type) => ({ type, data: EMPTY }));
}

/** ASCII text as ALPN bytes. */
export function ascii(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

export function clientHello(fields: Partial<ClientHelloModel> = {}): ClientHelloModel {
  return {
    transport: 't',
    recordVersion: 0x0301,
    version: 0x0303,
    sslv2: false,
    random: new Uint8Array(32),
    sessionId: EMPTY,
    ciphers: [],
    compressionMethods: [0],
    extensions: [],
    hasExtensionsBlock: (fields.extensions?.length ?? 0) > 0,
    sni: null,
    alpn: [],
    supportedGroups: [],
    ecPointFormats: [],
    signatureAlgorithms: [],
    supportedVersions: [],
    keyShareGroups: [],
    pskModes: [],
    hasPreSharedKey: false,
    hasEch: false,
    anomalies: [],
    ...fields,
  };
}

export function serverHello(fields: Partial<ServerHelloModel> = {}): ServerHelloModel {
  return {
    transport: 't',
    recordVersion: 0x0303,
    version: 0x0303,
    random: new Uint8Array(32),
    sessionId: EMPTY,
    cipher: 0x002f,
    compressionMethod: 0,
    extensions: [],
    hasExtensionsBlock: (fields.extensions?.length ?? 0) > 0,
    selectedVersion: null,
    alpn: null,
    keyShareGroup: null,
    hasPreSharedKey: false,
    helloRetryRequest: false,
    sslv2: false,
    anomalies: [],
    ...fields,
  };
}
