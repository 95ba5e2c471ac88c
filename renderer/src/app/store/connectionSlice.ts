// How this window reaches main: IPC in Electron (always connected), HTTP + an event WebSocket in
// serve mode, where the socket can drop and events are missed until it reconnects.
import type { StateCreator } from 'zustand';
import type { ApiTransport } from '../../lib/api/getApiClient';
import type { AppState } from './AppState';

export type EventsConnection = 'connecting' | 'connected' | 'reconnecting';

export interface ConnectionSlice {
  readonly transport: ApiTransport;
  readonly eventsConnection: EventsConnection;
  readonly eventsConnectionChanged: (connected: boolean) => void;
}

export function createConnectionSlice(transport: ApiTransport): StateCreator<AppState, [], [], ConnectionSlice> {
  return (set, get) => ({
    transport,
    eventsConnection: transport === 'ipc' ? 'connected' : 'connecting',
    eventsConnectionChanged: (connected) => {
      if (connected) set({ eventsConnection: 'connected' });
      // Before the first successful open the socket is still connecting, not reconnecting.
      else if (get().eventsConnection === 'connected') set({ eventsConnection: 'reconnecting' });
    },
  });
}
