// Where the settings document lives. Electron uses electron-store and serve mode uses conf; both
// expose the same `store` object and `path`, so one adapter covers both.
import { copyFileSync, existsSync, rmSync } from 'node:fs';

export interface SettingsStore {
  /** Absolute path of the JSON file, for messages and backups. */
  readonly path: string;
  /** The raw document, or undefined when no file exists yet. Throws SettingsFileCorruptError. */
  read(): unknown;
  write(value: unknown): void;
  /** Copies the file as it is on disk next to itself; returns the copy's path. */
  backup(reason: string): string | null;
}

export class SettingsFileCorruptError extends Error {
  override readonly name = 'SettingsFileCorruptError';
}

/** The part of conf / electron-store that the adapter uses. */
export interface ConfLike {
  readonly path: string;
  store: Record<string, unknown>;
}

/**
 * Adapts conf or electron-store, which both parse the file in their constructor and throw on a
 * corrupt one: `open` is called lazily, and a corrupt file is only replaced after backup() kept it.
 */
export function createConfSettingsStore(open: () => ConfLike, path: string): SettingsStore {
  let conf: ConfLike | null = null;
  let backedUp = false;
  const ensureOpen = (): ConfLike => {
    if (conf !== null) return conf;
    try {
      conf = open();
      return conf;
    } catch (error) {
      throw new SettingsFileCorruptError(
        `The settings file ${path} could not be read (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
  };
  return {
    path,
    read() {
      if (!existsSync(path)) return undefined;
      return ensureOpen().store;
    },
    write(value) {
      if (conf === null && backedUp) rmSync(path, { force: true });
      ensureOpen().store = value as Record<string, unknown>;
    },
    backup(reason) {
      if (!existsSync(path)) return null;
      const target = `${path}.${reason}-${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
      copyFileSync(path, target);
      backedUp = true;
      return target;
    },
  };
}
