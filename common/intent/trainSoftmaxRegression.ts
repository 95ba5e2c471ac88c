// Trains a multinomial logistic regression on sparse features with mini-batch Adam and L2
// regularization. It is deterministic by construction (seeded shuffle, zero initialization, fixed
// iteration order, no Math.random), so the same data and options give bit-identical weights and a
// shipped model can be rebuilt and audited from its training data.
import { createSeededRandom } from '../base/createSeededRandom';
import type { SparseFeatures } from './featurizeIntent';
import { softmax } from './predictProba';
import type { SoftmaxRegressionModel } from './SoftmaxRegressionModel';

export interface SoftmaxTrainingExample {
  readonly features: SparseFeatures;
  /** Class index in [0, classCount). */
  readonly label: number;
}

export interface TrainSoftmaxRegressionOptions {
  readonly classCount: number;
  /** Passes over the data; defaults to 20. */
  readonly epochs?: number;
  /** Defaults to 32. */
  readonly batchSize?: number;
  /** Adam step size; defaults to 0.05, which suits L2-normalized features. */
  readonly learningRate?: number;
  /** Strength λ of the penalty λ/2·‖W‖² (bias excluded); defaults to 1e-4. */
  readonly l2?: number;
  /** Seeds the per-epoch shuffle; defaults to 1. */
  readonly seed?: number;
  /**
   * Per-class loss weights, or 'balanced' (n / (classCount · count of the class)) so a rare class
   * such as `unsafe` is not drowned out. Defaults to 1 for every class.
   */
  readonly classWeights?: 'balanced' | readonly number[];
  /** Checked between mini-batches; training is synchronous, so run it in a worker to cancel it. */
  readonly signal?: AbortSignal;
  /**
   * Called after each epoch. `snapshot()` returns the model as it stands (float32, temperature 1),
   * bit-identical to what training with `epochs: epoch + 1` returns, so one run can be scored on
   * validation data at every epoch.
   */
  readonly onEpoch?: (report: { readonly epoch: number; readonly loss: number; readonly snapshot: () => SoftmaxRegressionModel }) => void;
}

export interface SoftmaxTrainingResult {
  readonly model: SoftmaxRegressionModel;
  /** Mean weighted cross-entropy of each epoch, measured while it ran (before each batch's update). */
  readonly epochLosses: readonly number[];
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

export function trainSoftmaxRegression(
  examples: readonly SoftmaxTrainingExample[],
  options: TrainSoftmaxRegressionOptions,
): SoftmaxTrainingResult {
  const { classCount } = options;
  const epochs = options.epochs ?? 20;
  const batchSize = options.batchSize ?? 32;
  const learningRate = options.learningRate ?? 0.05;
  const l2 = options.l2 ?? 1e-4;
  const dimension = checkExamples(examples, classCount);
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`epochs must be a non-negative integer, not ${String(epochs)}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, not ${String(batchSize)}`);
  if (!(learningRate > 0)) throw new RangeError(`learningRate must be positive, not ${String(learningRate)}`);
  if (!(l2 >= 0)) throw new RangeError(`l2 must be non-negative, not ${String(l2)}`);
  const classWeights = resolveClassWeights(examples, classCount, options.classWeights);

  // Parameters live in float64 while training and are rounded to float32 once at the end.
  const size = classCount * dimension;
  const weights = new Float64Array(size);
  const bias = new Float64Array(classCount);
  const gradW = new Float64Array(size);
  const gradB = new Float64Array(classCount);
  const mW = new Float64Array(size);
  const vW = new Float64Array(size);
  const mB = new Float64Array(classCount);
  const vB = new Float64Array(classCount);
  const logits = new Float64Array(classCount);
  const order = Array.from(examples, (_, i) => i);
  const random = createSeededRandom(options.seed ?? 1);
  const epochLosses: number[] = [];
  let step = 0;

  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    let epochLoss = 0;
    for (let start = 0; start < order.length; start += batchSize) {
      options.signal?.throwIfAborted();
      const end = Math.min(start + batchSize, order.length);
      const scale = 1 / (end - start);
      for (let b = start; b < end; b++) {
        const example = examples[order[b] ?? 0];
        if (example === undefined) continue;
        const { indices, values } = example.features;
        for (let k = 0; k < classCount; k++) {
          let sum = bias[k] ?? 0;
          const row = k * dimension;
          for (let i = 0; i < indices.length; i++) sum += (weights[row + (indices[i] ?? 0)] ?? 0) * (values[i] ?? 0);
          logits[k] = sum;
        }
        const probabilities = softmax(logits);
        const weight = classWeights[example.label] ?? 1;
        epochLoss += -weight * Math.log(Math.max(probabilities[example.label] ?? 0, Number.MIN_VALUE));
        // d(weighted CE)/d(logit k) = weight · (p_k − [k = label]), averaged over the batch.
        for (let k = 0; k < classCount; k++) {
          const delta = weight * scale * ((probabilities[k] ?? 0) - (k === example.label ? 1 : 0));
          gradB[k] = (gradB[k] ?? 0) + delta;
          const row = k * dimension;
          for (let i = 0; i < indices.length; i++) {
            const j = row + (indices[i] ?? 0);
            gradW[j] = (gradW[j] ?? 0) + delta * (values[i] ?? 0);
          }
        }
      }
      step++;
      // The L2 term touches every weight, so the Adam update is dense; at 5 × 2^15 weights a step
      // costs well under a millisecond.
      adamUpdate(weights, gradW, mW, vW, l2, learningRate, step);
      adamUpdate(bias, gradB, mB, vB, 0, learningRate, step);
    }
    const loss = order.length === 0 ? 0 : epochLoss / order.length;
    epochLosses.push(loss);
    options.onEpoch?.({ epoch, loss, snapshot });
  }

  return { model: snapshot(), epochLosses };

  function snapshot(): SoftmaxRegressionModel {
    return { classCount, dimension, weights: Float32Array.from(weights), bias: Float32Array.from(bias), temperature: 1 };
  }
}

// Adds λ·w to the gradient, takes one Adam step and clears the gradient for the next batch.
function adamUpdate(
  params: Float64Array,
  grad: Float64Array,
  m: Float64Array,
  v: Float64Array,
  l2: number,
  learningRate: number,
  step: number,
): void {
  const correction1 = 1 - BETA1 ** step;
  const correction2 = 1 - BETA2 ** step;
  for (let j = 0; j < params.length; j++) {
    const w = params[j] ?? 0;
    const g = (grad[j] ?? 0) + l2 * w;
    const mj = BETA1 * (m[j] ?? 0) + (1 - BETA1) * g;
    const vj = BETA2 * (v[j] ?? 0) + (1 - BETA2) * g * g;
    m[j] = mj;
    v[j] = vj;
    params[j] = w - (learningRate * (mj / correction1)) / (Math.sqrt(vj / correction2) + EPSILON);
    grad[j] = 0;
  }
}

function checkExamples(examples: readonly SoftmaxTrainingExample[], classCount: number): number {
  if (!Number.isInteger(classCount) || classCount < 2) throw new RangeError(`classCount must be an integer ≥ 2, not ${String(classCount)}`);
  const first = examples[0];
  if (first === undefined) throw new RangeError('There are no training examples');
  const { dimension } = first.features;
  examples.forEach((example, i) => {
    if (!Number.isInteger(example.label) || example.label < 0 || example.label >= classCount) {
      throw new RangeError(`Example ${String(i)} has label ${String(example.label)}, outside [0, ${String(classCount)})`);
    }
    if (example.features.dimension !== dimension) {
      throw new RangeError(`Example ${String(i)} has ${String(example.features.dimension)} features, the first has ${String(dimension)}`);
    }
  });
  return dimension;
}

function resolveClassWeights(
  examples: readonly SoftmaxTrainingExample[],
  classCount: number,
  option: TrainSoftmaxRegressionOptions['classWeights'],
): readonly number[] {
  if (option === undefined) return new Array<number>(classCount).fill(1);
  if (option !== 'balanced') {
    if (option.length !== classCount || option.some((w) => !(w >= 0) || !Number.isFinite(w))) {
      throw new RangeError(`classWeights must hold ${String(classCount)} finite non-negative numbers`);
    }
    return option;
  }
  const counts = new Array<number>(classCount).fill(0);
  for (const example of examples) counts[example.label] = (counts[example.label] ?? 0) + 1;
  return counts.map((count) => (count === 0 ? 0 : examples.length / (classCount * count)));
}

function shuffle(values: number[], random: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = values[i] ?? 0;
    values[i] = values[j] ?? 0;
    values[j] = a;
  }
}
