// An in-memory stand-in for main behind the raw API (what preload exposes as window.codesage):
// answers envelopes like main's dispatcher, keeps a settings document, emits events, records
// calls, and lets a test hold an answer back or make the next call fail.
import type { AppInfo, CodesageRawApi } from '../../../common/api/contract';
import type { Envelope, SerializedError } from '../../../common/api/contractKit';
import { DEFAULT_SETTINGS, applySettingsPatch, settingsPatchSchema } from '../../../common/settings/settingsSchema';
import type { Settings } from '../../../common/settings/settingsSchema';
import type { SystemInfo } from '../../../common/system/systemInfoSchema';
import { appInfoFixture, systemInfoFixture } from './fixtures';

export type FakeMethod = 'app.getInfo' | 'app.getSystemInfo' | 'settings.get' | 'settings.update' | 'settings.reset';
export type FakeEvent = 'app.onSystemInfoChanged' | 'settings.onChanged';

export interface FakeCall {
  readonly method: FakeMethod;
  readonly input: unknown;
}

export interface FakeBackendOptions {
  readonly appInfo?: AppInfo;
  readonly systemInfo?: SystemInfo;
  readonly settings?: Settings;
}

export interface FakeBackend {
  readonly raw: CodesageRawApi;
  readonly calls: FakeCall[];
  appInfo: AppInfo;
  systemInfo: SystemInfo;
  settings: Settings;
  /** Inputs of every call to one method, in order. */
  inputsOf(method: FakeMethod): unknown[];
  emit(event: FakeEvent, payload: unknown): void;
  listenerCount(event: FakeEvent): number;
  /** The next call of `method` answers this error instead of doing its work. */
  failNext(method: FakeMethod, error: SerializedError): void;
  /** Calls of `method` wait (answering from the state at release time) until release() is called. */
  hold(method: FakeMethod): { release(): void };
}

export function createFakeBackend(options: FakeBackendOptions = {}): FakeBackend {
  const listeners = new Map<FakeEvent, Set<(payload: unknown) => void>>();
  const failures = new Map<FakeMethod, SerializedError[]>();
  const gates = new Map<FakeMethod, Promise<void>>();

  // The members below run only after `backend` (declared last) exists.
  const call = async (method: FakeMethod, input: unknown, work: () => unknown): Promise<Envelope> => {
    backend.calls.push({ method, input });
    const gate = gates.get(method);
    if (gate !== undefined) await gate;
    // Like IPC, never answer synchronously.
    await Promise.resolve();
    const failure = failures.get(method)?.shift();
    if (failure !== undefined) return { ok: false, error: failure };
    try {
      return { ok: true, value: work() };
    } catch (error) {
      return {
        ok: false,
        error: { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) },
      };
    }
  };

  const subscribe = (event: FakeEvent, listener: (payload: unknown) => void): (() => void) => {
    let set = listeners.get(event);
    if (set === undefined) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  };

  const writeSettings = (settings: Settings): Settings => {
    backend.settings = settings;
    backend.emit('settings.onChanged', settings);
    return settings;
  };

  const raw: CodesageRawApi = {
    app: {
      getInfo: (input) => call('app.getInfo', input, () => backend.appInfo),
      getSystemInfo: (input) => call('app.getSystemInfo', input, () => backend.systemInfo),
      onSystemInfoChanged: (listener) => subscribe('app.onSystemInfoChanged', listener),
    },
    settings: {
      get: (input) => call('settings.get', input, () => backend.settings),
      update: (input) =>
        call('settings.update', input, () => {
          const patch = settingsPatchSchema.safeParse(input);
          if (!patch.success) throw Object.assign(new Error('The settings patch is invalid.'), { name: 'InvalidPayloadError' });
          return writeSettings(applySettingsPatch(backend.settings, patch.data));
        }),
      reset: (input) => call('settings.reset', input, () => writeSettings(DEFAULT_SETTINGS)),
      onChanged: (listener) => subscribe('settings.onChanged', listener),
    },
  };

  const backend: FakeBackend = {
    raw,
    calls: [],
    appInfo: options.appInfo ?? appInfoFixture,
    systemInfo: options.systemInfo ?? systemInfoFixture(),
    settings: options.settings ?? DEFAULT_SETTINGS,
    inputsOf: (method) => backend.calls.filter((entry) => entry.method === method).map((entry) => entry.input),
    emit: (event, payload) => {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    listenerCount: (event) => listeners.get(event)?.size ?? 0,
    failNext: (method, error) => {
      failures.set(method, [...(failures.get(method) ?? []), error]);
    },
    hold: (method) => {
      let release: () => void = () => undefined;
      gates.set(
        method,
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      );
      return {
        release: () => {
          gates.delete(method);
          release();
        },
      };
    },
  };
  return backend;
}
