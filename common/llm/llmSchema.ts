// The local LLM engine as the UI sees it: installed GGUF models, the one loaded model and its
// load progress, and the metrics recorded for every answer.
import { z } from 'zod';
import { computeBackendSchema } from '../system/systemInfoSchema';

export const installedModelSchema = z.object({
  /** File name inside the models folder; stable across restarts. */
  id: z.string(),
  name: z.string(),
  path: z.string(),
  sizeBytes: z.number().nonnegative(),
  architecture: z.string().nullable(),
  contextLength: z.number().int().positive().nullable(),
  /** Set when the header could not be read; the model cannot be loaded until it is replaced. */
  problem: z.string().nullable(),
});
export type InstalledModel = z.infer<typeof installedModelSchema>;

export const loadedModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  contextSize: z.number().int().positive(),
  trainContextSize: z.number().int().positive().nullable(),
  gpuLayers: z.number().int().nonnegative(),
  backend: computeBackendSchema,
  chatWrapper: z.string(),
});
export type LoadedModel = z.infer<typeof loadedModelSchema>;

export const llmStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('idle') }),
  z.object({ status: z.literal('loading'), modelId: z.string(), progress: z.number().min(0).max(1) }),
  z.object({ status: z.literal('ready'), model: loadedModelSchema }),
  z.object({ status: z.literal('failed'), modelId: z.string(), errorName: z.string(), message: z.string() }),
]);
export type LlmState = z.infer<typeof llmStateSchema>;

export const gpuLayersSchema = z.union([z.literal('auto'), z.number().int().nonnegative()]);

export const loadModelInputSchema = z.strictObject({
  modelId: z.string().min(1),
  gpuLayers: gpuLayersSchema.optional(),
  contextSize: z.union([z.literal('auto'), z.number().int().min(256).max(1_048_576)]).optional(),
});
export type LoadModelInput = z.infer<typeof loadModelInputSchema>;

export const answerMetricsSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  timeToFirstTokenMs: z.number().nonnegative().nullable(),
  tokensPerSecond: z.number().nonnegative().nullable(),
  backend: computeBackendSchema,
  model: z.string(),
});
export type AnswerMetrics = z.infer<typeof answerMetricsSchema>;
