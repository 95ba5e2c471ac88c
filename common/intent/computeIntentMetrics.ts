// Classification metrics for intent models, shared by training (validation metrics stored in the
// model), the eval script and its tests: accuracy, per-class precision/recall/F1, macro-F1 and the
// confusion matrix, all in INTENT_LABELS order.
import { INTENT_LABELS } from './intentLabels';
import type { IntentLabel } from './intentLabels';

export interface IntentClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Examples whose expected label is this class. */
  readonly support: number;
  /** Examples predicted as this class. */
  readonly predicted: number;
}

export interface IntentMetrics {
  readonly examples: number;
  readonly accuracy: number;
  /** Mean F1 over the labels that occur in the expected or the predicted labels. */
  readonly macroF1: number;
  readonly perClass: Readonly<Record<IntentLabel, IntentClassMetrics>>;
  /** confusion[expected][predicted], indices in INTENT_LABELS order. */
  readonly confusion: readonly (readonly number[])[];
}

export function computeIntentMetrics(expected: readonly IntentLabel[], predicted: readonly IntentLabel[]): IntentMetrics {
  if (expected.length !== predicted.length) {
    throw new RangeError(`${String(expected.length)} expected labels but ${String(predicted.length)} predictions`);
  }
  const confusion = INTENT_LABELS.map(() => INTENT_LABELS.map(() => 0));
  let correct = 0;
  expected.forEach((label, i) => {
    const guess = predicted[i] ?? label;
    const row = confusion[INTENT_LABELS.indexOf(label)];
    const column = INTENT_LABELS.indexOf(guess);
    if (row !== undefined) row[column] = (row[column] ?? 0) + 1;
    if (guess === label) correct++;
  });
  const perClass = {} as Record<IntentLabel, IntentClassMetrics>;
  const f1s: number[] = [];
  INTENT_LABELS.forEach((label, k) => {
    const tp = confusion[k]?.[k] ?? 0;
    const support = (confusion[k] ?? []).reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((sum, row) => sum + (row[k] ?? 0), 0);
    const precision = predictedCount === 0 ? 0 : tp / predictedCount;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass[label] = { precision, recall, f1, support, predicted: predictedCount };
    if (support > 0 || predictedCount > 0) f1s.push(f1);
  });
  return {
    examples: expected.length,
    accuracy: expected.length === 0 ? 0 : correct / expected.length,
    macroF1: f1s.length === 0 ? 0 : f1s.reduce((a, b) => a + b, 0) / f1s.length,
    perClass,
    confusion,
  };
}

/**
 * Expected calibration error: the mean |accuracy − confidence| over `bins` equal-width confidence
 * bins, weighted by how many predictions fall in each.
 */
export function expectedCalibrationError(confidences: readonly number[], correct: readonly boolean[], bins = 10): number {
  if (confidences.length === 0) return 0;
  const totals = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  const sums = new Array<number>(bins).fill(0);
  confidences.forEach((confidence, i) => {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(confidence * bins)));
    totals[bin] = (totals[bin] ?? 0) + 1;
    sums[bin] = (sums[bin] ?? 0) + confidence;
    if (correct[i] === true) hits[bin] = (hits[bin] ?? 0) + 1;
  });
  let error = 0;
  totals.forEach((total, bin) => {
    if (total > 0) error += (total / confidences.length) * Math.abs((hits[bin] ?? 0) / total - (sums[bin] ?? 0) / total);
  });
  return error;
}

/** The confusion matrix as an aligned text table: rows are expected labels, columns predictions. */
export function formatConfusionMatrix(confusion: readonly (readonly number[])[]): string {
  const width = Math.max(8, ...confusion.flat().map((n) => String(n).length + 1));
  const header = ['expected ↓ / predicted →'.padEnd(26), ...INTENT_LABELS.map((label) => label.padStart(width))].join('');
  const rows = INTENT_LABELS.map((label, k) =>
    [label.padEnd(26), ...INTENT_LABELS.map((_, j) => String(confusion[k]?.[j] ?? 0).padStart(width))].join(''),
  );
  return [header, ...rows].join('\n');
}
