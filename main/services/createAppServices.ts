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
import { ModelLibrary } from './models/ModelLibrary';
import { LlmEngine } from './llm/LlmEngine';
import { ChatStore } from './chats/ChatStore';
import { ChatService } from './chats/ChatService';
import { join } from 'node:path';
import type { InstalledModel } from '../../common/llm/llmSchema';
import { DownloadManager } from './downloads/DownloadManager';
import { ModelCatalog, loadCatalog } from './models/catalog/ModelCatalog';
import { machineMemoryOf } from './models/fit/estimateFit';
import { IntentService } from './intent/IntentService';
import { resolveBundledIntentModelPath } from './intent/resolveBundledIntentModelPath';
import { MessageRouter } from './routing/MessageRouter';
import { FeedbackStore } from './feedback/FeedbackStore';

export interface AppServicesOptions {
  readonly shell: AppInfo['shell'];
  readonly dataDir: string;
  readonly version: string;
  readonly settingsStore: SettingsStore;
  readonly electronVersion?: string | null;
  /** Injected in tests to avoid loading llama.cpp. */
  readonly loadLlama?: (options: LoadLlamaOptions) => Promise<LoadedLlama>;
  readonly warn?: (message: string) => void;
  /** A catalog file replacing the bundled one (tests, offline mirrors); default CODESAGE_CATALOG. */
  readonly catalogPath?: string | null;
  /** Where hf: URIs resolve; default CODESAGE_HF_ENDPOINT or https://huggingface.co. */
  readonly huggingFaceEndpoint?: string;
  /** Resume unfinished downloads at start (default true; the CLI's one-shot commands say false). */
  readonly resumeDownloads?: boolean;
  /** The intent model; default the bundled one (models/intent/intent.onnx). */
  readonly intentModelPath?: string;
}

export interface AppServices extends AsyncDisposable {
  readonly settings: SettingsService;
  readonly system: SystemService;
  readonly models: ModelLibrary;
  readonly downloads: DownloadManager;
  readonly catalog: ModelCatalog;
  /** Imports a GGUF file into the models folder and announces the new model list. */
  importModel(path: string, options?: { fileName?: string; move?: boolean }): Promise<InstalledModel>;
  readonly llm: LlmEngine;
  readonly chats: ChatService;
  readonly intent: IntentService;
  readonly router: MessageRouter;
  readonly feedback: FeedbackStore;
  readonly dispatcher: ApiDispatcher<ApiContract>;
  readonly events: ApiEventHub<ApiContract>;
  dispose(): Promise<void>;
}

export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  const settings = new SettingsService({ store: options.settingsStore, ...(options.warn ? { warn: options.warn } : {}) });
  const system = new SystemService({
    settings,
    loadLlama: options.loadLlama ?? loadLlama,
    physicalCoreCount,
    cpuSupportsAvx2,
  });
  const defaultModelsFolder = join(options.dataDir, 'models');
  const models = new ModelLibrary({ folder: settings.get().models.folder ?? defaultModelsFolder });
  const huggingFaceEndpoint = options.huggingFaceEndpoint ?? process.env.CODESAGE_HF_ENDPOINT;
  const catalog = new ModelCatalog({
    catalog: await loadCatalog(options.catalogPath ?? process.env.CODESAGE_CATALOG ?? null),
    machine: async () => machineMemoryOf(await system.getSystemInfo()),
    installedIds: async () => new Set((await models.list()).map((model) => model.id)),
    ...(huggingFaceEndpoint === undefined ? {} : { huggingFaceEndpoint }),
  });
  const downloads = await DownloadManager.create({
    modelsFolder: () => models.folder,
    stateFolder: join(options.dataDir, 'downloads'),
    resumeOnStart: options.resumeDownloads ?? true,
    knownSha256: (uri) => catalog.sha256Of(uri),
    ...(huggingFaceEndpoint === undefined ? {} : { huggingFaceEndpoint }),
  });
  const emitModels = async (): Promise<void> => {
    events.emit('models', 'onChanged', await models.list());
  };
  const importModel = async (path: string, importOptions: { fileName?: string; move?: boolean } = {}): Promise<InstalledModel> => {
    const model = await models.import(path, importOptions);
    await emitModels();
    return model;
  };
  const llm = new LlmEngine({ getLlama: () => system.getLlama() });
  const chatStore = await ChatStore.open({ directory: join(options.dataDir, 'chats'), ...(options.warn ? { warn: options.warn } : {}) });
  const intent = await IntentService.create({ modelPath: options.intentModelPath ?? resolveBundledIntentModelPath() });
  if (intent.state.problem !== null) (options.warn ?? console.warn)(intent.state.problem);
  const router = new MessageRouter({
    classify: (text, classifyOptions) => intent.classify(text, classifyOptions),
    policy: () => settings.get().routing.policy,
    // Cloud chat, repository indexing and the review pipeline arrive with their features; until
    // then the router never offers them.
    availability: () => ({
      localModelLoaded: llm.state().status === 'ready',
      cloudConfigured: false,
      reposIndexed: false,
      reviewAvailable: false,
    }),
  });
  const feedback = await FeedbackStore.open({ folder: join(options.dataDir, 'feedback'), ...(options.warn ? { warn: options.warn } : {}) });
  const chats = new ChatService({ store: chatStore, engine: llm, router, feedback, ...(options.warn ? { warn: options.warn } : {}) });
  const events = new ApiEventHub(apiContract);
  const subscriptions: Disposable[] = [
    settings.onDidChange((value) => {
      events.emit('settings', 'onChanged', value);
      const folder = value.models.folder ?? defaultModelsFolder;
      if (folder !== models.folder) {
        models.setFolder(folder);
        void emitModels();
      }
    }),
    downloads.onDidChange((job) => {
      events.emit('downloads', 'onChanged', job);
      if (job.state === 'completed') void emitModels();
    }),
    system.onDidChange((value) => {
      events.emit('app', 'onSystemInfoChanged', value);
    }),
    llm.onDidChangeState((state) => {
      events.emit('llm', 'onStateChanged', state);
    }),
    chats.onDidAppendText((delta) => {
      events.emit('chats', 'onMessageDelta', delta);
    }),
    chats.onDidChangeConversation((conversation) => {
      events.emit('chats', 'onConversationChanged', conversation);
    }),
    chats.onDidDeleteConversation((deletion) => {
      events.emit('chats', 'onConversationDeleted', deletion);
    }),
    feedback.onDidChange((entries) => {
      events.emit('feedback', 'onChanged', entries);
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
    models: {
      list: () => models.list(),
      getFolder: () => models.folder,
      catalog: () => catalog.list(),
      fit: ({ target }) => catalog.fitOf(target),
      import: ({ path }) => importModel(path),
      delete: async ({ modelId }) => {
        const loaded = llm.state();
        if (loaded.status === 'ready' && loaded.model.id === modelId) await llm.unloadModel();
        await models.delete(modelId);
        const current = settings.get().models;
        if (current.defaultChatModelId === modelId) settings.update({ models: { defaultChatModelId: null } });
        if (current.defaultEmbeddingModelId === modelId) settings.update({ models: { defaultEmbeddingModelId: null } });
        await emitModels();
        return true;
      },
    },
    downloads: {
      list: () => downloads.list(),
      start: (input) => downloads.start(withoutUndefined(input)),
      pause: ({ id }) => downloads.pause(id),
      resume: ({ id }) => downloads.resume(id),
      cancel: ({ id }) => downloads.cancel(id),
      remove: ({ id }) => downloads.remove(id),
    },
    llm: {
      getState: () => llm.state(),
      loadModel: async ({ modelId, gpuLayers, contextSize }) =>
        llm.loadModel(await models.resolve(modelId), {
          ...(gpuLayers !== undefined ? { gpuLayers } : {}),
          ...(contextSize !== undefined ? { contextSize } : {}),
        }),
      cancelLoad: () => llm.cancelLoad(),
      unloadModel: () => llm.unloadModel(),
    },
    chats: {
      list: () => chats.list(),
      search: ({ query }) => chats.search(query),
      get: ({ conversationId }) => chats.get(conversationId),
      create: (init) => chats.create(withoutUndefined(init ?? {})),
      rename: ({ conversationId, title }) => chats.rename(conversationId, title),
      configure: ({ conversationId, ...change }) => chats.configure(conversationId, withoutUndefined(change)),
      delete: ({ conversationId }) => chats.delete(conversationId),
      listPresets: () => chats.listPresets(),
      send: ({ conversationId, content, route }) => chats.send(conversationId, content, withoutUndefined({ route })),
      stop: ({ conversationId }) => chats.stop(conversationId),
      regenerate: ({ conversationId, messageId, route }) => chats.regenerate(conversationId, messageId, withoutUndefined({ route })),
      edit: ({ conversationId, messageId, content, route }) => chats.edit(conversationId, messageId, content, withoutUndefined({ route })),
      correctIntent: ({ conversationId, messageId, label }) => chats.correctIntent(conversationId, messageId, label),
      selectBranch: ({ conversationId, messageId }) => chats.selectBranch(conversationId, messageId),
      export: ({ conversationId, format }) => chats.export(conversationId, format),
    },
    intent: {
      getStatus: () => {
        const { modelVersion, provider, providerFallback, problem, uncertaintyThreshold } = intent.state;
        return { modelVersion, provider, providerFallback, problem, uncertaintyThreshold };
      },
      route: ({ text, route }) => router.route(text, route ?? null),
    },
    feedback: {
      list: () => feedback.list(),
      delete: ({ id }) => feedback.delete(id),
    },
  };

  const dispose = async (): Promise<void> => {
    for (const subscription of subscriptions) subscription.dispose();
    await downloads.dispose();
    await chats.dispose();
    chatStore.dispose();
    feedback.dispose();
    await intent.dispose();
    await llm.dispose();
    events.dispose();
    await system.dispose();
    settings.dispose();
  };

  return {
    settings,
    system,
    models,
    downloads,
    catalog,
    importModel,
    llm,
    chats,
    intent,
    router,
    feedback,
    dispatcher: new ApiDispatcher(apiContract, handlers),
    events,
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}

/** zod's optional fields come through as possibly-undefined; the services take absent keys. */
function withoutUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
