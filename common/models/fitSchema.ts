// Will-it-fit: how a model would run on this machine, estimated from its GGUF header (read
// locally or over HTTP range requests) or, when the header cannot be read, from its file size.
import { z } from 'zod';

export const FIT_VERDICTS = ['gpu', 'partial', 'cpu', 'no-fit'] as const;
export type FitVerdict = (typeof FIT_VERDICTS)[number];

export const fitEstimateSchema = z.object({
  /** gpu: every layer in VRAM; partial: some layers offloaded; cpu: RAM only; no-fit: neither. */
  verdict: z.enum(FIT_VERDICTS),
  gpuLayers: z.number().int().nonnegative(),
  totalLayers: z.number().int().nonnegative().nullable(),
  /** Estimated memory for the chosen configuration (model + context), in bytes. */
  vramBytes: z.number().nonnegative(),
  ramBytes: z.number().nonnegative(),
  contextSize: z.number().int().nonnegative(),
  source: z.enum(['header', 'catalog']),
  /** One sentence for the user, e.g. "Needs 5.1 GB; 3.9 GB VRAM free: 20 of 28 layers on the GPU." */
  note: z.string(),
});
export type FitEstimate = z.infer<typeof fitEstimateSchema>;
