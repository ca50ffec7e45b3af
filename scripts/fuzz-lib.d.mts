// Types of scripts/fuzz-lib.mjs for the TypeScript tests that import it.
export interface Rng {
  next(): number;
  int(n: number): number;
  chance(p: number): boolean;
  pick<T>(arr: readonly T[]): T;
  bytes(n: number): Buffer;
}
export interface Seed {
  name: string;
  bytes: Buffer;
}
export interface FuzzCase {
  bytes: Buffer;
  seedFile: string;
  mutation: string;
  index: number;
  seed: number;
}
export interface LengthField {
  at: number;
  width: 2 | 4;
  le: boolean;
}
export function createRng(seed: number): Rng;
export function loadSeeds(options: {
  fixturesDir: string;
  corpusDir?: string;
  corpusSample?: number;
  maxBytes?: number;
  seed?: number;
}): Seed[];
export function headerLength(b: Buffer): number;
export function structuralLengthOffsets(b: Buffer, limit?: number): LengthField[];
export function makeCase(seeds: readonly Seed[], seed: number, index: number): FuzzCase;
export function caseHash(bytes: Uint8Array): string;
