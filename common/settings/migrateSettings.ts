// Brings a settings document read from disk up to the current schema: runs the versioned
// migrations, then repairs what is still invalid field by field (falling back to the default of
// just that field), and reports every repair so the caller can back the original file up.
import { DEFAULT_SETTINGS, SETTINGS_SCHEMA_VERSION, settingsSchema } from './settingsSchema';
import type { Settings } from './settingsSchema';
import { settingsMigrations } from './settingsMigrations';
import type { SettingsMigration } from './settingsMigrations';

export interface MigrateSettingsResult {
  readonly settings: Settings;
  /** What was changed beyond migrations, in words; empty when the file was valid. */
  readonly repairs: readonly string[];
  readonly migratedFrom: number | null;
}

export class SettingsFromNewerVersionError extends Error {
  override readonly name = 'SettingsFromNewerVersionError';
  constructor(readonly fileVersion: number) {
    super(
      `The settings file was written by a newer CodeSage (schema v${String(fileVersion)}; this version reads up to v${String(SETTINGS_SCHEMA_VERSION)}). ` +
        'Update CodeSage, or move the settings file aside to start from defaults. The file was left untouched.',
    );
  }
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function getAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (!isObject(node)) return undefined;
    node = node[String(key)];
  }
  return node;
}

function setAt(root: JsonObject, path: readonly PropertyKey[], value: unknown): void {
  let node: JsonObject = root;
  for (const [index, key] of path.entries()) {
    const name = String(key);
    if (index === path.length - 1) {
      node[name] = value;
      return;
    }
    const next = node[name];
    if (!isObject(next)) node[name] = {};
    node = node[name] as JsonObject;
  }
}

export function migrateSettings(
  raw: unknown,
  migrations: readonly SettingsMigration[] = settingsMigrations,
  currentVersion: number = SETTINGS_SCHEMA_VERSION,
): MigrateSettingsResult {
  if (raw === undefined || (isObject(raw) && Object.keys(raw).length === 0)) {
    return { settings: structuredClone(DEFAULT_SETTINGS), repairs: [], migratedFrom: null };
  }
  const repairs: string[] = [];
  let doc: JsonObject;
  if (isObject(raw)) {
    doc = structuredClone(raw);
  } else {
    repairs.push('the settings file did not hold an object; defaults were restored');
    doc = {};
  }

  const declared = doc.schemaVersion;
  let version = typeof declared === 'number' && Number.isInteger(declared) && declared >= 1 ? declared : 1;
  if (version > currentVersion) throw new SettingsFromNewerVersionError(version);
  const migratedFrom = version < currentVersion ? version : null;
  for (const migration of [...migrations].sort((a, b) => a.from - b.from)) {
    if (migration.from !== version) continue;
    doc = migration.migrate(doc);
    version = migration.from + 1;
  }
  doc.schemaVersion = currentVersion;

  // Repair invalid fields one at a time, keeping every valid one the user set.
  for (let attempt = 0; attempt < 32; attempt++) {
    const parsed = settingsSchema.safeParse(doc);
    if (parsed.success) return { settings: parsed.data, repairs, migratedFrom };
    for (const issue of parsed.error.issues) {
      const fallback = getAt(DEFAULT_SETTINGS, issue.path);
      const where = issue.path.map(String).join('.');
      setAt(doc, issue.path, structuredClone(fallback));
      repairs.push(`${where}: ${issue.message}; reset to ${JSON.stringify(fallback)}`);
    }
  }
  repairs.push('the settings could not be repaired field by field; defaults were restored');
  return { settings: structuredClone(DEFAULT_SETTINGS), repairs, migratedFrom };
}
