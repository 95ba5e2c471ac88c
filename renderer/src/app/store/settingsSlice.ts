// The settings document as main last reported it, plus the state of the user's latest save or reset.
import type { StateCreator } from 'zustand';
import type { Settings } from '../../../../common/settings/settingsSchema';
import type { Loadable } from '../../lib/async/Loadable';
import type { ErrorInfo } from '../../lib/errors/toErrorInfo';
import type { AppState } from './AppState';

export interface SettingsSlice {
  readonly settings: Loadable<Settings>;
  /** True while a save or reset is waiting for main. */
  readonly settingsSaving: boolean;
  /** Why the last save or reset failed; cleared when the next one starts. */
  readonly settingsError: ErrorInfo | null;
  readonly settingsReceived: (settings: Settings) => void;
  readonly settingsLoadFailed: (error: ErrorInfo) => void;
  readonly settingsSaveStarted: () => void;
  readonly settingsSaveSucceeded: (settings: Settings) => void;
  readonly settingsSaveFailed: (error: ErrorInfo) => void;
}

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set, get) => ({
  settings: { status: 'loading' },
  settingsSaving: false,
  settingsError: null,
  settingsReceived: (settings) => {
    set({ settings: { status: 'ready', value: settings } });
  },
  settingsLoadFailed: (error) => {
    if (get().settings.status !== 'ready') set({ settings: { status: 'failed', error } });
  },
  settingsSaveStarted: () => {
    set({ settingsSaving: true, settingsError: null });
  },
  settingsSaveSucceeded: (settings) => {
    set({ settings: { status: 'ready', value: settings }, settingsSaving: false, settingsError: null });
  },
  settingsSaveFailed: (error) => {
    set({ settingsSaving: false, settingsError: error });
  },
});
