import { describe, expect, it } from 'vitest';
import { assembleIntentData } from './assembleIntentData';
import { INTENT_LABELS } from './intentLabels';
import { DEFAULT_INTENT_FEATURIZER_PARAMS } from './intentFeaturizerParams';
import { INTENT_METADATA_KEY, intentModelMetadataSchema } from './intentModelMetadata';
import { readOnnxMetadata } from './readOnnxMetadata';
import { syntheticIntentSentences } from './testing/syntheticIntentSentences';
import { trainIntentClassifier } from './trainIntentClassifier';
import type { IntentTrainingConfig, TrainIntentClassifierOptions } from './trainIntentClassifier';

const config: IntentTrainingConfig = {
  seed: 11,
  featurizer: { ...DEFAULT_INTENT_FEATURIZER_PARAMS, buckets: 2 ** 10 },
  batchSize: 16,
  learningRate: 0.05,
  maxEpochs: 4,
  grid: { l2: [1e-4, 3e-2], classWeights: ['balanced', 'uniform'], augmented: [false, true] },
  thresholdCandidates: [0.9, 0.3, 0.5, 0.7],
  thresholdTargetAccuracy: 0.9,
};
// Noisy labels (every 7th sentence relabelled), so that the grid points and epochs score differently.
const lines = syntheticIntentSentences(40, 9).map(({ text, label }, i) =>
  JSON.stringify({ text, label: i % 7 === 0 ? INTENT_LABELS[(INTENT_LABELS.indexOf(label) + 1) % 5] : label }),
);
const data = assembleIntentData([{ name: 'hand/synthetic.jsonl', content: lines.join('\n') }], { augment: true });
const options: TrainIntentClassifierOptions = {
  train: data.train,
  validation: data.validation,
  config,
  dataSha256: 'a'.repeat(64),
  modelVersion: 'intent-test',
};

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i]);

describe('trainIntentClassifier', () => {
  const first = trainIntentClassifier(options);

  it('is deterministic: two runs give identical ONNX bytes, another seed other bytes', () => {
    const second = trainIntentClassifier(options);
    expect(second.bytes.length).toBe(first.bytes.length);
    expect(sameBytes(second.bytes, first.bytes)).toBe(true);
    const reseeded = trainIntentClassifier({ ...options, config: { ...config, seed: 12 } });
    expect(sameBytes(reseeded.bytes, first.bytes)).toBe(false);
  });

  it('keeps the best grid point and epoch by validation macro-F1, then log-loss', () => {
    expect(first.search).toHaveLength(8);
    const best = first.search.reduce((a, b) => (b.macroF1 > a.macroF1 || (b.macroF1 === a.macroF1 && b.logLoss < a.logLoss) ? b : a));
    expect(first.metadata.training?.hyperparameters).toEqual({
      l2: best.l2,
      classWeights: best.classWeights,
      augmented: best.augmented,
      epochs: best.epochs,
      learningRate: 0.05,
      batchSize: 16,
    });
    expect(first.metadata.validation?.macroF1).toBeCloseTo(best.macroF1, 4);
  });

  it('records what is needed to audit the model in its metadata', () => {
    const stored = intentModelMetadataSchema.parse(JSON.parse(readOnnxMetadata(first.bytes)[INTENT_METADATA_KEY] ?? ''));
    expect(stored).toEqual(first.metadata);
    expect(stored).toMatchObject({ modelVersion: 'intent-test', labels: [...INTENT_LABELS], featurizer: config.featurizer });
    expect(stored.training?.dataSha256).toBe('a'.repeat(64));
    expect(stored.training?.seed).toBe(11);
    expect(stored.training?.counts.validation).toEqual(
      Object.fromEntries(INTENT_LABELS.map((l) => [l, data.validation.filter((e) => e.label === l).length])),
    );
    const augmentedUsed = stored.training?.hyperparameters.augmented === true;
    expect(stored.training?.counts.augmented).toBe(augmentedUsed ? data.augmented : 0);
    expect(stored.temperature).toBe(first.model.temperature);
    expect(stored.validation?.examples).toBe(data.validation.length);
    expect(Object.keys(stored.validation?.perClass ?? {})).toEqual([...INTENT_LABELS]);
  });

  it('picks the lowest threshold whose confident predictions meet the target accuracy', () => {
    const threshold = first.metadata.uncertaintyThreshold ?? NaN;
    expect(config.thresholdCandidates).toContain(threshold);
    const validation = first.metadata.validation;
    if (threshold !== 0.9) expect(validation?.accuracyWhenCertain).toBeGreaterThanOrEqual(0.9);
    const strict = trainIntentClassifier({ ...options, config: { ...config, thresholdTargetAccuracy: 1.01 } });
    expect(strict.metadata.uncertaintyThreshold).toBe(0.9);
    const lax = trainIntentClassifier({ ...options, config: { ...config, thresholdTargetAccuracy: 0 } });
    expect(lax.metadata.uncertaintyThreshold).toBe(0.3);
  });

  it('refuses to train without a validation split', () => {
    expect(() => trainIntentClassifier({ ...options, validation: [] })).toThrow(/validation split is empty/);
  });
});
