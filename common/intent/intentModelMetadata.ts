// What an intent model file says about itself, stored as JSON under one ONNX metadata_props key.
// Inference trusts nothing else: the label order, the featurizer settings and the calibrated
// temperature all come from here, so a model and its featurizer can never drift apart.
import { z } from 'zod';
import { intentFeaturizerParamsSchema } from './intentFeaturizerParams';
import { INTENT_LABELS } from './intentLabels';

/** The metadata_props key holding the JSON. */
export const INTENT_METADATA_KEY = 'codesage.intent';
export const INTENT_MODEL_FORMAT_VERSION = 1;
/** Names of the graph's input ([N, buckets] float32) and output ([N, labels] float32). */
export const INTENT_INPUT_NAME = 'features';
export const INTENT_OUTPUT_NAME = 'probabilities';

export const intentModelMetadataSchema = z.object({
  formatVersion: z.literal(INTENT_MODEL_FORMAT_VERSION),
  /** The model's class order: output column k is labels[k]. */
  labels: z
    .array(z.enum(INTENT_LABELS))
    .min(2)
    .refine((labels) => new Set(labels).size === labels.length, { message: 'labels must be unique' }),
  featurizer: intentFeaturizerParamsSchema,
  /** Already folded into the graph; recorded for reports. */
  temperature: z.number().positive(),
  /** Free-form identification of the trained model (e.g. a date or a data-set hash). */
  modelVersion: z.string().min(1),
});

export type IntentModelMetadata = z.infer<typeof intentModelMetadataSchema>;
