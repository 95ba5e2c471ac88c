import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeBackend } from '../../test/createFakeBackend';
import { appInfoFixture, settingsFixture } from '../../test/fixtures';
import { getApiClient } from './getApiClient';

class FakeWebSocket {
  static readonly instances: FakeWebSocket[] = [];
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  close(): void {
    this.closed = true;
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakeWebSocket.instances.length = 0;
});

describe('getApiClient', () => {
  it('uses the preload bridge in Electron', async () => {
    const backend = createFakeBackend();
    window.codesage = backend.raw;
    const fetchSpy = vi.fn();
    vi.stubGlobal('fetch', fetchSpy);
    const client = getApiClient();
    expect(client.transport).toBe('ipc');
    expect(await client.api.app.getInfo()).toEqual(appInfoFixture);
    expect(backend.inputsOf('app.getInfo')).toHaveLength(1);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('talks HTTP and one event socket to the page origin in serve mode', async () => {
    const fetchSpy = vi.fn<(url: string, init: RequestInit) => Promise<Response>>(() =>
      Promise.resolve(new Response(JSON.stringify({ ok: true, value: settingsFixture({ theme: 'dark' }) }))),
    );
    vi.stubGlobal('fetch', fetchSpy);
    vi.stubGlobal('WebSocket', FakeWebSocket);
    const connection: boolean[] = [];
    const client = getApiClient({ onConnectionChange: (connected) => connection.push(connected) });
    expect(client.transport).toBe('http');

    expect(await client.api.settings.get()).toEqual(settingsFixture({ theme: 'dark' }));
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(fetchSpy.mock.calls[0]?.[0]).toBe(`${window.location.origin}/api/settings/get`);
    expect(fetchSpy.mock.calls[0]?.[1].credentials).toBe('same-origin');

    const received: unknown[] = [];
    client.api.settings.onChanged((settings) => received.push(settings));
    expect(FakeWebSocket.instances).toHaveLength(1);
    const socket = FakeWebSocket.instances[0];
    if (socket === undefined) throw new Error('no socket');
    expect(socket.url).toBe(`${window.location.origin.replace(/^http/, 'ws')}/api/events`);

    socket.onopen?.(new Event('open'));
    socket.onmessage?.(
      new MessageEvent('message', {
        data: JSON.stringify({ channel: 'settings.onChanged', payload: settingsFixture({ backend: 'cpu' }) }),
      }),
    );
    expect(received).toEqual([settingsFixture({ backend: 'cpu' })]);
    socket.onclose?.(new CloseEvent('close'));
    expect(connection).toEqual([true, false]);

    client.dispose();
  });
});
