import { describe, expect, it } from 'vitest';
import { fitTemperature, temperatureNll } from './fitTemperature';

// Validation logits drawn from a calibrated model (true temperature 1), then rescaled to make the
// model over- or underconfident. Temperature scaling should undo exactly that rescaling.
function calibratedSample(count: number): { logits: number[][]; labels: number[] } {
  let state = 2024;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const logits: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const row = [0, 0, 0].map(() => 3 * random());
    const exps = row.map(Math.exp);
    const total = exps.reduce((a, b) => a + b, 0);
    // Draw the label from softmax(row), so the unscaled logits are calibrated by construction.
    let u = random() * total;
    const label = exps.findIndex((e) => (u -= e) <= 0);
    logits.push(row);
    labels.push(label === -1 ? 2 : label);
  }
  return { logits, labels };
}

describe('fitTemperature', () => {
  const { logits, labels } = calibratedSample(4000);

  it('cools down an overconfident model and lowers its validation NLL', () => {
    const overconfident = logits.map((row) => row.map((z) => z * 4));
    const t = fitTemperature(overconfident, labels);
    expect(t).toBeGreaterThan(3);
    expect(t).toBeLessThan(5.3);
    expect(temperatureNll(overconfident, labels, t)).toBeLessThan(temperatureNll(overconfident, labels, 1) - 0.1);
  });

  it('sharpens an underconfident model', () => {
    const underconfident = logits.map((row) => row.map((z) => z / 3));
    const t = fitTemperature(underconfident, labels);
    expect(t).toBeGreaterThan(0.25);
    expect(t).toBeLessThan(0.42);
    expect(temperatureNll(underconfident, labels, t)).toBeLessThan(temperatureNll(underconfident, labels, 1));
  });

  it('finds the minimum of the NLL within its search range', () => {
    const t = fitTemperature(logits, labels);
    for (const other of [t * 0.9, t * 1.1, 0.5, 2]) {
      expect(temperatureNll(logits, labels, t)).toBeLessThanOrEqual(temperatureNll(logits, labels, other));
    }
    expect(fitTemperature([], [])).toBe(1);
    expect(() => temperatureNll([[1, 2]], [], 1)).toThrow(RangeError);
  });
});
