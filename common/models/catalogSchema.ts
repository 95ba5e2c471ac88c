// The model catalog (models/catalog.json): curated models a user can download with one click.
// Each entry is a model family member in one or more quantizations; sizes are what the file
// weighs, sha256 is filled in only where it is known (otherwise the server's hash is used).
import { z } from 'zod';
import { fitEstimateSchema } from './fitSchema';

export const MODEL_ROLES = ['chat', 'embedding', 'reranker'] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lowercase hex digits');

export const catalogVariantSchema = z.strictObject({
  /** The quantization, e.g. "Q4_K_M". */
  quant: z.string().min(1),
  /** `hf:owner/repo/file.gguf` (optionally `#revision`), `hf:owner/repo:QUANT`, or an http(s) URL. */
  uri: z.string().min(1),
  sizeBytes: z.number().int().positive(),
  sha256: sha256Hex.nullable(),
});
export type CatalogVariant = z.infer<typeof catalogVariantSchema>;

export const catalogEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'ids are lowercase letters, digits, dots, dashes'),
  name: z.string().min(1),
  family: z.string().min(1),
  role: z.enum(MODEL_ROLES),
  description: z.string(),
  license: z.string().min(1),
  contextLength: z.number().int().positive(),
  /** Parameter count as people say it, e.g. "1.5B". */
  parameters: z.string().min(1),
  homepage: z.url().optional(),
  variants: z.array(catalogVariantSchema).min(1),
});
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

export const catalogSchema = z
  .strictObject({
    version: z.literal(1),
    entries: z.array(catalogEntrySchema),
  })
  .superRefine((catalog, ctx) => {
    const seen = new Set<string>();
    for (const [index, entry] of catalog.entries.entries()) {
      if (seen.has(entry.id)) ctx.addIssue({ code: 'custom', path: ['entries', index, 'id'], message: `duplicate id ${entry.id}` });
      seen.add(entry.id);
    }
  });
export type Catalog = z.infer<typeof catalogSchema>;

/** A catalog variant as the Models view shows it: with its fit on this machine. */
export const catalogVariantViewSchema = catalogVariantSchema.extend({
  fit: fitEstimateSchema,
  /** The pick of its family for this machine. */
  recommended: z.boolean(),
  /** The file is already in the models folder. */
  installed: z.boolean(),
});
export const catalogEntryViewSchema = catalogEntrySchema.extend({ variants: z.array(catalogVariantViewSchema) });
export type CatalogEntryView = z.infer<typeof catalogEntryViewSchema>;
export type CatalogVariantView = z.infer<typeof catalogVariantViewSchema>;
