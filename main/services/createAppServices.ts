// The composition root shared by both shells: builds every service by hand, wires their events to
// the API event hub and returns the dispatcher the transports use. The Electron shell (main/app)
// and serve mode (main/serve) differ only in the settings store and the transport they attach.
import { apiContract } from '../../common/api/contract';
import type { ApiContract, AppInfo, CodesageHandlers } from '../../common/api/contract';
import type { Disposable } from '../../common/base/Emitter';
import { cpuSupportsAvx2 } from '../../native/cpu/cpuSupportsAvx2';
import { physicalCoreCount } from '../../native/cpu/physicalCoreCount';
import { loadLlama } from '../../native/llama/loadLlama';
import type { LoadedLlama, LoadLlamaOptions } from '../../native/llama/loadLlama';
import { ApiDispatcher } from './api/ApiDispatcher';
import { ApiEventHub } from './api/ApiEventHub';
import { SettingsService } from './settings/SettingsService';
import type { SettingsStore } from './settings/SettingsStore';
import { SystemService } from './system/SystemService';

export interface AppServicesOptions {
  readonly shell: AppInfo['shell'];
  readonly dataDir: string;
  readonly version: string;
  readonly settingsStore: SettingsStore;
  readonly electronVersion?: string | null;
  /** Injected in tests to avoid loading llama.cpp. */
  readonly loadLlama?: (options: LoadLlamaOptions) => Promise<LoadedLlama>;
  readonly warn?: (message: string) => void;
}

export interface AppServices extends AsyncDisposable {
  readonly settings: SettingsService;
  readonly system: SystemService;
  readonly dispatcher: ApiDispatcher<ApiContract>;
  readonly events: ApiEventHub<ApiContract>;
  dispose(): Promise<void>;
}

export function createAppServices(options: AppServicesOptions): AppServices {
  const settings = new SettingsService({ store: options.settingsStore, ...(options.warn ? { warn: options.warn } : {}) });
  const system = new SystemService({
    settings,
    loadLlama: options.loadLlama ?? loadLlama,
    physicalCoreCount,
    cpuSupportsAvx2,
  });
  const events = new ApiEventHub(apiContract);
  const subscriptions: Disposable[] = [
    settings.onDidChange((value) => {
      events.emit('settings', 'onChanged', value);
    }),
    system.onDidChange((value) => {
      events.emit('app', 'onSystemInfoChanged', value);
    }),
  ];

  const appInfo: AppInfo = {
    name: 'CodeSage',
    version: options.version,
    shell: options.shell,
    dataDir: options.dataDir,
    versions: { node: process.versions.node, electron: options.electronVersion ?? null },
  };

  const handlers: CodesageHandlers = {
    app: {
      getInfo: () => appInfo,
      getSystemInfo: () => system.getSystemInfo(),
    },
    settings: {
      get: () => settings.get(),
      update: (patch) => settings.update(patch),
      reset: () => settings.reset(),
    },
  };

  const dispose = async (): Promise<void> => {
    for (const subscription of subscriptions) subscription.dispose();
    events.dispose();
    await system.dispose();
    settings.dispose();
  };

  return {
    settings,
    system,
    dispatcher: new ApiDispatcher(apiContract, handlers),
    events,
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}
