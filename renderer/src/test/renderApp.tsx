// Renders the whole shell against a fake backend, wired exactly as main.tsx wires the real one.
import { render } from '@testing-library/react';
import type { RenderResult } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { UserEvent } from '@testing-library/user-event';
import { apiContract } from '../../../common/api/contract';
import type { CodesageApi } from '../../../common/api/contract';
import { createApiClient } from '../../../common/api/createApiClient';
import { App } from '../app/App';
import { AppProviders } from '../app/AppProviders';
import { bindApiToStore } from '../app/store/bindApiToStore';
import { createAppStore } from '../app/store/createAppStore';
import type { AppStore } from '../app/store/createAppStore';
import type { ViewId } from '../app/store/navigationSlice';
import type { ApiTransport } from '../lib/api/getApiClient';
import { createFakeBackend } from './createFakeBackend';
import type { FakeBackend } from './createFakeBackend';

export interface RenderAppOptions {
  readonly backend?: FakeBackend;
  readonly transport?: ApiTransport;
  readonly view?: ViewId;
}

export interface RenderedApp extends RenderResult {
  readonly backend: FakeBackend;
  readonly api: CodesageApi;
  readonly store: AppStore;
  readonly user: UserEvent;
  readonly unbind: () => void;
}

export function renderApp(options: RenderAppOptions = {}): RenderedApp {
  const backend = options.backend ?? createFakeBackend();
  const api = createApiClient(apiContract, backend.raw);
  const store = createAppStore({ transport: options.transport ?? 'ipc' });
  if (options.view !== undefined) store.getState().navigate(options.view);
  const unbind = bindApiToStore(api, store);
  const user = userEvent.setup();
  const result = render(
    <AppProviders api={api} store={store}>
      <App />
    </AppProviders>,
  );
  return { ...result, backend, api, store, user, unbind };
}
