// Turns hand-written intent examples (JSONL files) into the fixed train/validation split the
// trainer reads. Pure, so the script (scripts/intent/buildIntentData.ts) only does file I/O and the
// rules below are unit-tested:
// - Each line is {"text": string, "label": one of INTENT_LABELS}; anything else is an error that
//   names its file and line. Text is stored NFC-normalized with CRLF as LF and trimmed.
// - Two examples are "the same text" when the featurizer cannot tell them apart
//   (normalizeIntentText: NFKC, lowercase, whitespace collapsed). The same text twice with the
//   same label keeps the first; with two labels it is an error naming both lines.
// - The split is decided per example by a stable hash of its normalized text: validation when
//   fmix32(fnv1a32(text)) mod 1000 < validationPerMille. The same cut applies inside every label
//   (stratified in expectation), and adding or removing examples never moves an existing one.
// - Optional augmentation adds, for each TRAIN example only, one copy with seeded typos (adjacent
//   letters swapped, a letter dropped or doubled in one or two words of 4+ letters). The seed is
//   the example's own hash, so copies do not change when other examples are added. Casing
//   variants are not generated: the featurizer lowercases, so they would be exact duplicates.
//   A copy whose normalized text already exists anywhere (either split) is skipped.
import { createSeededRandom } from '../base/createSeededRandom';
import { normalizeIntentText } from './featurizeIntent';
import { fmix32, fnv1a32 } from './fnv1a32';
import { INTENT_LABELS, isIntentLabel } from './intentLabels';
import type { IntentLabel } from './intentLabels';

export interface IntentSourceFile {
  /** Shown in errors and stored as each example's source, e.g. "hand/code.jsonl". */
  readonly name: string;
  readonly content: string;
}

export interface IntentDataExample {
  readonly text: string;
  readonly label: IntentLabel;
  /** "file:line" of the hand-written line, or "typo:" + that for an augmented copy. */
  readonly source: string;
}

export interface AssembleIntentDataOptions {
  /** Share of validation examples, in thousandths; defaults to 200 (20%). */
  readonly validationPerMille?: number;
  readonly augment?: boolean;
}

export interface AssembledIntentData {
  readonly train: readonly IntentDataExample[];
  readonly validation: readonly IntentDataExample[];
  /** Exact duplicates (same normalized text and label) that were dropped, as "kept ← dropped" sources. */
  readonly duplicates: readonly string[];
  readonly augmented: number;
}

/** Thrown with every problem found, one per line, so a data file can be fixed in one go. */
export class IntentDataError extends Error {
  override readonly name = 'IntentDataError';
  constructor(readonly problems: readonly string[]) {
    super(`The intent data has ${String(problems.length)} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Long enough that no real example is cut; the key only has to tell texts apart. */
const KEY_MAX_CHARS = 100_000;

export function intentDataKey(text: string): string {
  return normalizeIntentText(text, KEY_MAX_CHARS);
}

/** Stable in [0, 1000): decides the split of a normalized text. */
export function intentSplitBucket(key: string): number {
  return fmix32(fnv1a32(key)) % 1000;
}

export function assembleIntentData(files: readonly IntentSourceFile[], options: AssembleIntentDataOptions = {}): AssembledIntentData {
  const perMille = options.validationPerMille ?? 200;
  const problems: string[] = [];
  const seen = new Map<string, IntentDataExample>();
  const duplicates: string[] = [];
  const ordered: IntentDataExample[] = [];

  for (const file of [...files].sort((a, b) => compare(a.name, b.name))) {
    file.content.split('\n').forEach((raw, index) => {
      const where = `${file.name}:${String(index + 1)}`;
      const line = raw.trim();
      if (line === '') return;
      const parsed = parseLine(line, where, problems);
      if (parsed === null) return;
      const key = intentDataKey(parsed.text);
      if (key === '') {
        problems.push(`${where}: the text is empty once normalized`);
        return;
      }
      const example: IntentDataExample = { ...parsed, source: where };
      const earlier = seen.get(key);
      if (earlier === undefined) {
        seen.set(key, example);
        ordered.push(example);
      } else if (earlier.label === example.label) {
        duplicates.push(`${earlier.source} ← ${where}`);
      } else {
        problems.push(`${where}: the same text is labelled "${example.label}" here but "${earlier.label}" at ${earlier.source}`);
      }
    });
  }
  if (problems.length > 0) throw new IntentDataError(problems);

  const train: IntentDataExample[] = [];
  const validation: IntentDataExample[] = [];
  let augmented = 0;
  // Grouped by label in canonical order, then by file and line, so additions show up as small diffs.
  const sorted = [...ordered].sort((a, b) => INTENT_LABELS.indexOf(a.label) - INTENT_LABELS.indexOf(b.label));
  for (const example of sorted) {
    const key = intentDataKey(example.text);
    if (intentSplitBucket(key) < perMille) {
      validation.push(example);
      continue;
    }
    train.push(example);
    if (options.augment !== true) continue;
    const typo = addTypos(example.text, fnv1a32(key, fnv1a32('typo')));
    const typoKey = intentDataKey(typo);
    if (typoKey === key || typoKey === '' || seen.has(typoKey)) continue;
    seen.set(typoKey, example);
    train.push({ text: typo, label: example.label, source: `typo:${example.source}` });
    augmented++;
  }
  return { train, validation, duplicates, augmented };
}

/** One JSON object per line, {"text", "label", "source"}, ending with a newline. */
export function formatIntentJsonl(examples: readonly IntentDataExample[]): string {
  return examples.map((e) => `${JSON.stringify({ text: e.text, label: e.label, source: e.source })}\n`).join('');
}

/** Reads what formatIntentJsonl wrote (source optional), naming the line of any problem. */
export function parseIntentJsonl(content: string, name: string): IntentDataExample[] {
  const problems: string[] = [];
  const examples: IntentDataExample[] = [];
  content.split('\n').forEach((raw, index) => {
    const where = `${name}:${String(index + 1)}`;
    if (raw.trim() === '') return;
    const parsed = parseLine(raw.trim(), where, problems);
    if (parsed === null) return;
    const source = (JSON.parse(raw) as { source?: unknown }).source;
    examples.push({ ...parsed, source: typeof source === 'string' ? source : where });
  });
  if (problems.length > 0) throw new IntentDataError(problems);
  return examples;
}

/** Counts per label, every label present (0 when absent). */
export function countIntentLabels(examples: readonly { readonly label: IntentLabel }[]): Record<IntentLabel, number> {
  const counts = Object.fromEntries(INTENT_LABELS.map((label) => [label, 0])) as Record<IntentLabel, number>;
  for (const example of examples) counts[example.label]++;
  return counts;
}

function parseLine(line: string, where: string, problems: string[]): { text: string; label: IntentLabel } | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    problems.push(`${where}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${where}: expected an object {"text": …, "label": …}`);
    return null;
  }
  const { text, label } = value as { text?: unknown; label?: unknown };
  if (typeof text !== 'string') {
    problems.push(`${where}: "text" must be a string`);
    return null;
  }
  if (typeof label !== 'string' || !isIntentLabel(label)) {
    problems.push(`${where}: "label" must be one of ${INTENT_LABELS.join(', ')}, not ${JSON.stringify(label)}`);
    return null;
  }
  return { text: text.normalize('NFC').replace(/\r\n?/g, '\n').trim(), label };
}

/** One or two typos in words of 4+ letters; the same text and seed give the same typos. */
export function addTypos(text: string, seed: number): string {
  const random = createSeededRandom(seed | 0);
  const words = text.split(/(\s+)/);
  const candidates = words.flatMap((word, i) => (/^[\p{L}]{4,}$/u.test(word) ? [i] : []));
  if (candidates.length === 0) return text;
  const count = Math.min(candidates.length, 1 + Math.floor(random() * 2));
  for (let n = 0; n < count; n++) {
    const at = candidates.splice(Math.floor(random() * candidates.length), 1)[0] ?? 0;
    const chars = Array.from(words[at] ?? '');
    // Never touch the first letter: people rarely mistype it, and it keeps the word recognisable.
    const i = 1 + Math.floor(random() * (chars.length - 2));
    const kind = Math.floor(random() * 3);
    if (kind === 0) [chars[i], chars[i + 1]] = [chars[i + 1] ?? '', chars[i] ?? ''];
    else if (kind === 1) chars.splice(i, 1);
    else chars.splice(i, 0, chars[i] ?? '');
    words[at] = chars.join('');
  }
  return words.join('');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
