import { describe, expect, it } from 'vitest';
import { migrateSettings, SettingsFromNewerVersionError } from './migrateSettings';
import { DEFAULT_SETTINGS, SETTINGS_SCHEMA_VERSION } from './settingsSchema';
import type { SettingsMigration } from './settingsMigrations';

describe('migrateSettings', () => {
  it('returns defaults without repairs for a missing file', () => {
    const result = migrateSettings(undefined);
    expect(result.settings).toEqual(DEFAULT_SETTINGS);
    expect(result.repairs).toEqual([]);
  });

  it('keeps a valid document as it is', () => {
    const doc = { ...DEFAULT_SETTINGS, appearance: { theme: 'dark' }, compute: { backend: 'cpu' } };
    expect(migrateSettings(doc)).toEqual({ settings: doc, repairs: [], migratedFrom: null });
  });

  it('repairs only the invalid field and keeps the valid ones', () => {
    const result = migrateSettings({ ...DEFAULT_SETTINGS, appearance: { theme: 'neon' }, compute: { backend: 'cpu' } });
    expect(result.settings.appearance.theme).toBe('system');
    expect(result.settings.compute.backend).toBe('cpu');
    expect(result.repairs).toHaveLength(1);
    expect(result.repairs[0]).toContain('appearance.theme');
  });

  it('fills in missing sections from the defaults', () => {
    const result = migrateSettings({ schemaVersion: SETTINGS_SCHEMA_VERSION, compute: { backend: 'vulkan' } });
    expect(result.settings).toEqual({ ...DEFAULT_SETTINGS, compute: { backend: 'vulkan' } });
  });

  it('replaces a document that is not an object and says so', () => {
    const result = migrateSettings(['not', 'settings']);
    expect(result.settings).toEqual(DEFAULT_SETTINGS);
    expect(result.repairs.join(' ')).toContain('did not hold an object');
  });

  it('refuses a file from a newer schema instead of overwriting it', () => {
    expect(() => migrateSettings({ schemaVersion: SETTINGS_SCHEMA_VERSION + 1 })).toThrow(SettingsFromNewerVersionError);
  });

  it('migrates a version 1 file to version 2, keeping what the user chose', () => {
    const result = migrateSettings({ schemaVersion: 1, appearance: { theme: 'dark' }, compute: { backend: 'cpu' } });
    expect(result.migratedFrom).toBe(1);
    expect(result.repairs).toEqual([]);
    expect(result.settings).toEqual({
      ...DEFAULT_SETTINGS,
      appearance: { theme: 'dark' },
      compute: { backend: 'cpu' },
      models: { folder: null, defaultChatModelId: null, defaultEmbeddingModelId: null },
      routing: { policy: 'local-first' },
    });
  });

  it('runs versioned migrations in order up to the current version', () => {
    const migrations: SettingsMigration[] = [
      { from: 2, migrate: (doc) => ({ ...doc, appearance: { theme: doc.colour } }) },
      { from: 1, migrate: (doc) => ({ ...doc, colour: doc.theme === 'night' ? 'dark' : 'light' }) },
    ];
    const result = migrateSettings({ schemaVersion: 1, theme: 'night', compute: { backend: 'cpu' } }, migrations, 3);
    expect(result.migratedFrom).toBe(1);
    expect(result.settings.appearance.theme).toBe('dark');
    expect(result.settings.compute.backend).toBe('cpu');
  });
});
