// Owns the settings document: loads and migrates it once, validates every update against the
// shared schema, persists it and announces changes. A file it cannot understand is backed up
// before anything is written over it, so the user's data is never lost.
import { Emitter } from '../../../common/base/Emitter';
import type { Disposable, Event } from '../../../common/base/Emitter';
import { applySettingsPatch, DEFAULT_SETTINGS } from '../../../common/settings/settingsSchema';
import type { Settings, SettingsPatch } from '../../../common/settings/settingsSchema';
import { migrateSettings, SettingsFromNewerVersionError } from '../../../common/settings/migrateSettings';
import { SettingsFileCorruptError } from './SettingsStore';
import type { SettingsStore } from './SettingsStore';

export class SettingsReadOnlyError extends Error {
  override readonly name = 'SettingsReadOnlyError';
}

export interface SettingsServiceOptions {
  readonly store: SettingsStore;
  /** Where load-time notices go (repairs, backups); console.warn by default. */
  readonly warn?: (message: string) => void;
}

export class SettingsService implements Disposable {
  private current: Settings;
  private readOnlyReason: string | null = null;
  private readonly changed = new Emitter<Settings>();
  readonly onDidChange: Event<Settings> = this.changed.event;
  /** Notices from loading, e.g. repaired fields; shown to the user by the shell. */
  readonly loadNotices: string[] = [];

  constructor(private readonly options: SettingsServiceOptions) {
    this.current = this.load();
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  update(patch: SettingsPatch): Settings {
    return this.replace(applySettingsPatch(this.current, patch));
  }

  reset(): Settings {
    return this.replace(structuredClone(DEFAULT_SETTINGS));
  }

  dispose(): void {
    this.changed.dispose();
  }

  private replace(next: Settings): Settings {
    if (this.readOnlyReason !== null) throw new SettingsReadOnlyError(this.readOnlyReason);
    this.options.store.write(next);
    this.current = next;
    this.changed.fire(this.get());
    return this.get();
  }

  private load(): Settings {
    const { store } = this.options;
    const warn =
      this.options.warn ??
      ((message: string) => {
        console.warn(message);
      });
    const notice = (message: string) => {
      this.loadNotices.push(message);
      warn(message);
    };
    let raw: unknown;
    try {
      raw = store.read();
    } catch (error) {
      if (!(error instanceof SettingsFileCorruptError)) throw error;
      const copy = store.backup('corrupt');
      notice(`${error.message} It was saved as ${copy ?? '(no copy)'} and defaults are in use.`);
      store.write(DEFAULT_SETTINGS);
      return structuredClone(DEFAULT_SETTINGS);
    }
    try {
      const result = migrateSettings(raw);
      if (result.repairs.length > 0 || result.migratedFrom !== null) {
        const copy = store.backup(result.repairs.length > 0 ? 'repaired' : `v${String(result.migratedFrom)}`);
        if (result.repairs.length > 0) {
          notice(
            `Some settings in ${store.path} were invalid and were reset (original saved as ${copy ?? '(no copy)'}): ${result.repairs.join('; ')}`,
          );
        }
        store.write(result.settings);
      } else if (raw === undefined) {
        store.write(result.settings);
      }
      return result.settings;
    } catch (error) {
      if (!(error instanceof SettingsFromNewerVersionError)) throw error;
      this.readOnlyReason = `${error.message} Changes cannot be saved until then.`;
      notice(error.message);
      return structuredClone(DEFAULT_SETTINGS);
    }
  }
}
