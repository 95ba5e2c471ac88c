import { describe, expect, it } from 'vitest';
import type { SparseFeatures } from './featurizeIntent';
import { computeLogits, predictProba, softmax } from './predictProba';
import type { SoftmaxRegressionModel } from './SoftmaxRegressionModel';

// Three classes over four features; row k of `weights` is class k.
const model: SoftmaxRegressionModel = {
  classCount: 3,
  dimension: 4,
  weights: Float32Array.from([1, 0, -1, 2, 0.5, 0.5, 0.5, 0.5, -2, 1, 0, 0]),
  bias: Float32Array.from([0.1, 0, -0.1]),
  temperature: 1,
};
const x: SparseFeatures = { dimension: 4, indices: Int32Array.from([0, 3]), values: Float32Array.from([0.6, 0.8]) };

describe('predictProba', () => {
  it('computes W·x + b from the sparse entries', () => {
    const logits = Array.from(computeLogits(model, x));
    expect(logits[0]).toBeCloseTo(0.1 + 0.6 + 1.6, 6);
    expect(logits[1]).toBeCloseTo(0.3 + 0.4, 6);
    expect(logits[2]).toBeCloseTo(-0.1 - 1.2, 6);
  });

  it('returns softmax probabilities, sharpened or flattened by the temperature', () => {
    const p = predictProba(model, x);
    const e = [2.3, 0.7, -1.3].map(Math.exp);
    const total = e.reduce((a, b) => a + b, 0);
    e.forEach((value, k) => {
      expect(p[k]).toBeCloseTo(value / total, 6);
    });
    const hot = predictProba({ ...model, temperature: 4 }, x);
    expect(hot[0]).toBeLessThan(p[0] ?? 0);
    expect(hot.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('does not overflow on huge logits and refuses features of another width', () => {
    expect(Array.from(softmax([1000, 0, -1000]))).toEqual([1, 0, 0]);
    expect(() => computeLogits(model, { ...x, dimension: 5 })).toThrow(RangeError);
  });
});
