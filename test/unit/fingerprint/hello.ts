/** Test helpers: hello models with defaults for every field a test does not care about. */
import { newClientHello, newServerHello, type ClientHelloModel, type RawExtension, type ServerHelloModel } from '../../../src/model/handshake.js';

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
  return newClientHello({
    transport: 't',
    recordVersion: 0x0301,
    version: 0x0303,
    random: new Uint8Array(32),
    compressionMethods: [0],
    hasExtensionsBlock: (fields.extensions?.length ?? 0) > 0,
    ...fields,
  });
}

export function serverHello(fields: Partial<ServerHelloModel> = {}): ServerHelloModel {
  return newServerHello({
    transport: 't',
    recordVersion: 0x0303,
    version: 0x0303,
    random: new Uint8Array(32),
    cipher: 0x002f,
    hasExtensionsBlock: (fields.extensions?.length ?? 0) > 0,
    ...fields,
  });
}
