/**
 * Keeps V8's young generation small. V8 doubles it (two semi-spaces) whenever enough objects
 * survive a scavenge, up to 2 x 16 MB, and does not give it back during a busy run: a long
 * capture then costs ~25 MB more RSS than a short one. On the 1 GiB bench, semi-spaces capped at
 * 2, 4, 8 or 16 MB (node --max-semi-space-size) ran equally fast within the noise; with 4 MB the
 * peak RSS was 94 MB against 79 MB on the 100 MiB capture (issue 7: within 20%), for 32
 * scavenges and ~43 ms of pauses per GiB instead of 15 and ~19 ms (--trace-gc).
 *
 * That flag only works on the command line; a running V8 reads only its growth factor when it
 * grows the young generation. So growth is switched off once the cap is reached.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Both semi-spaces together (V8's `new_space`): 2 x 4 MB. */
export const YOUNG_GENERATION_CAP_BYTES = 8 * 1024 * 1024;

let capped = false;

/** Call now and then (every few thousand packets): once the cap is reached, stops the growth. */
export function capYoungGeneration(): void {
  if (capped) return;
  const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  if (young !== undefined && young.space_size >= YOUNG_GENERATION_CAP_BYTES) {
    setFlagsFromString('--semi-space-growth-factor=1');
    capped = true;
  }
}
