// A model download as the user sees it: where it comes from, how far it got, and why it stopped.
import { z } from 'zod';

export const DOWNLOAD_STATES = ['queued', 'downloading', 'paused', 'verifying', 'completed', 'failed', 'cancelled'] as const;
export type DownloadState = (typeof DOWNLOAD_STATES)[number];

export const downloadJobSchema = z.object({
  id: z.string(),
  /** What the user asked for (hf: URI or URL). */
  uri: z.string(),
  /** The URL actually fetched. */
  url: z.string(),
  fileName: z.string(),
  catalogId: z.string().nullable(),
  state: z.enum(DOWNLOAD_STATES),
  totalBytes: z.number().nonnegative().nullable(),
  /** Whether the server serves byte ranges (parallel connections and resuming need them). */
  acceptRanges: z.boolean(),
  receivedBytes: z.number().nonnegative(),
  bytesPerSecond: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
  /** Transfer attempts so far (1 for a download that never failed). */
  attempts: z.number().int().nonnegative(),
  error: z.object({ name: z.string(), message: z.string() }).nullable(),
  sha256Expected: z.string().nullable(),
  sha256Source: z.enum(['catalog', 'server', 'user']).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The installed model's id once completed. */
  modelId: z.string().nullable(),
});
export type DownloadJob = z.infer<typeof downloadJobSchema>;

export const startDownloadInputSchema = z.strictObject({
  uri: z.string().trim().min(1, 'Enter a hf: URI or an http(s) URL.').max(2000),
  sha256: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[0-9a-f]{64}$/, 'A sha256 is 64 hex digits.')
    .optional(),
  catalogId: z.string().min(1).optional(),
  fileName: z.string().min(1).max(255).optional(),
});
export type StartDownloadInput = z.infer<typeof startDownloadInputSchema>;
