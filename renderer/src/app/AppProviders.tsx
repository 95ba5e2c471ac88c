// Hands the typed API and the store to the component tree.
import type { ReactNode } from 'react';
import type { CodesageApi } from '../../../common/api/contract';
import { ApiContext } from '../lib/api/ApiContext';
import { AppStoreContext } from './store/AppStoreContext';
import type { AppStore } from './store/createAppStore';

export interface AppProvidersProps {
  readonly api: CodesageApi;
  readonly store: AppStore;
  readonly children: ReactNode;
}

export function AppProviders({ api, store, children }: AppProvidersProps) {
  return (
    <ApiContext value={api}>
      <AppStoreContext value={store}>{children}</AppStoreContext>
    </ApiContext>
  );
}
