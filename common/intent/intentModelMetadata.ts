// What an intent model file says about itself, stored as JSON under one ONNX metadata_props key.
// Inference trusts nothing else: the label order, the featurizer settings and the calibrated
// temperature all come from here, so a model and its featurizer can never drift apart.
import { z } from 'zod';
import { intentFeaturizerParamsSchema } from './intentFeaturizerParams';
import { INTENT_LABELS } from './intentLabels';

/** The metadata_props key holding the JSON. */
export const INTENT_METADATA_KEY = 'codesage.intent';
/**
 * 2: sparse input (indices + values). 1 (dense [N, buckets] input) was never released: reading
 * 128 KiB of zeros per message made the graph the slowest step of classifying.
 */
export const INTENT_MODEL_FORMAT_VERSION = 2;
/**
 * Names of the graph's inputs, [N, K] int32 bucket indices and [N, K] float32 feature values (each
 * row a message's sparse features padded with index 0, value 0), and of its output, [N, labels]
 * float32 probabilities.
 */
export const INTENT_INDICES_INPUT = 'indices';
export const INTENT_VALUES_INPUT = 'values';
export const INTENT_OUTPUT_NAME = 'probabilities';
/** Used for models whose metadata has no uncertaintyThreshold. */
export const DEFAULT_INTENT_UNCERTAINTY_THRESHOLD = 0.5;

const perClassMetricsSchema = z.object({
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  /** How many examples of the class the split holds. */
  support: z.number().int().nonnegative(),
});

/** How the model did on the held-out validation split it was selected and calibrated on. */
export const intentValidationMetricsSchema = z.object({
  examples: z.number().int().nonnegative(),
  accuracy: z.number(),
  macroF1: z.number(),
  perClass: z.partialRecord(z.enum(INTENT_LABELS), perClassMetricsSchema),
  /** Share of examples whose confidence is below uncertaintyThreshold. */
  uncertainRate: z.number(),
  /** Accuracy on the examples at or above the threshold. */
  accuracyWhenCertain: z.number(),
  /** Expected calibration error (10 equal-width confidence bins), after temperature scaling. */
  expectedCalibrationError: z.number(),
});
export type IntentValidationMetrics = z.infer<typeof intentValidationMetricsSchema>;

/** Where the model came from, so that it can be rebuilt and audited. */
export const intentTrainingInfoSchema = z.object({
  /** sha256 of train.jsonl followed by validation.jsonl, as committed. */
  dataSha256: z.string().regex(/^[0-9a-f]{64}$/),
  seed: z.number().int(),
  /** The hyperparameters chosen on the validation split. */
  hyperparameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  /** Examples per label in each split (train after augmentation, and how many were augmented copies). */
  counts: z.object({
    train: z.partialRecord(z.enum(INTENT_LABELS), z.number().int().nonnegative()),
    validation: z.partialRecord(z.enum(INTENT_LABELS), z.number().int().nonnegative()),
    augmented: z.number().int().nonnegative(),
  }),
});
export type IntentTrainingInfo = z.infer<typeof intentTrainingInfoSchema>;

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
  /**
   * A calibrated confidence below this marks the prediction `uncertain` (routed as general). Absent
   * in models made before it was recorded; readers then use DEFAULT_INTENT_UNCERTAINTY_THRESHOLD.
   */
  uncertaintyThreshold: z.number().min(0).max(1).optional(),
  training: intentTrainingInfoSchema.optional(),
  validation: intentValidationMetricsSchema.optional(),
});

export type IntentModelMetadata = z.infer<typeof intentModelMetadataSchema>;
