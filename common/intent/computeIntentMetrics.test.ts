import { describe, expect, it } from 'vitest';
import { computeIntentMetrics, expectedCalibrationError, formatConfusionMatrix } from './computeIntentMetrics';
import type { IntentLabel } from './intentLabels';

describe('computeIntentMetrics', () => {
  it('computes accuracy, per-class precision/recall/F1, macro-F1 and the confusion matrix', () => {
    const expected: IntentLabel[] = ['code', 'code', 'code', 'repo', 'repo', 'general'];
    const predicted: IntentLabel[] = ['code', 'code', 'repo', 'repo', 'general', 'general'];
    const metrics = computeIntentMetrics(expected, predicted);
    expect(metrics.accuracy).toBeCloseTo(4 / 6, 10);
    expect(metrics.perClass.code).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3, predicted: 2 });
    expect(metrics.perClass.repo.precision).toBe(0.5);
    expect(metrics.perClass.repo.recall).toBe(0.5);
    expect(metrics.perClass.general).toMatchObject({ precision: 0.5, recall: 1, support: 1 });
    expect(metrics.perClass.general.f1).toBeCloseTo(2 / 3, 10);
    // review and unsafe occur nowhere, so they do not drag the macro average down.
    expect(metrics.perClass.unsafe).toEqual({ precision: 0, recall: 0, f1: 0, support: 0, predicted: 0 });
    expect(metrics.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 10);
    expect(metrics.confusion).toEqual([
      [2, 1, 0, 0, 0],
      [0, 1, 0, 1, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 1, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect(() => computeIntentMetrics(['code'], [])).toThrow(RangeError);
    expect(computeIntentMetrics([], [])).toMatchObject({ examples: 0, accuracy: 0, macroF1: 0 });
  });

  it('measures calibration error per confidence bin', () => {
    expect(expectedCalibrationError([0.95, 0.95, 0.55, 0.55], [true, true, true, false])).toBeCloseTo(0.5 * 0.05 + 0.5 * 0.05, 10);
    expect(expectedCalibrationError([0.9, 0.9], [false, false])).toBeCloseTo(0.9, 10);
    expect(expectedCalibrationError([], [])).toBe(0);
  });

  it('formats the confusion matrix as an aligned table', () => {
    const table = formatConfusionMatrix(computeIntentMetrics(['code', 'unsafe'], ['code', 'general']).confusion).split('\n');
    expect(table).toHaveLength(6);
    expect(table[0]).toMatch(/code\s+repo\s+review\s+general\s+unsafe$/);
    expect(table[5]).toMatch(/^unsafe\s+0\s+0\s+0\s+1\s+0$/);
    expect(new Set(table.map((row) => row.length)).size).toBe(1);
  });
});
