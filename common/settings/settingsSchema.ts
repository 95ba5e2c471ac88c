// The settings document: one zod schema shared by main (validation, migration) and the renderer
// (forms). Bump SETTINGS_SCHEMA_VERSION and add a migration in settingsMigrations.ts for any change
// that old files cannot satisfy.
import { z } from 'zod';

export const SETTINGS_SCHEMA_VERSION = 1;

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof themeSchema>;

/** Which llama.cpp backend to use; `auto` lets node-llama-cpp pick the best one this machine supports. */
export const computePreferenceSchema = z.enum(['auto', 'cuda', 'vulkan', 'metal', 'cpu']);
export type ComputePreference = z.infer<typeof computePreferenceSchema>;

export const settingsSchema = z.object({
  schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION),
  appearance: z.object({
    theme: themeSchema,
  }),
  compute: z.object({
    backend: computePreferenceSchema,
  }),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  schemaVersion: SETTINGS_SCHEMA_VERSION,
  appearance: { theme: 'system' },
  compute: { backend: 'auto' },
};

/** A partial update; unknown keys are refused so a typo never silently does nothing. */
export const settingsPatchSchema = z.strictObject({
  appearance: z.strictObject({ theme: themeSchema }).partial().optional(),
  compute: z.strictObject({ backend: computePreferenceSchema }).partial().optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export function applySettingsPatch(settings: Settings, patch: SettingsPatch): Settings {
  return settingsSchema.parse({
    ...settings,
    appearance: { ...settings.appearance, ...patch.appearance },
    compute: { ...settings.compute, ...patch.compute },
  });
}
