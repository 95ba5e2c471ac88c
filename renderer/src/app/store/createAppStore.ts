// Builds the renderer's one zustand store from its slices. A factory rather than a module-level
// singleton, so each test (and each window) gets a fresh store.
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { createChatSlice } from '../../features/chat/store/chatSlice';
import type { ApiTransport } from '../../lib/api/getApiClient';
import type { AppState } from './AppState';
import { createConnectionSlice } from './connectionSlice';
import { createLlmSlice } from './llmSlice';
import { createNavigationSlice } from './navigationSlice';
import { createSettingsSlice } from './settingsSlice';
import { createSystemSlice } from './systemSlice';

export type AppStore = StoreApi<AppState>;

export interface AppStoreOptions {
  readonly transport: ApiTransport;
}

export function createAppStore(options: AppStoreOptions): AppStore {
  const connectionSlice = createConnectionSlice(options.transport);
  return createStore<AppState>()((...args) => ({
    ...createNavigationSlice(...args),
    ...createSystemSlice(...args),
    ...createSettingsSlice(...args),
    ...connectionSlice(...args),
    ...createLlmSlice(...args),
    ...createChatSlice(...args),
  }));
}
