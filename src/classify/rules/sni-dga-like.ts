/**
 * sni.dga-like — the SNI's registrable label looks algorithmically generated. Heuristic (our
 * own, documented thresholds; low severity because CDNs and cloud hosts also use random-looking
 * names): on the label left of the public suffix (last label, or last two when the second-level
 * is a generic one such as co.uk), when it is at least DGA_MIN_LENGTH characters long, count
 *   - Shannon entropy >= DGA_ENTROPY bits per character,
 *   - a run of >= DGA_CONSONANT_RUN consonants (y counts as a vowel),
 *   - digits making >= DGA_DIGIT_RATIO of a label that mixes digits and letters,
 * and flag when at least DGA_MIN_SIGNALS of the three hold. Punycode (xn--) labels are skipped.
 * Source: issue 5 "SNI that looks algorithmically generated"; the features follow the common
 * lexical DGA literature (entropy, consonant runs, digit ratio).
 */
import { LIMITS } from '../../config/limits.js';
import { Memo } from '../../memo.js';
import { finding, type Rule } from '../rule.js';
import { isIpLiteral } from './util.js';

export const DGA_MIN_LENGTH = 10;
export const DGA_ENTROPY = 3.3;
export const DGA_CONSONANT_RUN = 5;
export const DGA_DIGIT_RATIO = 0.25;
export const DGA_MIN_SIGNALS = 2;

const GENERIC_SLD = new Set(['co', 'com', 'net', 'org', 'ac', 'gov', 'edu', 'ne', 'or', 'go']);

/** The label a DGA would generate: left of the TLD (or of a generic second level + ccTLD). */
export function registrableLabel(name: string): string | null {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.');
  if (labels.length < 2) return null;
  let i = labels.length - 2;
  if (labels.length >= 3 && labels[labels.length - 1]!.length === 2 && GENERIC_SLD.has(labels[i]!)) i--;
  return labels[i] ?? null;
}

export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

export function longestConsonantRun(s: string): number {
  let best = 0;
  let run = 0;
  for (const ch of s) {
    if (/[bcdfghjklmnpqrstvwxz]/.test(ch)) best = Math.max(best, ++run);
    else run = 0;
  }
  return best;
}

export interface DgaFeatures {
  label: string;
  entropy: number;
  consonant_run: number;
  digit_ratio: number;
  signals: string[];
}

/** Features of a name, or null when it cannot be judged (too short, IP, punycode). */
export function dgaFeatures(name: string): DgaFeatures | null {
  if (isIpLiteral(name)) return null;
  const label = registrableLabel(name);
  if (!label || label.startsWith('xn--')) return null;
  const core = label.replace(/-/g, '');
  if (core.length < DGA_MIN_LENGTH) return null;
  const entropy = Math.round(shannonEntropy(core) * 1000) / 1000;
  const consonantRun = longestConsonantRun(core);
  const digits = (core.match(/\d/g) ?? []).length;
  const digitRatio = Math.round((digits / core.length) * 1000) / 1000;
  const signals: string[] = [];
  if (entropy >= DGA_ENTROPY) signals.push(`entropy ${entropy} >= ${DGA_ENTROPY}`);
  if (consonantRun >= DGA_CONSONANT_RUN) signals.push(`consonant run ${consonantRun} >= ${DGA_CONSONANT_RUN}`);
  if (digits < core.length && digitRatio >= DGA_DIGIT_RATIO) signals.push(`digit ratio ${digitRatio} >= ${DGA_DIGIT_RATIO}`);
  return { label, entropy, consonant_run: consonantRun, digit_ratio: digitRatio, signals };
}

/** A run meets the same names over and over: each is judged once (the result is shared, read-only). */
const featuresBySni = new Memo<DgaFeatures | null>(LIMITS.maxMemoEntries);

export const sniDgaLike: Rule = {
  id: 'sni.dga-like',
  severity: 'low',
  title: 'Algorithmically generated SNI',
  description: `The SNI label looks machine-generated (at least ${DGA_MIN_SIGNALS} of: high entropy, long consonant run, many digits).`,
  evaluate(s) {
    const sni = s.tls?.sni;
    if (!sni) return [];
    const f = featuresBySni.get(sni, dgaFeatures);
    if (!f || f.signals.length < DGA_MIN_SIGNALS) return [];
    return [finding(this, `SNI ${sni} looks generated: ${f.signals.join(', ')}`, { sni, ...f })];
  },
};
