// Versioned migrations of the settings document. Each takes a document of schema version `from`
// and returns one of version `from + 1`. Schema v1 is the first release, so the list is empty;
// append here (never edit a released migration) when SETTINGS_SCHEMA_VERSION is bumped.
export interface SettingsMigration {
  readonly from: number;
  readonly migrate: (doc: Record<string, unknown>) => Record<string, unknown>;
}

export const settingsMigrations: readonly SettingsMigration[] = [
  {
    // v2: the model storage location and default models (download manager), and the routing
    // policy (intent routing). Existing users keep everything and get the defaults.
    from: 1,
    migrate: (doc) => ({
      ...doc,
      schemaVersion: 2,
      models: { folder: null, defaultChatModelId: null, defaultEmbeddingModelId: null },
      routing: { policy: 'local-first' },
    }),
  },
];
