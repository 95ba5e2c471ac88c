import { describe, expect, it } from 'vitest';
import { featurizeIntent, normalizeIntentText, writeDenseIntentFeatures } from './featurizeIntent';
import type { SparseFeatures } from './featurizeIntent';
import { fmix32, fnv1a32 } from './fnv1a32';
import { DEFAULT_INTENT_FEATURIZER_PARAMS, intentFeaturizerParamsSchema } from './intentFeaturizerParams';
import type { IntentFeaturizerParams } from './intentFeaturizerParams';

const params = DEFAULT_INTENT_FEATURIZER_PARAMS;
const norm = (f: SparseFeatures): number => Math.sqrt(Array.from(f.values).reduce((sum, v) => sum + v * v, 0));
const asMap = (f: SparseFeatures): Map<number, number> => new Map(Array.from(f.indices, (index, i) => [index, f.values[i] ?? NaN]));

describe('normalizeIntentText', () => {
  it('applies NFKC, lowercases, drops invisible characters and collapses whitespace', () => {
    expect(normalizeIntentText('  ＦＩＸ\tthe\u00a0Bug\n\n\u200bnow ﬁle  ', 100)).toBe('fix the bug now file');
    expect(normalizeIntentText('a\u0000b\u0007c', 100)).toBe('a b c');
  });

  it('caps the length without splitting a surrogate pair', () => {
    expect(normalizeIntentText('abcdef', 3)).toBe('abc');
    expect(normalizeIntentText('ab😀', 3)).toBe('ab');
    expect(normalizeIntentText('ab😀', 4)).toBe('ab😀');
  });
});

describe('featurizeIntent', () => {
  it('hashes word n-grams and boundary-marked character n-grams into the documented buckets', () => {
    const small: IntentFeaturizerParams = {
      ...params,
      buckets: 1 << 20,
      wordNgrams: { min: 1, max: 1 },
      charNgrams: { min: 3, max: 3 },
      signedHashing: false,
    };
    const bucket = (prefix: string, text: string): number => fmix32(fnv1a32(text, fnv1a32(prefix))) % small.buckets;
    const expected = [bucket('w', 'ab'), bucket('c', '\u0002ab'), bucket('c', 'ab\u0002')].sort((a, b) => a - b);
    const features = featurizeIntent('AB', small);
    expect(Array.from(features.indices)).toEqual(expected);
    for (const value of features.values) expect(value).toBeCloseTo(1 / Math.sqrt(3), 6);
  });

  it('gives a known vector for a known message (a change here must bump INTENT_FEATURIZER_VERSION)', () => {
    const features = featurizeIntent('Fix the bug in parseConfig()!', params);
    expect(features.dimension).toBe(2 ** 15);
    expect(features.indices).toHaveLength(68);
    expect(Array.from(features.indices.slice(0, 8))).toEqual([586, 1428, 1940, 2662, 3762, 3809, 4287, 4501]);
    expect(Array.from(features.values.slice(0, 8), Math.sign)).toEqual([1, -1, -1, -1, -1, -1, -1, 1]);
    let checksum = 0;
    features.indices.forEach((index, i) => (checksum += index * (features.values[i] ?? 0)));
    expect(checksum).toBeCloseTo(9097.389873, 3);
  });

  it('is deterministic, sorted and L2-normalized', () => {
    const text = 'Refactor the parser so that `parse(x)` handles empty input; add tests.';
    const a = featurizeIntent(text, params);
    const b = featurizeIntent(text, params);
    expect(a).toEqual(b);
    expect(Array.from(a.indices)).toEqual(Array.from(a.indices).sort((x, y) => x - y));
    expect(new Set(a.indices).size).toBe(a.indices.length);
    expect(norm(a)).toBeCloseTo(1, 6);
  });

  it('tells different texts apart and applies sublinear tf to repeats', () => {
    const a = featurizeIntent('review my pull request', params);
    const b = featurizeIntent('write a sorting function', params);
    expect(a).not.toEqual(b);
    const words = { ...params, charNgrams: { min: 8, max: 8 }, wordNgrams: { min: 1, max: 1 }, signedHashing: false };
    const features = asMap(featurizeIntent('bug bug fix bug', words));
    const [bug, fix] = [fnv1a32('bug', fnv1a32('w')), fnv1a32('fix', fnv1a32('w'))].map(
      (h) => features.get(fmix32(h) % params.buckets) ?? NaN,
    );
    expect(features.size).toBe(2);
    expect((bug ?? NaN) / (fix ?? NaN)).toBeCloseTo(1 + Math.log(3), 5);
  });

  it('treats case, width and whitespace variants as the same message', () => {
    expect(featurizeIntent('Fix   the\nBUG', params)).toEqual(featurizeIntent('fix the bug', params));
    expect(featurizeIntent('ｆｉｘ the bug', params)).toEqual(featurizeIntent('fix the bug', params));
  });

  it('signs features only when signed hashing is on', () => {
    const text = 'explain how the repository is organised and where the tests live';
    expect(Array.from(featurizeIntent(text, params).values).some((v) => v < 0)).toBe(true);
    expect(Array.from(featurizeIntent(text, { ...params, signedHashing: false }).values).every((v) => v > 0)).toBe(true);
  });

  it('returns a zero vector for empty and blank input', () => {
    for (const text of ['', '   \n\t ', '\u200b\u200b']) {
      const features = featurizeIntent(text, params);
      expect(features.indices).toHaveLength(0);
      expect(features.values).toHaveLength(0);
      expect(features.dimension).toBe(params.buckets);
    }
  });

  it('ignores everything past maxChars, so a megabyte costs no more than a page', () => {
    const head = 'how do I paginate results in this api? '.repeat(200);
    const a = featurizeIntent(head + 'x'.repeat(1_000_000), params);
    const b = featurizeIntent(head + 'y z '.repeat(250_000), params);
    expect(a).toEqual(b);
    expect(a).toEqual(featurizeIntent(head.slice(0, params.maxChars), params));
  });

  it('handles binary garbage, lone surrogates and every BMP code unit without throwing', () => {
    let state = 12345;
    const bytes = Uint8Array.from({ length: 200_000 }, () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state >>> 24;
    });
    const inputs = [
      new TextDecoder().decode(bytes),
      String.fromCharCode(...bytes.subarray(0, 50_000)),
      Array.from({ length: 0x10000 }, (_, i) => String.fromCharCode(i)).join(''),
      '\uD800\uDC00\uDFFF\uD83D',
    ];
    for (const text of inputs) {
      const features = featurizeIntent(text, params);
      expect(features.values.every(Number.isFinite)).toBe(true);
      if (features.values.length > 0) expect(norm(features)).toBeCloseTo(1, 5);
      expect(Array.from(features.indices).every((i) => i >= 0 && i < params.buckets)).toBe(true);
    }
  });
});

describe('writeDenseIntentFeatures', () => {
  it('writes one row of a dense batch and clears what was there', () => {
    const features = featurizeIntent('add a unit test', params);
    const batch = new Float32Array(params.buckets * 2).fill(7);
    writeDenseIntentFeatures(features, batch, params.buckets);
    expect(batch[0]).toBe(7);
    const row = batch.subarray(params.buckets);
    expect(Array.from(row).filter((v) => v !== 0)).toHaveLength(features.indices.length);
    features.indices.forEach((index, i) => {
      expect(row[index]).toBe(features.values[i]);
    });
    expect(() => {
      writeDenseIntentFeatures(features, batch, params.buckets + 1);
    }).toThrow(RangeError);
  });
});

describe('intentFeaturizerParamsSchema', () => {
  it('accepts the defaults and refuses params it cannot honour', () => {
    expect(intentFeaturizerParamsSchema.parse(params)).toEqual(params);
    expect(intentFeaturizerParamsSchema.safeParse({ ...params, version: 2 }).success).toBe(false);
    expect(intentFeaturizerParamsSchema.safeParse({ ...params, buckets: 1.5 }).success).toBe(false);
    expect(intentFeaturizerParamsSchema.safeParse({ ...params, charNgrams: { min: 5, max: 3 } }).success).toBe(false);
  });
});
