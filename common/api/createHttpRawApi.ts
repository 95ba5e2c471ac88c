// The serve-mode transport: calls are `POST /api/<domain>/<method>` with `{"input": …}` and answer
// an envelope; events arrive on one WebSocket at `/api/events` as `{"channel", "payload"}`.
// Works in a browser (token in a cookie set by the server) and in Node (token passed explicitly).
import { channelName, contractShape } from './contractKit';
import type { ContractSpec, Envelope, RawApi, Unsubscribe } from './contractKit';

/** The subset of the WebSocket API this transport uses, so browsers and Node both fit. */
export interface WebSocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(): void;
}

export interface HttpRawApiOptions {
  /** e.g. http://127.0.0.1:4312 */
  readonly baseUrl: string;
  /** Sent as a bearer token; omit in the browser, where the server's cookie carries it. */
  readonly token?: string;
  readonly fetch?: typeof fetch;
  /** Constructor for event sockets; events are not delivered when none is available. */
  readonly createWebSocket?: (url: string) => WebSocketLike;
  /** Reports connection state of the event socket, for the UI's "reconnecting" notice. */
  readonly onConnectionChange?: (connected: boolean) => void;
}

export interface HttpRawApiHandle<C extends ContractSpec> {
  readonly api: RawApi<C>;
  dispose(): void;
}

export function createHttpRawApi<C extends ContractSpec>(contract: C, options: HttpRawApiOptions): HttpRawApiHandle<C> {
  const doFetch = options.fetch ?? fetch;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocketLike | null = null;
  let disposed = false;
  let retryDelayMs = 250;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const connect = (): void => {
    if (disposed || socket !== null || options.createWebSocket === undefined) return;
    const wsUrl = new URL('/api/events', baseUrl.replace(/^http/, 'ws'));
    if (options.token !== undefined) wsUrl.searchParams.set('token', options.token);
    const ws = options.createWebSocket(wsUrl.toString());
    socket = ws;
    ws.onopen = () => {
      retryDelayMs = 250;
      options.onConnectionChange?.(true);
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      let message: unknown;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (typeof message !== 'object' || message === null) return;
      const { channel, payload } = message as { channel?: unknown; payload?: unknown };
      if (typeof channel !== 'string') return;
      for (const listener of listeners.get(channel) ?? []) listener(payload);
    };
    ws.onerror = () => {
      // onclose follows; reconnection happens there.
    };
    ws.onclose = () => {
      socket = null;
      options.onConnectionChange?.(false);
      if (disposed) return;
      retryTimer = setTimeout(connect, retryDelayMs);
      retryDelayMs = Math.min(retryDelayMs * 2, 5_000);
    };
  };

  const call = async (domain: string, method: string, input: unknown): Promise<Envelope> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}/api/${domain}/${method}`, {
        method: 'POST',
        headers,
        credentials: 'same-origin',
        body: JSON.stringify(input === undefined ? {} : { input }),
      });
    } catch (error) {
      return {
        ok: false,
        error: {
          name: 'ConnectionError',
          message: `CodeSage's server at ${baseUrl} did not answer (${error instanceof Error ? error.message : String(error)}). Is serve mode still running?`,
        },
      };
    }
    const text = await response.text();
    try {
      return JSON.parse(text) as Envelope;
    } catch {
      return {
        ok: false,
        error: { name: 'ProtocolError', message: `The server answered ${response.status} with a body that is not JSON.` },
      };
    }
  };

  const api: Record<string, Record<string, unknown>> = {};
  for (const { domain, methods, events } of contractShape(contract)) {
    const members: Record<string, unknown> = {};
    for (const name of methods) members[name] = (input?: unknown) => call(domain, name, input);
    for (const name of events) {
      const channel = channelName(domain, name);
      members[name] = (listener: (payload: unknown) => void): Unsubscribe => {
        let set = listeners.get(channel);
        if (set === undefined) listeners.set(channel, (set = new Set()));
        set.add(listener);
        connect();
        return () => set.delete(listener);
      };
    }
    api[domain] = members;
  }

  return {
    api: api as unknown as RawApi<C>,
    dispose() {
      disposed = true;
      clearTimeout(retryTimer);
      socket?.close();
      socket = null;
      listeners.clear();
    },
  };
}
