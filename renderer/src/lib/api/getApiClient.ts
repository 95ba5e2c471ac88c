// Picks the transport the renderer talks to main through: the preload's IPC bridge in Electron,
// or HTTP + one event WebSocket on the page's own origin in serve mode. Everything above this
// file sees only the typed CodesageApi.
import { apiContract } from '../../../../common/api/contract';
import type { CodesageApi } from '../../../../common/api/contract';
import { createApiClient } from '../../../../common/api/createApiClient';
import { createHttpRawApi } from '../../../../common/api/createHttpRawApi';
import { openBrowserWebSocket } from './openBrowserWebSocket';

export type ApiTransport = 'ipc' | 'http';

export interface GetApiClientOptions {
  /** Serve mode only: called with true when the event socket opens and false when it drops. */
  readonly onConnectionChange?: (connected: boolean) => void;
}

export interface ApiClientHandle {
  readonly api: CodesageApi;
  readonly transport: ApiTransport;
  /** Closes the serve-mode event socket; nothing to release over IPC. */
  dispose(): void;
}

export function getApiClient(options: GetApiClientOptions = {}): ApiClientHandle {
  const bridge = window.codesage;
  if (bridge !== undefined) {
    return {
      api: createApiClient(apiContract, bridge),
      transport: 'ipc',
      dispose: () => undefined,
    };
  }
  const http = createHttpRawApi(apiContract, {
    // The server that served this page serves the API; its cookie authenticates both calls and socket.
    baseUrl: window.location.origin,
    createWebSocket: openBrowserWebSocket,
    ...(options.onConnectionChange === undefined ? {} : { onConnectionChange: options.onConnectionChange }),
  });
  return {
    api: createApiClient(apiContract, http.api),
    transport: 'http',
    dispose: () => {
      http.dispose();
    },
  };
}
