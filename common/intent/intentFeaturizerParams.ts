// The settings of the intent featurizer. They are stored in every intent model's metadata, because
// a model is only meaningful together with the exact features it was trained on: inference reads
// them back from the model instead of trusting its own defaults.
import { z } from 'zod';

/** Bumped whenever featurizeIntent's output changes for the same params; models record it. */
export const INTENT_FEATURIZER_VERSION = 1;

const rangeSchema = z
  .object({ min: z.number().int().min(1).max(8), max: z.number().int().min(1).max(8) })
  .refine((range) => range.min <= range.max, { message: 'min must not exceed max' });

export const intentFeaturizerParamsSchema = z.object({
  version: z.literal(INTENT_FEATURIZER_VERSION),
  /** Width of the hashed feature vector, and of the model's input. */
  buckets: z
    .number()
    .int()
    .min(16)
    .max(2 ** 20),
  /** Word n-gram orders, e.g. {min: 1, max: 2} for unigrams and bigrams. */
  wordNgrams: rangeSchema,
  /** Character n-gram orders inside each token (with boundary marks), e.g. {min: 3, max: 5}. */
  charNgrams: rangeSchema,
  /** Text past this many characters (after normalization) is ignored, which bounds the work per message. */
  maxChars: z.number().int().min(1).max(1_000_000),
  /** Gives each feature a hashed sign, so bucket collisions cancel out on average instead of adding up. */
  signedHashing: z.boolean(),
});

export type IntentFeaturizerParams = z.infer<typeof intentFeaturizerParamsSchema>;

export const DEFAULT_INTENT_FEATURIZER_PARAMS: IntentFeaturizerParams = {
  version: INTENT_FEATURIZER_VERSION,
  buckets: 2 ** 15,
  wordNgrams: { min: 1, max: 2 },
  charNgrams: { min: 3, max: 5 },
  maxChars: 4000,
  signedHashing: true,
};
