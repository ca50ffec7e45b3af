// Types of scripts/adversarial-captures.mjs for the TypeScript tests that import it.
export interface Written {
  packets: number;
  bytes: number;
}
export const SERVER_IP: string;
export const CLIENT_IP: string;
export function writeSynFlood(path: string, options?: { flows?: number; seed?: number; firstFlowsToPort?: { count: number; port: number } | null }): Written;
export function writeHugeClientHello(path: string, options?: { bytes?: number }): Written;
export function writeEndlessOutOfOrder(path: string, options?: { segments?: number; segmentBytes?: number }): Written;
export function writeManyCertificates(path: string, options?: { certificates?: number; sessions?: number }): Written;
export function writeDeepAsn1(path: string, options?: { depth?: number }): Written;
export function writeGzipBomb(path: string, options?: { decompressedBytes?: number; mode?: 'packets' | 'jumbo' }): Written & { decompressedBytes: number };
export function nestedSequences(depth: number, inner?: Buffer): Buffer;
export function selfSignedCertificate(options?: { name?: string; serial?: number; extraExtension?: Buffer | null }): Buffer;
export const TCP: { FIN: number; SYN: number; RST: number; PSH: number; ACK: number };
export function tcpFrame(fields: { src: string | number; dst: string | number; sport: number; dport: number; seq: number; ack?: number; flags: number; payload?: Buffer; window?: number }): Buffer;
