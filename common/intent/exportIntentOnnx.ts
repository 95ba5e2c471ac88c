// Writes a trained intent classifier as an ONNX model that onnxruntime runs as-is. The input is the
// sparse feature vector itself, indices [N, K] int32 and values [N, K] float32 (padded with index 0,
// value 0): Gather the K rows of Wᵀ [buckets × labels] → × values → ReduceSum over K → Add b →
// Div T → Softmax → probabilities [N, labels]. So a message costs K × labels multiply-adds instead
// of buckets × labels, and no dense 2^15-wide row is built or read. Labels, featurizer params,
// temperature and training facts are in the metadata. Weights stay float32, so the graph computes
// what predictProba computes up to float32 rounding.
import { encodeOnnxModel } from '../onnx/encodeOnnxModel';
import type { IntentFeaturizerParams } from './intentFeaturizerParams';
import type { IntentLabel } from './intentLabels';
import {
  INTENT_INDICES_INPUT,
  INTENT_METADATA_KEY,
  INTENT_MODEL_FORMAT_VERSION,
  INTENT_OUTPUT_NAME,
  INTENT_VALUES_INPUT,
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
  // Gather wants one row per bucket: [buckets × labels].
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
      inputs: [
        { name: INTENT_INDICES_INPUT, elementType: 'int32', shape: ['batch', 'nnz'] },
        { name: INTENT_VALUES_INPUT, elementType: 'float', shape: ['batch', 'nnz'] },
      ],
      outputs: [{ name: INTENT_OUTPUT_NAME, elementType: 'float', shape: ['batch', model.classCount] }],
      initializers: [
        { name: 'weights', elementType: 'float', dims: [model.dimension, model.classCount], data: transposed },
        { name: 'bias', elementType: 'float', dims: [model.classCount], data: model.bias },
        { name: 'temperature', elementType: 'float', dims: [1], data: [model.temperature] },
        { name: 'nnz_axis', elementType: 'int64', dims: [1], data: [1] },
        { name: 'label_axis', elementType: 'int64', dims: [1], data: [2] },
      ],
      nodes: [
        {
          opType: 'Gather',
          inputs: ['weights', INTENT_INDICES_INPUT],
          outputs: ['rows'],
          name: 'gather_rows',
          attributes: { axis: { type: 'int', value: 0 } },
        },
        { opType: 'Unsqueeze', inputs: [INTENT_VALUES_INPUT, 'label_axis'], outputs: ['values_column'], name: 'unsqueeze_values' },
        { opType: 'Mul', inputs: ['rows', 'values_column'], outputs: ['weighted_rows'], name: 'weight_rows' },
        {
          opType: 'ReduceSum',
          inputs: ['weighted_rows', 'nnz_axis'],
          outputs: ['scores'],
          name: 'sum_rows',
          attributes: { keepdims: { type: 'int', value: 0 } },
        },
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
