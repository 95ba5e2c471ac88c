// Turns a chat message into the hashed, sparse feature vector the intent classifier reads. Training
// and inference both call this one function, so a model sees at run time exactly the features it
// was trained on. The output is a pure function of (text, params): no locale, no randomness, no
// environment; any change to it must bump INTENT_FEATURIZER_VERSION.
import { FNV1A32_OFFSET_BASIS, fmix32, fnv1a32, fnv1a32AddCodePoint } from './fnv1a32';
import type { IntentFeaturizerParams } from './intentFeaturizerParams';

/** A sparse vector: `indices` strictly ascending, `values[i]` belongs to `indices[i]`. */
export interface SparseFeatures {
  readonly dimension: number;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

// Each kind of feature hashes under its own prefix, so the word "for" and the character trigram
// "for" land in unrelated buckets.
const WORD_PREFIX = 'w';
const CHAR_PREFIX = 'c';
const BOUNDARY = 0x2; // Marks a token's start and end in character n-grams; normalization removes controls, so it cannot occur in text.
const SEPARATOR = 0x20;
// Tokens are runs of letters, marks, digits and '_', or runs of other non-space characters, so
// `foo.bar()` keeps its punctuation as evidence of code.
const TOKEN = /[\p{L}\p{M}\p{N}_]+|[^\s\p{L}\p{M}\p{N}_]+/gu;
const CONTROL = /[\p{Cc}]/gu;
const INVISIBLE = /[\p{Cf}]/gu;
const WHITESPACE = /\s+/gu;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * NFKC, lowercase, controls to spaces, invisible format characters removed, whitespace collapsed
 * and trimmed, at most `maxChars` UTF-16 code units (never splitting a surrogate pair).
 */
export function normalizeIntentText(text: string, maxChars: number): string {
  // Cut before the expensive steps so a megabyte of input costs no more than a page; the slack
  // leaves room for whitespace that collapses away.
  const head = truncate(text, maxChars * 4);
  const normalized = head
    .replace(LONE_SURROGATE, '\uFFFD')
    .normalize('NFKC')
    .toLowerCase()
    .replace(CONTROL, ' ')
    .replace(INVISIBLE, '')
    .replace(WHITESPACE, ' ')
    .trim();
  return truncate(normalized, maxChars).trimEnd();
}

export function featurizeIntent(text: string, params: IntentFeaturizerParams): SparseFeatures {
  const counts = scratchCounts(params.buckets);
  const touched: number[] = [];
  const add = (hash: number): void => {
    const mixed = fmix32(hash);
    const index = mixed % params.buckets;
    const sign = params.signedHashing && mixed >= 0x80000000 ? -1 : 1;
    if (counts[index] === 0) touched.push(index);
    counts[index] = (counts[index] ?? 0) + sign;
  };

  const tokens = normalizeIntentText(text, params.maxChars).match(TOKEN) ?? [];
  addWordNgrams(tokens, params.wordNgrams, add);
  for (const token of tokens) addCharNgrams(token, params.charNgrams, add);
  return toSparse(counts, touched, params.buckets);
}

// Per-call Maps were most of the featurizer's time; one zeroed count array per bucket count is
// reused instead (featurizeIntent is synchronous, so calls never overlap) and only the touched
// entries are cleared again. Counts are small integers, so the result does not depend on it.
let scratch = new Int32Array(0);
function scratchCounts(buckets: number): Int32Array {
  if (scratch.length !== buckets) scratch = new Int32Array(buckets);
  return scratch;
}

/** Writes `features` into `target` (zeroed first) at `offset`, e.g. one row of a [N, buckets] batch. */
export function writeDenseIntentFeatures(features: SparseFeatures, target: Float32Array, offset = 0): void {
  if (offset < 0 || offset + features.dimension > target.length) {
    throw new RangeError(`A row of ${String(features.dimension)} features does not fit at ${String(offset)} in ${String(target.length)}`);
  }
  target.fill(0, offset, offset + features.dimension);
  features.indices.forEach((index, i) => {
    target[offset + index] = features.values[i] ?? 0;
  });
}

function addWordNgrams(tokens: readonly string[], range: { min: number; max: number }, add: (hash: number) => void): void {
  const prefix = fnv1a32(WORD_PREFIX);
  for (let start = 0; start < tokens.length; start++) {
    let hash = prefix;
    for (let n = 1; n <= range.max && start + n <= tokens.length; n++) {
      if (n > 1) hash = fnv1a32AddCodePoint(hash, SEPARATOR);
      hash = fnv1a32(tokens[start + n - 1] ?? '', hash);
      if (n >= range.min) add(hash);
    }
  }
}

let codePoints = new Int32Array(64);

function addCharNgrams(token: string, range: { min: number; max: number }, add: (hash: number) => void): void {
  if (codePoints.length < token.length + 2) codePoints = new Int32Array(token.length * 2 + 2);
  let length = 0;
  codePoints[length++] = BOUNDARY;
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    const next = i + 1 < token.length ? token.charCodeAt(i + 1) : 0;
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      codePoints[length++] = (code - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000;
      i++;
    } else {
      codePoints[length++] = code;
    }
  }
  codePoints[length++] = BOUNDARY;
  const prefix = fnv1a32(CHAR_PREFIX, FNV1A32_OFFSET_BASIS);
  for (let start = 0; start < length; start++) {
    let hash = prefix;
    for (let n = 1; n <= range.max && start + n <= length; n++) {
      hash = fnv1a32AddCodePoint(hash, codePoints[start + n - 1] ?? 0xfffd);
      if (n >= range.min) add(hash);
    }
  }
}

// Sublinear tf (1 + ln|count|, keeping the sign) then L2 normalization, so a long message does not
// outweigh a short one and a repeated word counts less than a new one. Clears the scratch counts.
function toSparse(counts: Int32Array, touched: readonly number[], dimension: number): SparseFeatures {
  const sorted = Int32Array.from(touched).sort();
  const indices: number[] = [];
  const weights: number[] = [];
  for (const index of sorted) {
    const count = counts[index] ?? 0;
    counts[index] = 0;
    if (count === 0) continue;
    indices.push(index);
    weights.push(Math.sign(count) * (1 + Math.log(Math.abs(count))));
  }
  // Summed in index order, as before the scratch array: float addition is not associative.
  let sum = 0;
  for (const w of weights) sum += w * w;
  const norm = Math.sqrt(sum);
  return {
    dimension,
    indices: Int32Array.from(indices),
    values: Float32Array.from(weights, (w) => w / norm),
  };
}

function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const code = text.charCodeAt(maxChars - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? maxChars - 1 : maxChars;
  return text.slice(0, end);
}
