// Temperature scaling (Guo et al., 2017): one scalar T that divides the logits so that the
// confidence the router thresholds on matches how often the model is actually right. Fitted on
// held-out logits, never on the training set, where the model is overconfident by construction.
import { softmax } from './predictProba';

export interface FitTemperatureOptions {
  /** Search range for T; defaults to [0.05, 20]. */
  readonly min?: number;
  readonly max?: number;
}

/** Mean negative log-likelihood of `labels` under softmax(logits / temperature). */
export function temperatureNll(logits: readonly ArrayLike<number>[], labels: readonly number[], temperature: number): number {
  if (logits.length !== labels.length) throw new RangeError(`${String(logits.length)} logit rows but ${String(labels.length)} labels`);
  if (logits.length === 0) return 0;
  let total = 0;
  logits.forEach((row, i) => {
    const p = softmax(row, temperature)[labels[i] ?? -1];
    if (p === undefined) throw new RangeError(`Label ${String(labels[i])} of row ${String(i)} is not a class index`);
    total -= Math.log(Math.max(p, Number.MIN_VALUE));
  });
  return total / logits.length;
}

/**
 * The T minimizing the NLL. NLL is convex in 1/T, hence unimodal in log T, so a golden-section
 * search over log T finds the minimum without gradients, deterministically.
 */
export function fitTemperature(
  logits: readonly ArrayLike<number>[],
  labels: readonly number[],
  options: FitTemperatureOptions = {},
): number {
  const min = options.min ?? 0.05;
  const max = options.max ?? 20;
  if (!(min > 0 && max > min)) throw new RangeError(`The temperature range [${String(min)}, ${String(max)}] is not valid`);
  if (logits.length === 0) return 1;
  const nll = (logT: number): number => temperatureNll(logits, labels, Math.exp(logT));
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(min);
  let b = Math.log(max);
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = nll(c);
  let fd = nll(d);
  // 60 steps shrink the bracket by 0.618^60 ≈ 3e-13 of its width: far below what matters.
  for (let i = 0; i < 60; i++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = nll(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = nll(d);
    }
  }
  return Math.exp((a + b) / 2);
}
