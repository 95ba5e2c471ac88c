// Keeps the store a view of main: subscribes to main's events, makes the initial loads, and reloads
// after a serve-mode event socket reconnects (events sent while it was down are lost). The chat
// feature's part lives in bindChatApi. Returns a function that unsubscribes everything and ignores
// answers still in flight.
import type { CodesageApi } from '../../../../common/api/contract';
import { bindChatApi } from '../../features/chat/store/bindChatApi';
import { toErrorInfo } from '../../lib/errors/toErrorInfo';
import type { ErrorInfo } from '../../lib/errors/toErrorInfo';
import type { AppStore } from './createAppStore';

export function bindApiToStore(api: CodesageApi, store: AppStore): () => void {
  let disposed = false;
  // Bumped by every event, so an answer requested before an event cannot overwrite it with older data.
  let systemInfoEvents = 0;
  let settingsEvents = 0;
  let llmStateEvents = 0;

  const unsubscribeSystemInfo = api.app.onSystemInfoChanged((info) => {
    systemInfoEvents += 1;
    store.getState().systemInfoReceived(info);
  });
  const unsubscribeSettings = api.settings.onChanged((settings) => {
    settingsEvents += 1;
    store.getState().settingsReceived(settings);
  });
  const unsubscribeLlmState = api.llm.onStateChanged((state) => {
    llmStateEvents += 1;
    store.getState().llmStateReceived(state);
  });
  let modelsEvents = 0;
  const unsubscribeModels = api.models.onChanged((models) => {
    modelsEvents += 1;
    store.getState().installedModelsReceived(models);
  });
  const unbindChats = bindChatApi(api, store);

  const load = async <T>(
    request: () => Promise<T>,
    eventCount: () => number,
    onValue: (value: T) => void,
    onError: (error: ErrorInfo) => void,
  ): Promise<void> => {
    const eventsBefore = eventCount();
    try {
      const value = await request();
      if (!disposed && eventCount() === eventsBefore) onValue(value);
    } catch (error) {
      if (!disposed) onError(toErrorInfo(error));
    }
  };

  const loadAppInfo = (): Promise<void> =>
    load(
      () => api.app.getInfo(),
      () => 0,
      (info) => {
        store.getState().appInfoReceived(info);
      },
      (error) => {
        store.getState().appInfoFailed(error);
      },
    );
  const loadSettings = (): Promise<void> =>
    load(
      () => api.settings.get(),
      () => settingsEvents,
      (settings) => {
        store.getState().settingsReceived(settings);
      },
      (error) => {
        store.getState().settingsLoadFailed(error);
      },
    );
  const loadSystemInfo = (): Promise<void> =>
    load(
      () => api.app.getSystemInfo(),
      () => systemInfoEvents,
      (info) => {
        store.getState().systemInfoReceived(info);
      },
      (error) => {
        store.getState().systemInfoFailed(error);
      },
    );

  const loadLlmState = (): Promise<void> =>
    load(
      () => api.llm.getState(),
      () => llmStateEvents,
      (state) => {
        store.getState().llmStateReceived(state);
      },
      (error) => {
        store.getState().llmStateFailed(error);
      },
    );
  const loadModels = (): Promise<void> =>
    load(
      () => api.models.list(),
      () => modelsEvents,
      (models) => {
        store.getState().installedModelsReceived(models);
      },
      (error) => {
        store.getState().installedModelsFailed(error);
      },
    );
  const loadModelsFolder = (): Promise<void> =>
    load(
      () => api.models.getFolder(),
      () => 0,
      (folder) => {
        store.getState().modelsFolderReceived(folder);
      },
      (error) => {
        store.getState().modelsFolderFailed(error);
      },
    );

  const unsubscribeStore = store.subscribe((state, previous) => {
    if (previous.eventsConnection === 'reconnecting' && state.eventsConnection === 'connected') {
      void loadSettings();
      void loadSystemInfo();
      void loadLlmState();
      void loadModels();
    }
  });

  void loadAppInfo();
  void loadSettings();
  void loadSystemInfo();
  void loadLlmState();
  void loadModels();
  void loadModelsFolder();

  return () => {
    disposed = true;
    unsubscribeSystemInfo();
    unsubscribeSettings();
    unsubscribeLlmState();
    unsubscribeModels();
    unbindChats();
    unsubscribeStore();
  };
}
