import { describe, expect, it } from 'vitest';
import { featurizeIntent } from './featurizeIntent';
import { DEFAULT_INTENT_FEATURIZER_PARAMS } from './intentFeaturizerParams';
import type { IntentFeaturizerParams } from './intentFeaturizerParams';
import { INTENT_LABELS } from './intentLabels';
import { predictProba } from './predictProba';
import { syntheticIntentSentences } from './testing/syntheticIntentSentences';
import { trainSoftmaxRegression } from './trainSoftmaxRegression';
import type { SoftmaxTrainingExample, TrainSoftmaxRegressionOptions } from './trainSoftmaxRegression';

const params: IntentFeaturizerParams = { ...DEFAULT_INTENT_FEATURIZER_PARAMS, buckets: 2 ** 12 };
const toExamples = (sentences: ReturnType<typeof syntheticIntentSentences>): SoftmaxTrainingExample[] =>
  sentences.map(({ text, label }) => ({ features: featurizeIntent(text, params), label: INTENT_LABELS.indexOf(label) }));
const train = toExamples(syntheticIntentSentences(30, 1));
const test = toExamples(syntheticIntentSentences(20, 99));
const options: TrainSoftmaxRegressionOptions = { classCount: INTENT_LABELS.length, epochs: 8, batchSize: 16, seed: 7 };

// Compared as raw bits: toEqual on floats would accept -0 for 0, and this must be bit-identical.
const bits = (values: Float32Array): Uint32Array => new Uint32Array(values.buffer, values.byteOffset, values.length);
const argmax = (values: ArrayLike<number>): number =>
  Array.from(values).reduce((best, v, i, all) => (v > (all[best] ?? -Infinity) ? i : best), 0);

describe('trainSoftmaxRegression', () => {
  it('is deterministic: the same data and options give bit-identical weights', () => {
    const a = trainSoftmaxRegression(train, options);
    const b = trainSoftmaxRegression(train, options);
    expect(bits(a.model.weights)).toEqual(bits(b.model.weights));
    expect(bits(a.model.bias)).toEqual(bits(b.model.bias));
    expect(a.epochLosses).toEqual(b.epochLosses);
    // …and the seed is what fixes the order: another seed gives other weights.
    const c = trainSoftmaxRegression(train, { ...options, seed: 8 });
    expect(bits(c.model.weights)).not.toEqual(bits(a.model.weights));
  });

  it('learns a separable data set and generalizes to unseen sentences', () => {
    const { model, epochLosses } = trainSoftmaxRegression(train, options);
    expect(model.weights).toHaveLength(INTENT_LABELS.length * params.buckets);
    expect(model.temperature).toBe(1);
    expect(epochLosses).toHaveLength(8);
    expect(epochLosses.at(-1)).toBeLessThan((epochLosses[0] ?? 0) / 4);
    const correct = test.filter((example) => argmax(predictProba(model, example.features)) === example.label).length;
    expect(correct / test.length).toBeGreaterThanOrEqual(0.95);
  });

  it('shrinks weights harder with a stronger L2 penalty', () => {
    const l2Norm = (w: Float32Array): number => Math.sqrt(w.reduce((sum, v) => sum + v * v, 0));
    const weak = trainSoftmaxRegression(train, { ...options, epochs: 4, l2: 0 });
    const strong = trainSoftmaxRegression(train, { ...options, epochs: 4, l2: 0.05 });
    expect(l2Norm(strong.model.weights)).toBeLessThan(l2Norm(weak.model.weights) / 2);
  });

  it('weights classes, so a rare class keeps its share of ambiguous messages with balanced weights', () => {
    // 'unsafe' (class 4) is one example in ten here; a message with no intent words shows the prior.
    const imbalanced = train.filter((example, i) => example.label !== 4 || i % 10 === 4);
    const ambiguous = featurizeIntent('please can you help me with this now', params);
    const unsafeShare = (weights: TrainSoftmaxRegressionOptions['classWeights']): number => {
      const { model } = trainSoftmaxRegression(imbalanced, {
        ...options,
        epochs: 3,
        ...(weights === undefined ? {} : { classWeights: weights }),
      });
      return predictProba(model, ambiguous)[4] ?? NaN;
    };
    const plain = unsafeShare(undefined);
    expect(unsafeShare('balanced')).toBeGreaterThan(plain * 1.5);
    expect(unsafeShare([1, 1, 1, 1, 0.1])).toBeLessThan(plain / 1.5);
  });

  it('refuses data it cannot train on', () => {
    expect(() => trainSoftmaxRegression([], options)).toThrow(/no training examples/);
    expect(() => trainSoftmaxRegression([{ features: featurizeIntent('x', params), label: 5 }], options)).toThrow(/label 5/);
    expect(() => trainSoftmaxRegression(train, { ...options, classWeights: [1, 2] })).toThrow(/classWeights/);
  });

  it('stops when its signal is aborted', () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    expect(() => trainSoftmaxRegression(train, { ...options, signal: controller.signal })).toThrow('stop');
  });
});

describe('trainSoftmaxRegression snapshots', () => {
  it('gives after each epoch the model that training for that many epochs returns', () => {
    const snapshots: Float32Array[] = [];
    const full = trainSoftmaxRegression(train, { ...options, epochs: 3, onEpoch: ({ snapshot }) => snapshots.push(snapshot().weights) });
    expect(snapshots).toHaveLength(3);
    expect(bits(snapshots[2] ?? new Float32Array())).toEqual(bits(full.model.weights));
    const two = trainSoftmaxRegression(train, { ...options, epochs: 2 });
    expect(bits(snapshots[1] ?? new Float32Array())).toEqual(bits(two.model.weights));
    expect(bits(snapshots[0] ?? new Float32Array())).not.toEqual(bits(two.model.weights));
  });
});
