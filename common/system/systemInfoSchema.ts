// What main reports about the machine: CPU, memory and the compute backend llama.cpp will use.
import { z } from 'zod';

export const computeBackendSchema = z.enum(['cuda', 'metal', 'vulkan', 'cpu']);
export type ComputeBackend = z.infer<typeof computeBackendSchema>;

export const computeReportSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('detecting') }),
  z.object({
    status: z.literal('ready'),
    backend: computeBackendSchema,
    /** Human-readable: what was asked for, what was tried and why this backend won. */
    reason: z.string(),
    gpuNames: z.array(z.string()),
    vram: z.object({ totalBytes: z.number().nonnegative(), freeBytes: z.number().nonnegative() }).nullable(),
    threads: z.number().int().positive(),
  }),
  z.object({
    status: z.literal('failed'),
    /** Class name of the error, e.g. NoLlamaBinaryError. */
    errorName: z.string(),
    message: z.string(),
  }),
]);
export type ComputeReport = z.infer<typeof computeReportSchema>;

export const systemInfoSchema = z.object({
  platform: z.string(),
  arch: z.string(),
  cpu: z.object({
    model: z.string(),
    logicalCores: z.number().int().positive(),
    physicalCores: z.number().int().positive(),
    /** null where the platform gives no way to tell. */
    avx2: z.boolean().nullable(),
  }),
  memory: z.object({ totalBytes: z.number().nonnegative(), freeBytes: z.number().nonnegative() }),
  compute: computeReportSchema,
});
export type SystemInfo = z.infer<typeof systemInfoSchema>;
