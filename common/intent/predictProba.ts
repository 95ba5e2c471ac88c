// The TypeScript reference for what the exported ONNX graph computes: softmax((W·x + b) / T). Used
// by training (validation, calibration) and by tests that hold the ONNX graph to it.
import type { SparseFeatures } from './featurizeIntent';
import type { SoftmaxRegressionModel } from './SoftmaxRegressionModel';

/** W·x + b, before the temperature. */
export function computeLogits(model: SoftmaxRegressionModel, features: SparseFeatures): Float64Array {
  if (features.dimension !== model.dimension) {
    throw new RangeError(`Features have ${String(features.dimension)} dimensions but the model expects ${String(model.dimension)}`);
  }
  const logits = new Float64Array(model.classCount);
  for (let k = 0; k < model.classCount; k++) {
    const row = k * model.dimension;
    let sum = model.bias[k] ?? 0;
    features.indices.forEach((index, i) => {
      sum += (model.weights[row + index] ?? 0) * (features.values[i] ?? 0);
    });
    logits[k] = sum;
  }
  return logits;
}

/** Class probabilities, in the model's class order, with the model's temperature applied. */
export function predictProba(model: SoftmaxRegressionModel, features: SparseFeatures): Float64Array {
  return softmax(computeLogits(model, features), model.temperature);
}

/** softmax(logits / temperature), shifted by the maximum so large logits cannot overflow. */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const out = new Float64Array(logits.length);
  let max = -Infinity;
  for (let k = 0; k < logits.length; k++) max = Math.max(max, (logits[k] ?? 0) / temperature);
  let total = 0;
  for (let k = 0; k < logits.length; k++) {
    const e = Math.exp((logits[k] ?? 0) / temperature - max);
    out[k] = e;
    total += e;
  }
  for (let k = 0; k < out.length; k++) out[k] = (out[k] ?? 0) / total;
  return out;
}
