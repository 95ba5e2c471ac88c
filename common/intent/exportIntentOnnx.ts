// Writes a trained intent classifier as an ONNX model that onnxruntime runs as-is:
// features [N, buckets] → MatMul Wᵀ → Add b → Div T → Softmax → probabilities [N, labels], with the
// labels, featurizer params and temperature in the metadata. Weights stay float32, so the graph
// computes what predictProba computes up to float32 rounding.
import { encodeOnnxModel } from '../onnx/encodeOnnxModel';
import type { IntentFeaturizerParams } from './intentFeaturizerParams';
import type { IntentLabel } from './intentLabels';
import {
  INTENT_INPUT_NAME,
  INTENT_METADATA_KEY,
  INTENT_MODEL_FORMAT_VERSION,
  INTENT_OUTPUT_NAME,
  intentModelMetadataSchema,
} from './intentModelMetadata';
import type { IntentModelMetadata, IntentTrainingInfo, IntentValidationMetrics } from './intentModelMetadata';
import type { SoftmaxRegressionModel } from './SoftmaxRegressionModel';

export interface ExportIntentOnnxOptions {
  readonly model: SoftmaxRegressionModel;
  /** labels[k] names the model's class k. */
  readonly labels: readonly IntentLabel[];
  readonly featurizer: IntentFeaturizerParams;
  readonly modelVersion: string;
  /** Written as the ONNX producer version, e.g. the app's version. */
  readonly producerVersion?: string;
  readonly uncertaintyThreshold?: number;
  readonly training?: IntentTrainingInfo;
  readonly validation?: IntentValidationMetrics;
}

export function exportIntentOnnx(options: ExportIntentOnnxOptions): Uint8Array {
  const { model, labels, featurizer } = options;
  if (labels.length !== model.classCount) {
    throw new RangeError(`The model has ${String(model.classCount)} classes but ${String(labels.length)} labels were given`);
  }
  if (featurizer.buckets !== model.dimension) {
    throw new RangeError(
      `The featurizer has ${String(featurizer.buckets)} buckets but the model expects ${String(model.dimension)} features`,
    );
  }
  if (model.weights.length !== model.classCount * model.dimension || model.bias.length !== model.classCount) {
    throw new RangeError('The model weights do not match its classCount and dimension');
  }
  const metadata: IntentModelMetadata = intentModelMetadataSchema.parse({
    formatVersion: INTENT_MODEL_FORMAT_VERSION,
    labels: [...labels],
    featurizer,
    temperature: model.temperature,
    modelVersion: options.modelVersion,
    uncertaintyThreshold: options.uncertaintyThreshold,
    training: options.training,
    validation: options.validation,
  });

  // The trainer stores W as [labels × buckets] (one row per class, cheap sparse dot products);
  // MatMul wants [buckets × labels].
  const transposed = new Float32Array(model.weights.length);
  for (let k = 0; k < model.classCount; k++) {
    for (let j = 0; j < model.dimension; j++) {
      transposed[j * model.classCount + k] = model.weights[k * model.dimension + j] ?? 0;
    }
  }

  return encodeOnnxModel({
    producerName: 'codesage',
    ...(options.producerVersion === undefined ? {} : { producerVersion: options.producerVersion }),
    docString: `CodeSage intent classifier ${options.modelVersion}`,
    metadata: { [INTENT_METADATA_KEY]: JSON.stringify(metadata) },
    graph: {
      name: 'intent_classifier',
      inputs: [{ name: INTENT_INPUT_NAME, elementType: 'float', shape: ['batch', model.dimension] }],
      outputs: [{ name: INTENT_OUTPUT_NAME, elementType: 'float', shape: ['batch', model.classCount] }],
      initializers: [
        { name: 'weights', elementType: 'float', dims: [model.dimension, model.classCount], data: transposed },
        { name: 'bias', elementType: 'float', dims: [model.classCount], data: model.bias },
        { name: 'temperature', elementType: 'float', dims: [1], data: [model.temperature] },
      ],
      nodes: [
        { opType: 'MatMul', inputs: [INTENT_INPUT_NAME, 'weights'], outputs: ['scores'], name: 'matmul' },
        { opType: 'Add', inputs: ['scores', 'bias'], outputs: ['logits'], name: 'add_bias' },
        { opType: 'Div', inputs: ['logits', 'temperature'], outputs: ['scaled_logits'], name: 'div_temperature' },
        {
          opType: 'Softmax',
          inputs: ['scaled_logits'],
          outputs: [INTENT_OUTPUT_NAME],
          name: 'softmax',
          attributes: { axis: { type: 'int', value: -1 } },
        },
      ],
    },
  });
}
