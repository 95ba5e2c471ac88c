import { describe, expect, it, vi } from 'vitest';
import { apiContract } from '../../../../common/api/contract';
import { createApiClient } from '../../../../common/api/createApiClient';
import { createFakeBackend } from '../../test/createFakeBackend';
import type { FakeBackend } from '../../test/createFakeBackend';
import { appInfoFixture, settingsFixture, systemInfoFixture } from '../../test/fixtures';
import { bindApiToStore } from './bindApiToStore';
import { createAppStore } from './createAppStore';
import type { ApiTransport } from '../../lib/api/getApiClient';

const cpuInfo = systemInfoFixture({ status: 'ready', backend: 'cpu', reason: 'Asked for cpu.', gpuNames: [], vram: null, threads: 4 });

function bind(backend: FakeBackend, transport: ApiTransport = 'ipc') {
  const store = createAppStore({ transport });
  const unbind = bindApiToStore(createApiClient(apiContract, backend.raw), store);
  return { store, unbind };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

describe('bindApiToStore', () => {
  it('loads app info, settings and system info into the store', async () => {
    const backend = createFakeBackend({ settings: settingsFixture({ theme: 'dark' }) });
    const { store } = bind(backend);
    expect(store.getState().systemInfo).toEqual({ status: 'loading' });
    await settle();
    expect(store.getState().appInfo).toEqual({ status: 'ready', value: appInfoFixture });
    expect(store.getState().settings).toEqual({ status: 'ready', value: settingsFixture({ theme: 'dark' }) });
    expect(store.getState().systemInfo).toEqual({ status: 'ready', value: systemInfoFixture() });
  });

  it('records load failures with the error name main sent', async () => {
    const backend = createFakeBackend();
    backend.failNext('app.getInfo', { name: 'AppInfoError', message: 'No data directory.' });
    backend.failNext('settings.get', { name: 'SettingsReadError', message: 'Unreadable.' });
    const { store } = bind(backend);
    await settle();
    expect(store.getState().appInfo).toEqual({ status: 'failed', error: { name: 'AppInfoError', message: 'No data directory.' } });
    expect(store.getState().settings).toEqual({ status: 'failed', error: { name: 'SettingsReadError', message: 'Unreadable.' } });
  });

  it('applies events, and an event beats an older answer still in flight', async () => {
    const backend = createFakeBackend();
    const held = backend.hold('app.getSystemInfo');
    const { store } = bind(backend);
    await settle();
    backend.emit('app.onSystemInfoChanged', cpuInfo);
    expect(store.getState().systemInfo).toEqual({ status: 'ready', value: cpuInfo });
    held.release();
    await settle();
    expect(store.getState().systemInfo).toEqual({ status: 'ready', value: cpuInfo });

    backend.emit('settings.onChanged', settingsFixture({ backend: 'metal' }));
    expect(store.getState().settings).toEqual({ status: 'ready', value: settingsFixture({ backend: 'metal' }) });
  });

  it('drops events that do not match the contract', async () => {
    const backend = createFakeBackend();
    const { store } = bind(backend);
    await settle();
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    backend.emit('settings.onChanged', { appearance: { theme: 'neon' } });
    expect(consoleError).toHaveBeenCalledTimes(1);
    consoleError.mockRestore();
    expect(store.getState().settings).toEqual({ status: 'ready', value: settingsFixture() });
  });

  it('reloads settings and system info after the serve-mode socket reconnects', async () => {
    const backend = createFakeBackend();
    const { store } = bind(backend, 'http');
    await settle();
    store.getState().eventsConnectionChanged(true);
    expect(backend.inputsOf('app.getSystemInfo')).toHaveLength(1);

    store.getState().eventsConnectionChanged(false);
    expect(store.getState().eventsConnection).toBe('reconnecting');
    backend.systemInfo = cpuInfo;
    backend.settings = settingsFixture({ theme: 'light' });
    store.getState().eventsConnectionChanged(true);
    await settle();
    expect(backend.inputsOf('app.getSystemInfo')).toHaveLength(2);
    expect(backend.inputsOf('settings.get')).toHaveLength(2);
    expect(store.getState().systemInfo).toEqual({ status: 'ready', value: cpuInfo });
    expect(store.getState().settings).toEqual({ status: 'ready', value: settingsFixture({ theme: 'light' }) });
  });

  it('unsubscribes everything and ignores late answers once disposed', async () => {
    const backend = createFakeBackend();
    const held = backend.hold('app.getSystemInfo');
    const { store, unbind } = bind(backend);
    expect(backend.listenerCount('app.onSystemInfoChanged')).toBe(1);
    expect(backend.listenerCount('settings.onChanged')).toBe(1);
    unbind();
    expect(backend.listenerCount('app.onSystemInfoChanged')).toBe(0);
    expect(backend.listenerCount('settings.onChanged')).toBe(0);
    held.release();
    await settle();
    expect(store.getState().systemInfo).toEqual({ status: 'loading' });
  });
});
