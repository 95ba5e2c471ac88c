// Versioned migrations of the settings document. Each takes a document of schema version `from`
// and returns one of version `from + 1`. Schema v1 is the first release, so the list is empty;
// append here (never edit a released migration) when SETTINGS_SCHEMA_VERSION is bumped.
export interface SettingsMigration {
  readonly from: number;
  readonly migrate: (doc: Record<string, unknown>) => Record<string, unknown>;
}

export const settingsMigrations: readonly SettingsMigration[] = [];
