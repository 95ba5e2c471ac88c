// The settings document: one zod schema shared by main (validation, migration) and the renderer
// (forms). Bump SETTINGS_SCHEMA_VERSION and add a migration in settingsMigrations.ts for any change
// that old files cannot satisfy.
import { z } from 'zod';

export const SETTINGS_SCHEMA_VERSION = 2;

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof themeSchema>;

/** Which llama.cpp backend to use; `auto` lets node-llama-cpp pick the best one this machine supports. */
export const computePreferenceSchema = z.enum(['auto', 'cuda', 'vulkan', 'metal', 'cpu']);
export type ComputePreference = z.infer<typeof computePreferenceSchema>;

/** Where a message goes when the user does not choose: see common/router. */
export const routingPolicySchema = z.enum(['offline', 'local-first', 'cloud-first']);
export type RoutingPolicySetting = z.infer<typeof routingPolicySchema>;

const modelIdSchema = z.string().min(1).max(255);

export const settingsSchema = z.object({
  schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION),
  appearance: z.object({
    theme: themeSchema,
  }),
  compute: z.object({
    backend: computePreferenceSchema,
  }),
  models: z.object({
    /** Where models are stored; null means `<data folder>/models`. */
    folder: z.string().min(1).max(4096).nullable(),
    /** Preselected in Chat; null lets the user pick. */
    defaultChatModelId: modelIdSchema.nullable(),
    /** Used for repository search once it exists. */
    defaultEmbeddingModelId: modelIdSchema.nullable(),
  }),
  routing: z.object({
    policy: routingPolicySchema,
  }),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  schemaVersion: SETTINGS_SCHEMA_VERSION,
  appearance: { theme: 'system' },
  compute: { backend: 'auto' },
  models: { folder: null, defaultChatModelId: null, defaultEmbeddingModelId: null },
  routing: { policy: 'local-first' },
};

/** A partial update; unknown keys are refused so a typo never silently does nothing. */
export const settingsPatchSchema = z.strictObject({
  appearance: z.strictObject({ theme: themeSchema }).partial().optional(),
  compute: z.strictObject({ backend: computePreferenceSchema }).partial().optional(),
  models: z
    .strictObject({
      folder: z
        .string()
        .trim()
        .min(1)
        .max(4096)
        .refine((folder) => /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(folder), 'The storage location must be an absolute path.')
        .nullable(),
      defaultChatModelId: modelIdSchema.nullable(),
      defaultEmbeddingModelId: modelIdSchema.nullable(),
    })
    .partial()
    .optional(),
  routing: z.strictObject({ policy: routingPolicySchema }).partial().optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export function applySettingsPatch(settings: Settings, patch: SettingsPatch): Settings {
  return settingsSchema.parse({
    ...settings,
    appearance: { ...settings.appearance, ...patch.appearance },
    compute: { ...settings.compute, ...patch.compute },
    models: { ...settings.models, ...patch.models },
    routing: { ...settings.routing, ...patch.routing },
  });
}
