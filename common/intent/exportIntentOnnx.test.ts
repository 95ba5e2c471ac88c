import { describe, expect, it } from 'vitest';
import { exportIntentOnnx } from './exportIntentOnnx';
import { DEFAULT_INTENT_FEATURIZER_PARAMS } from './intentFeaturizerParams';
import { INTENT_LABELS } from './intentLabels';
import { INTENT_METADATA_KEY, intentModelMetadataSchema } from './intentModelMetadata';
import { readOnnxMetadata } from './readOnnxMetadata';
import type { SoftmaxRegressionModel } from './SoftmaxRegressionModel';

// Running the graph through onnxruntime is tested in main/services/intent, where Node is available.
const featurizer = { ...DEFAULT_INTENT_FEATURIZER_PARAMS, buckets: 64 };
const model: SoftmaxRegressionModel = {
  classCount: 5,
  dimension: 64,
  weights: Float32Array.from({ length: 5 * 64 }, (_, i) => ((i * 37) % 11) - 5),
  bias: Float32Array.from([0.5, -0.5, 0, 1, -1]),
  temperature: 1.75,
};

/** Every float32 little-endian run of `values` in `bytes`, as byte offsets. */
function find(bytes: Uint8Array, values: Float32Array): number {
  const needle = new Uint8Array(values.buffer);
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('exportIntentOnnx', () => {
  const bytes = exportIntentOnnx({ model, labels: [...INTENT_LABELS], featurizer, modelVersion: 'test-1' });

  it('stores labels, featurizer params and temperature as metadata', () => {
    const json = readOnnxMetadata(bytes)[INTENT_METADATA_KEY];
    expect(json).toBeDefined();
    const metadata = intentModelMetadataSchema.parse(JSON.parse(json ?? ''));
    expect(metadata).toEqual({ formatVersion: 2, labels: [...INTENT_LABELS], featurizer, temperature: 1.75, modelVersion: 'test-1' });
  });

  it('writes the weights transposed to [buckets × labels] in float32, and the bias', () => {
    const transposed = new Float32Array(64 * 5);
    for (let k = 0; k < 5; k++) for (let j = 0; j < 64; j++) transposed[j * 5 + k] = model.weights[k * 64 + j] ?? NaN;
    expect(find(bytes, transposed)).toBeGreaterThan(0);
    expect(find(bytes, model.weights)).toBe(-1);
    expect(find(bytes, model.bias)).toBeGreaterThan(0);
  });

  it('refuses a model that does not match its labels or featurizer', () => {
    expect(() => exportIntentOnnx({ model, labels: ['code', 'repo'], featurizer, modelVersion: 'x' })).toThrow(/5 classes but 2 labels/);
    expect(() =>
      exportIntentOnnx({ model, labels: [...INTENT_LABELS], featurizer: { ...featurizer, buckets: 128 }, modelVersion: 'x' }),
    ).toThrow(/128 buckets/);
    const duplicate = ['code', 'code', 'repo', 'review', 'general'] as const;
    expect(() => exportIntentOnnx({ model, labels: duplicate, featurizer, modelVersion: 'x' })).toThrow(/unique/);
  });
});
