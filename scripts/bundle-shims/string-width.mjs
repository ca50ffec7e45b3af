// string-width, as the bundle sees it (scripts/bundle.mjs). yargs lays out --help with
// string-width, whose module body builds Unicode-property regular expressions and an
// Intl.Segmenter: ~12 ms of every start of the analyzer, which prints help rarely. Our help is
// ASCII, whose width is its length once ANSI escapes are gone; any other character counts one
// column here (a wide CJK or emoji character could make --help wrap a column off, nothing more).
import stripAnsi from 'strip-ansi';

export default function stringWidth(text) {
  let width = 0;
  for (const ch of stripAnsi(String(text))) {
    const c = ch.codePointAt(0);
    if (c >= 0x20 && (c < 0x7f || c > 0x9f)) width++;
  }
  return width;
}
