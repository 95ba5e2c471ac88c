// Saving, resetting and reloading settings through main. Main owns the settings file; the store
// only records its answers and, on failure, why (the form keeps the user's unsaved choices).
import { useMemo } from 'react';
import type { Settings, SettingsPatch } from '../../../../../common/settings/settingsSchema';
import { useAppStoreApi } from '../../../app/store/useAppStore';
import { useApi } from '../../../lib/api/useApi';
import { toErrorInfo } from '../../../lib/errors/toErrorInfo';

export interface SettingsActions {
  /** Resolves true once main saved the patch, false if it refused (the reason is in the store). */
  save(patch: SettingsPatch): Promise<boolean>;
  reset(): Promise<boolean>;
  /** Asks main for the settings again, after the first load failed. */
  reload(): Promise<void>;
}

export function useSettingsActions(): SettingsActions {
  const api = useApi();
  const store = useAppStoreApi();
  return useMemo(() => {
    const write = async (operation: () => Promise<Settings>): Promise<boolean> => {
      store.getState().settingsSaveStarted();
      try {
        store.getState().settingsSaveSucceeded(await operation());
        return true;
      } catch (error) {
        store.getState().settingsSaveFailed(toErrorInfo(error));
        return false;
      }
    };
    return {
      save: (patch) => write(() => api.settings.update(patch)),
      reset: () => write(() => api.settings.reset()),
      reload: async () => {
        try {
          store.getState().settingsReceived(await api.settings.get());
        } catch (error) {
          store.getState().settingsLoadFailed(toErrorInfo(error));
        }
      },
    };
  }, [api, store]);
}
