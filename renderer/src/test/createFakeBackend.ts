// An in-memory stand-in for main behind the raw API (what preload exposes as window.codesage).
// Like main's dispatcher it validates every input against the contract and answers envelopes; it
// keeps a settings document, installed models, the llm state and conversations (message trees),
// emits events, records calls, and lets a test hold an answer back or make the next call fail.
// Answers stream only when the test says so (stream / finishAnswer), so every step is observable.
import { InvalidPayloadError, serializeError } from '../../../common/api/ApiError';
import { apiContract } from '../../../common/api/contract';
import type { AppInfo, CodesageHandlers, CodesageRawApi } from '../../../common/api/contract';
import { contractShape } from '../../../common/api/contractKit';
import type { Envelope, MethodSpec, SerializedError, Unsubscribe } from '../../../common/api/contractKit';
import { formatZodIssues } from '../../../common/api/formatZodError';
import { DEFAULT_GENERATION_PARAMS } from '../../../common/chat/chatSchema';
import type { ChatMessage, Conversation, SearchHit, SystemPromptPreset } from '../../../common/chat/chatSchema';
import type { AnswerMetrics, InstalledModel, LlmState, LoadedModel } from '../../../common/llm/llmSchema';
import { DEFAULT_SETTINGS, applySettingsPatch } from '../../../common/settings/settingsSchema';
import type { Settings } from '../../../common/settings/settingsSchema';
import type { ComputeBackend, SystemInfo } from '../../../common/system/systemInfoSchema';
import type { CatalogEntryView } from '../../../common/models/catalogSchema';
import type { DownloadJob } from '../../../common/models/downloadSchema';
import type { FitEstimate } from '../../../common/models/fitSchema';
import type { FeedbackEntry } from '../../../common/feedback/feedbackSchema';
import { INTENT_LABELS } from '../../../common/intent/intentLabels';
import type { IntentLabel } from '../../../common/intent/intentLabels';
import { decideRoute } from '../../../common/router/decideRoute';
import type { IntentResult, IntentStatus, RouteDecision, RouteKind } from '../../../common/router/routeSchema';
import { answerMetricsFixture, appInfoFixture, systemInfoFixture } from './fixtures';

type Contract = typeof apiContract;
type MemberOfKind<D extends keyof Contract, Kind extends string> = {
  [K in keyof Contract[D]]: Contract[D][K] extends { readonly kind: Kind } ? `${D}.${K & string}` : never;
}[keyof Contract[D]];

/** Every method of the contract as 'domain.method'. */
export type FakeMethod = { [D in keyof Contract]: MemberOfKind<D, 'method'> }[keyof Contract];
/** Every event of the contract as 'domain.onX'. */
export type FakeEvent = { [D in keyof Contract]: MemberOfKind<D, 'event'> }[keyof Contract];

export interface FakeCall {
  readonly method: FakeMethod;
  readonly input: unknown;
}

export interface FakeBackendOptions {
  readonly appInfo?: AppInfo;
  readonly systemInfo?: SystemInfo;
  readonly settings?: Settings;
  readonly models?: readonly InstalledModel[];
  readonly modelsFolder?: string;
  readonly catalog?: readonly CatalogEntryView[];
  readonly downloads?: readonly DownloadJob[];
  readonly llmState?: LlmState;
  readonly conversations?: readonly Conversation[];
  readonly presets?: readonly SystemPromptPreset[];
  /** Loads wait for loadProgress / finishLoad / failLoad instead of finishing at once. */
  readonly manualLoads?: boolean;
  /** The backend a finished load reports. */
  readonly loadBackend?: ComputeBackend;
  readonly feedback?: readonly FeedbackEntry[];
}

export interface FinishAnswerOptions {
  readonly conversationId?: string;
  readonly metrics?: AnswerMetrics;
  readonly notices?: readonly string[];
}

export interface FakeBackend {
  readonly raw: CodesageRawApi;
  readonly calls: FakeCall[];
  appInfo: AppInfo;
  systemInfo: SystemInfo;
  settings: Settings;
  models: InstalledModel[];
  modelsFolder: string;
  catalog: CatalogEntryView[];
  readonly downloads: Map<string, DownloadJob>;
  /** What models.fit answers. */
  fitAnswer: FitEstimate;
  /** Changes a download and emits downloads.onChanged, as main's progress events do. */
  updateDownload(id: string, change: Partial<DownloadJob>): DownloadJob;
  llmState: LlmState;
  readonly conversations: Map<string, Conversation>;
  presets: SystemPromptPreset[];
  /** What the intent "model" says about a message (default: general, 90%); routed by the real decideRoute. */
  classify: (text: string) => IntentResult;
  intentStatus: IntentStatus;
  feedback: FeedbackEntry[];
  /** Inputs of every call to one method, in order. */
  inputsOf(method: FakeMethod): unknown[];
  emit(event: FakeEvent, payload: unknown): void;
  listenerCount(event: FakeEvent): number;
  /** The next call of `method` answers this error instead of doing its work. */
  failNext(method: FakeMethod, error: SerializedError): void;
  /** Calls of `method` wait (answering from the state at release time) until release() is called. */
  hold(method: FakeMethod): { release(): void };
  /** Calls of `method` do their work (and emit their events) at once, but answer only at release(). */
  holdAnswer(method: FakeMethod): { release(): void };
  /** Reports load progress (0..1) of the model being loaded (manualLoads). */
  loadProgress(progress: number): void;
  /** Finishes the load in progress (manualLoads). */
  finishLoad(): void;
  /** Fails the load in progress (manualLoads). */
  failLoad(error: SerializedError): void;
  /** The answer being written in a conversation (the only running one when no id is given). */
  streamingMessage(conversationId?: string): ChatMessage | undefined;
  /** Appends text to the answer being written and emits chats.onMessageDelta. */
  stream(text: string, conversationId?: string): void;
  /** Completes the answer being written and emits the conversation. */
  finishAnswer(options?: FinishAnswerOptions): void;
  /** Ends the answer being written with an error and emits the conversation. */
  failAnswer(message: string, conversationId?: string): void;
}

const EPOCH = Date.UTC(2025, 0, 1, 9);

/** A sure intent result for `label`, as the real model would give for a clear message. */
export function intentResultFixture(label: IntentLabel, confidence = 0.9): IntentResult {
  const rest = (1 - confidence) / (INTENT_LABELS.length - 1);
  const scores = Object.fromEntries(INTENT_LABELS.map((l) => [l, l === label ? confidence : rest])) as Record<IntentLabel, number>;
  return { label, confidence, scores, uncertain: confidence < 0.75, modelVersion: 'intent-fake', problem: null };
}

export const FAKE_PRESETS: readonly SystemPromptPreset[] = [
  { id: 'coding-assistant', name: 'Coding assistant', prompt: 'You are CodeSage, a careful coding assistant.' },
  { id: 'concise', name: 'Concise', prompt: 'You are CodeSage. Answer in as few words as correctness allows.' },
  { id: 'none', name: 'No system prompt', prompt: '' },
];

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function slug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'chat'
  );
}

export function createFakeBackend(options: FakeBackendOptions = {}): FakeBackend {
  const listeners = new Map<FakeEvent, Set<(payload: unknown) => void>>();
  const failures = new Map<FakeMethod, SerializedError[]>();
  const gates = new Map<FakeMethod, Promise<void>>();
  const answerGates = new Map<FakeMethod, Promise<void>>();
  /** conversationId → id of the answer being written. */
  const running = new Map<string, string>();
  let pendingLoad: { finish: () => void; reject: (error: Error) => void; modelId: string } | null = null;
  let clock = 0;
  let nextId = 1;
  // Main's clock runs on from the newest seeded conversation, so its changes are always newer.
  const start = Math.max(EPOCH, ...(options.conversations ?? []).map((c) => Date.parse(c.updatedAt)));
  const now = (): string => new Date(start + 1000 * (clock += 1)).toISOString();
  const newId = (prefix: string): string => `${prefix}${String((nextId += 1) - 1)}`;

  // ---- chats: the message tree -------------------------------------------------------------------

  const requireConversation = (conversationId: string): Conversation => {
    const conversation = backend.conversations.get(conversationId);
    if (conversation === undefined) {
      throw namedError('ConversationNotFoundError', `Conversation ${conversationId} no longer exists. It may have been deleted.`);
    }
    return conversation;
  };

  /** Stores a new version of the conversation, announces it and returns a copy. */
  const save = (conversation: Conversation, touch = true): Conversation => {
    const stored = touch ? { ...conversation, updatedAt: now() } : conversation;
    backend.conversations.set(stored.id, stored);
    backend.emit('chats.onConversationChanged', structuredClone(stored));
    return structuredClone(stored);
  };

  const updateMessage = (conversation: Conversation, messageId: string, change: Partial<ChatMessage>): Conversation => ({
    ...conversation,
    messages: conversation.messages.map((m) => (m.id === messageId ? { ...m, ...change } : m)),
  });

  const newMessage = (role: ChatMessage['role'], parentId: string | null, content: string): ChatMessage => ({
    id: newId('msg-'),
    parentId,
    role,
    content,
    createdAt: now(),
    status: role === 'user' ? 'complete' : 'streaming',
    metrics: null,
    notices: [],
    error: null,
    route: null,
    intentCorrection: null,
  });

  const routeOf = (text: string, override: RouteKind | null | undefined): RouteDecision =>
    decideRoute({
      intent: backend.classify(text),
      policy: backend.settings.routing.policy,
      availability: {
        localModelLoaded: backend.llmState.status === 'ready',
        cloudConfigured: false,
        reposIndexed: false,
        reviewAvailable: false,
      },
      override: override ?? null,
    });

  const assertCanGenerate = (conversationId: string, route?: RouteDecision): void => {
    if (running.has(conversationId)) {
      throw namedError(
        'GenerationInProgressError',
        'An answer is still being written in this conversation. Stop it or wait for it to finish.',
      );
    }
    if (route?.kind !== 'refuse' && backend.llmState.status !== 'ready') {
      throw namedError('NoModelReadyError', 'No model is loaded. Pick a model above the chat and press Load.');
    }
  };

  /** Adds a user message (when content is given) under parentId, then a streaming answer to it. */
  const startAnswer = (
    conversation: Conversation,
    userMessage: ChatMessage | null,
    answerParentId: string,
    route: RouteDecision,
  ): Conversation => {
    if (route.kind === 'refuse') {
      const refusal = {
        ...newMessage('assistant', answerParentId, `CodeSage did not send this message to a model.\n\n${route.reason}`),
        status: 'complete' as const,
        route,
      };
      return save({
        ...conversation,
        messages: [...conversation.messages, ...(userMessage === null ? [] : [userMessage]), refusal],
        activeLeafId: refusal.id,
      });
    }
    const answer = { ...newMessage('assistant', answerParentId, ''), route };
    running.set(conversation.id, answer.id);
    return save({
      ...conversation,
      messages: [...conversation.messages, ...(userMessage === null ? [] : [userMessage]), answer],
      activeLeafId: answer.id,
    });
  };

  /** Descends from a message to the newest leaf below it: what selecting a branch shows. */
  const leafBelow = (conversation: Conversation, messageId: string): string => {
    let leaf = messageId;
    for (;;) {
      const children = conversation.messages.filter((m) => m.parentId === leaf);
      const newest = children.at(-1);
      if (newest === undefined) return leaf;
      leaf = newest.id;
    }
  };

  const runningAnswer = (conversationId: string | undefined): { conversation: Conversation; message: ChatMessage } => {
    const id = conversationId ?? [...running.keys()][0];
    const messageId = id === undefined ? undefined : running.get(id);
    if (id === undefined || messageId === undefined) throw new Error('The fake backend is not writing an answer.');
    const conversation = requireConversation(id);
    const message = conversation.messages.find((m) => m.id === messageId);
    if (message === undefined) throw new Error(`Answer ${messageId} is missing.`);
    return { conversation, message };
  };

  const endAnswer = (conversationId: string | undefined, change: Partial<ChatMessage>): void => {
    const { conversation, message } = runningAnswer(conversationId);
    running.delete(conversation.id);
    save(updateMessage(conversation, message.id, change));
  };

  const search = (query: string): SearchHit[] => {
    const needle = query.trim().toLowerCase();
    if (needle === '') return [];
    const hits: SearchHit[] = [];
    const conversations = [...backend.conversations.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    for (const conversation of conversations) {
      if (conversation.title.toLowerCase().includes(needle)) {
        hits.push({
          conversationId: conversation.id,
          title: conversation.title,
          messageId: null,
          snippet: conversation.title,
          updatedAt: conversation.updatedAt,
        });
      }
      for (const message of conversation.messages) {
        const at = message.content.toLowerCase().indexOf(needle);
        if (at < 0) continue;
        const start = Math.max(0, at - 30);
        const end = Math.min(message.content.length, at + needle.length + 30);
        const snippet = `${start > 0 ? '…' : ''}${message.content.slice(start, end)}${end < message.content.length ? '…' : ''}`;
        hits.push({
          conversationId: conversation.id,
          title: conversation.title,
          messageId: message.id,
          snippet,
          updatedAt: conversation.updatedAt,
        });
      }
    }
    return hits;
  };

  // ---- llm ---------------------------------------------------------------------------------------

  const setLlmState = (state: LlmState): void => {
    backend.llmState = state;
    backend.emit('llm.onStateChanged', state);
  };

  const loadedModel = (model: InstalledModel, contextSize: number | 'auto' | undefined): LoadedModel => ({
    id: model.id,
    name: model.name,
    path: model.path,
    contextSize: typeof contextSize === 'number' ? contextSize : Math.min(model.contextLength ?? 4096, 8192),
    trainContextSize: model.contextLength,
    gpuLayers: options.loadBackend === undefined || options.loadBackend === 'cpu' ? 0 : 99,
    backend: options.loadBackend ?? 'cpu',
    chatWrapper: 'ChatML',
  });

  // ---- the contract, implemented -----------------------------------------------------------------

  const handlers: CodesageHandlers = {
    app: {
      getInfo: () => backend.appInfo,
      getSystemInfo: () => backend.systemInfo,
    },
    settings: {
      get: () => backend.settings,
      update: (patch) => writeSettings(applySettingsPatch(backend.settings, patch)),
      reset: () => writeSettings(DEFAULT_SETTINGS),
    },
    models: {
      list: () => backend.models,
      getFolder: () => backend.modelsFolder,
      catalog: () => backend.catalog,
      fit: () => backend.fitAnswer,
      import: ({ path }) => {
        const id = path.split(/[\\/]/).pop() ?? path;
        if (!id.endsWith('.gguf')) throw namedError('InvalidModelImportError', `Cannot import ${path}: the file is not a GGUF model.`);
        const model: InstalledModel = {
          id,
          name: id.replace(/\.gguf$/, ''),
          path: `${backend.modelsFolder}/${id}`,
          sizeBytes: 1000,
          architecture: 'llama',
          contextLength: 4096,
          problem: null,
        };
        backend.models = [...backend.models, model];
        backend.emit('models.onChanged', backend.models);
        return model;
      },
      delete: ({ modelId }) => {
        if (!backend.models.some((m) => m.id === modelId)) throw namedError('ModelNotFoundError', `There is no model "${modelId}".`);
        backend.models = backend.models.filter((m) => m.id !== modelId);
        backend.emit('models.onChanged', backend.models);
        return true;
      },
    },
    downloads: {
      list: () => [...backend.downloads.values()],
      start: ({ uri, catalogId, sha256 }) => {
        const id = newId('dl-');
        const job: DownloadJob = {
          id,
          uri,
          url: uri.startsWith('hf:') ? `https://huggingface.co/${uri.slice(3)}` : uri,
          fileName: uri.split('/').pop() ?? 'model.gguf',
          catalogId: catalogId ?? null,
          state: 'downloading',
          totalBytes: 1_000_000,
          acceptRanges: true,
          receivedBytes: 0,
          bytesPerSecond: 0,
          etaSeconds: null,
          attempts: 1,
          error: null,
          sha256Expected: sha256 ?? null,
          sha256Source: sha256 === undefined ? null : 'user',
          createdAt: now(),
          updatedAt: now(),
          modelId: null,
        };
        backend.downloads.set(id, job);
        backend.emit('downloads.onChanged', job);
        return job;
      },
      pause: ({ id }) => backend.updateDownload(id, { state: 'paused', bytesPerSecond: 0 }),
      resume: ({ id }) => backend.updateDownload(id, { state: 'downloading' }),
      cancel: ({ id }) => backend.updateDownload(id, { state: 'cancelled', receivedBytes: 0 }),
      remove: ({ id }) => backend.downloads.delete(id),
    },
    llm: {
      getState: () => backend.llmState,
      loadModel: ({ modelId, contextSize }) => {
        const model = backend.models.find((m) => m.id === modelId);
        if (model === undefined) throw namedError('ModelNotFoundError', `${modelId} is not in the models folder any more.`);
        if (model.problem !== null) throw namedError('ModelUnreadableError', model.problem);
        pendingLoad?.reject(namedError('LoadCancelledError', 'Another model was requested.'));
        setLlmState({ status: 'loading', modelId, progress: 0 });
        if (options.manualLoads !== true) {
          const loaded = loadedModel(model, contextSize);
          setLlmState({ status: 'ready', model: loaded });
          return loaded;
        }
        return new Promise<LoadedModel>((resolve, reject) => {
          pendingLoad = {
            modelId,
            reject,
            finish: () => {
              const loaded = loadedModel(model, contextSize);
              setLlmState({ status: 'ready', model: loaded });
              resolve(loaded);
            },
          };
        });
      },
      cancelLoad: () => {
        if (pendingLoad === null) return false;
        const load = pendingLoad;
        pendingLoad = null;
        setLlmState({ status: 'idle' });
        load.reject(namedError('LoadCancelledError', 'Loading was cancelled.'));
        return true;
      },
      unloadModel: () => {
        if (backend.llmState.status !== 'ready') return false;
        setLlmState({ status: 'idle' });
        return true;
      },
    },
    chats: {
      list: () =>
        [...backend.conversations.values()]
          .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
          .map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, messageCount: c.messages.length })),
      search: ({ query }) => search(query),
      get: ({ conversationId }) => structuredClone(requireConversation(conversationId)),
      create: (init) => {
        const createdAt = now();
        return save(
          {
            id: newId('conv-'),
            title: init?.title ?? 'New chat',
            createdAt,
            updatedAt: createdAt,
            systemPrompt: init?.systemPrompt ?? backend.presets[0]?.prompt ?? '',
            params: { ...DEFAULT_GENERATION_PARAMS, ...init?.params },
            messages: [],
            activeLeafId: null,
          },
          false,
        );
      },
      rename: ({ conversationId, title }) => save({ ...requireConversation(conversationId), title }),
      configure: ({ conversationId, systemPrompt, params }) => {
        const conversation = requireConversation(conversationId);
        return save({
          ...conversation,
          systemPrompt: systemPrompt ?? conversation.systemPrompt,
          params: { ...conversation.params, ...params },
        });
      },
      delete: ({ conversationId }) => {
        running.delete(conversationId);
        if (!backend.conversations.delete(conversationId)) return false;
        backend.emit('chats.onConversationDeleted', { conversationId });
        return true;
      },
      listPresets: () => backend.presets,
      send: ({ conversationId, content, route: override }) => {
        const conversation = requireConversation(conversationId);
        const route = routeOf(content, override);
        assertCanGenerate(conversationId, route);
        const user = newMessage('user', conversation.activeLeafId, content);
        const titled =
          conversation.title === 'New chat' ? { ...conversation, title: content.split('\n')[0]?.slice(0, 60) ?? 'New chat' } : conversation;
        return startAnswer(titled, user, user.id, route);
      },
      stop: ({ conversationId }) => {
        if (!running.has(conversationId)) return false;
        endAnswer(conversationId, { status: 'stopped' });
        return true;
      },
      regenerate: ({ conversationId, messageId, route: override }) => {
        const conversation = requireConversation(conversationId);
        const message = conversation.messages.find((m) => m.id === messageId);
        const question = conversation.messages.find((m) => m.id === message?.parentId);
        if (message?.role !== 'assistant' || question === undefined) {
          throw namedError('InvalidBranchTargetError', 'Only an answer can be regenerated: pick one of the assistant messages.');
        }
        const kept = message.route?.overridden === true ? message.route.kind : null;
        const route = routeOf(question.content, override === undefined ? kept : override);
        assertCanGenerate(conversationId, route);
        return startAnswer(conversation, null, question.id, route);
      },
      edit: ({ conversationId, messageId, content, route: override }) => {
        const conversation = requireConversation(conversationId);
        const message = conversation.messages.find((m) => m.id === messageId);
        if (message?.role !== 'user') throw namedError('InvalidBranchTargetError', 'Only your own messages can be edited.');
        const route = routeOf(content, override);
        assertCanGenerate(conversationId, route);
        const edited = newMessage('user', message.parentId, content);
        return startAnswer(conversation, edited, edited.id, route);
      },
      correctIntent: ({ conversationId, messageId, label }) => {
        const conversation = requireConversation(conversationId);
        const answer = conversation.messages.find((m) => m.id === messageId);
        const question = conversation.messages.find((m) => m.id === answer?.parentId);
        if (answer?.role !== 'assistant' || answer.route === null || question === undefined) {
          throw namedError(
            'InvalidBranchTargetError',
            'Only a routed answer has an intent to correct: pick an answer that shows its route.',
          );
        }
        const { intent } = answer.route;
        const rest = backend.feedback.filter((e) => !(e.conversationId === conversationId && e.messageId === messageId));
        backend.feedback =
          label === intent.label
            ? rest
            : [
                {
                  id: newId('fb-'),
                  kind: 'intentCorrection',
                  createdAt: now(),
                  text: question.content,
                  predicted: intent.label,
                  confidence: intent.confidence,
                  corrected: label,
                  modelVersion: intent.modelVersion,
                  conversationId,
                  messageId,
                },
                ...rest,
              ];
        backend.emit('feedback.onChanged', structuredClone(backend.feedback));
        return save(updateMessage(conversation, messageId, { intentCorrection: label === intent.label ? null : label }));
      },
      selectBranch: ({ conversationId, messageId }) => {
        const conversation = requireConversation(conversationId);
        if (running.has(conversationId)) {
          throw namedError(
            'GenerationInProgressError',
            'An answer is still being written in this conversation. Stop it or wait for it to finish.',
          );
        }
        if (!conversation.messages.some((m) => m.id === messageId)) {
          throw namedError('InvalidBranchTargetError', `Message ${messageId} is not in this conversation.`);
        }
        return save({ ...conversation, activeLeafId: leafBelow(conversation, messageId) });
      },
      export: ({ conversationId, format }) => {
        const conversation = requireConversation(conversationId);
        if (format === 'json') {
          return {
            fileName: `${slug(conversation.title)}.json`,
            mimeType: 'application/json',
            content: JSON.stringify(conversation, null, 2),
          };
        }
        const body = conversation.messages.map((m) => `## ${m.role === 'user' ? 'You' : 'CodeSage'}\n\n${m.content}`).join('\n\n');
        return { fileName: `${slug(conversation.title)}.md`, mimeType: 'text/markdown', content: `# ${conversation.title}\n\n${body}\n` };
      },
    },
    intent: {
      getStatus: () => backend.intentStatus,
      route: ({ text, route }) => routeOf(text, route),
    },
    feedback: {
      list: () => structuredClone(backend.feedback),
      delete: ({ id }) => {
        const rest = backend.feedback.filter((e) => e.id !== id);
        if (rest.length === backend.feedback.length) return false;
        backend.feedback = rest;
        backend.emit('feedback.onChanged', structuredClone(rest));
        return true;
      },
    },
  };

  const writeSettings = (settings: Settings): Settings => {
    backend.settings = settings;
    backend.emit('settings.onChanged', settings);
    return settings;
  };

  // ---- transport: envelopes, failures, gates, events ---------------------------------------------

  // The members below run only after `backend` (declared last) exists.
  const call = async (method: FakeMethod, input: unknown, spec: MethodSpec, work: (input: unknown) => unknown): Promise<Envelope> => {
    backend.calls.push({ method, input });
    const gate = gates.get(method);
    if (gate !== undefined) await gate;
    // Like IPC, never answer synchronously.
    await Promise.resolve();
    let envelope: Envelope;
    const failure = failures.get(method)?.shift();
    if (failure !== undefined) {
      envelope = { ok: false, error: failure };
    } else {
      try {
        const parsed = spec.input.safeParse(input);
        if (!parsed.success) {
          const details = formatZodIssues(parsed.error);
          throw new InvalidPayloadError(`Invalid input for ${method}: ${details.join('; ')}`, details);
        }
        envelope = { ok: true, value: await work(parsed.data) };
      } catch (error) {
        envelope = { ok: false, error: serializeError(error) };
      }
    }
    const answerGate = answerGates.get(method);
    if (answerGate !== undefined) await answerGate;
    return envelope;
  };

  const subscribe = (event: FakeEvent, listener: (payload: unknown) => void): Unsubscribe => {
    let set = listeners.get(event);
    if (set === undefined) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  };

  const raw: Record<string, Record<string, unknown>> = {};
  for (const { domain, methods, events } of contractShape(apiContract)) {
    const members: Record<string, unknown> = {};
    const domainHandlers = (handlers as unknown as Record<string, Record<string, (input: unknown) => unknown>>)[domain];
    for (const name of methods) {
      const handler = domainHandlers?.[name];
      const spec = (apiContract as unknown as Record<string, Record<string, MethodSpec>>)[domain]?.[name];
      if (handler === undefined || spec === undefined) throw new Error(`The fake backend does not implement ${domain}.${name}.`);
      members[name] = (input?: unknown) => call(`${domain}.${name}` as FakeMethod, input, spec, handler);
    }
    for (const name of events) {
      members[name] = (listener: (payload: unknown) => void) => subscribe(`${domain}.${name}` as FakeEvent, listener);
    }
    raw[domain] = members;
  }

  const gate = (target: Map<FakeMethod, Promise<void>>, method: FakeMethod): { release(): void } => {
    let release: () => void = () => undefined;
    target.set(
      method,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    return {
      release: () => {
        target.delete(method);
        release();
      },
    };
  };

  const backend: FakeBackend = {
    raw: raw as unknown as CodesageRawApi,
    calls: [],
    appInfo: options.appInfo ?? appInfoFixture,
    systemInfo: options.systemInfo ?? systemInfoFixture(),
    settings: options.settings ?? DEFAULT_SETTINGS,
    models: [...(options.models ?? [])],
    modelsFolder: options.modelsFolder ?? '/home/ada/.config/CodeSage/models',
    catalog: [...(options.catalog ?? [])],
    downloads: new Map((options.downloads ?? []).map((job) => [job.id, structuredClone(job)])),
    fitAnswer: {
      verdict: 'cpu',
      gpuLayers: 0,
      totalLayers: 29,
      vramBytes: 0,
      ramBytes: 2_400_000_000,
      contextSize: 8192,
      source: 'header',
      note: 'Runs on the CPU at 8192 tokens of context: needs 2.4 GB of RAM (12.0 GB free).',
    },
    updateDownload: (id, change) => {
      const job = backend.downloads.get(id);
      if (job === undefined) throw namedError('DownloadNotFoundError', `There is no download "${id}".`);
      const next = { ...job, ...change, updatedAt: now() };
      backend.downloads.set(id, next);
      backend.emit('downloads.onChanged', next);
      return next;
    },
    llmState: options.llmState ?? { status: 'idle' },
    conversations: new Map((options.conversations ?? []).map((c) => [c.id, structuredClone(c)])),
    presets: [...(options.presets ?? FAKE_PRESETS)],
    classify: () => intentResultFixture('general'),
    intentStatus: { modelVersion: 'intent-fake', provider: 'cpu', providerFallback: null, problem: null, uncertaintyThreshold: 0.75 },
    feedback: [...(options.feedback ?? [])],
    inputsOf: (method) => backend.calls.filter((entry) => entry.method === method).map((entry) => entry.input),
    emit: (event, payload) => {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    listenerCount: (event) => listeners.get(event)?.size ?? 0,
    failNext: (method, error) => {
      failures.set(method, [...(failures.get(method) ?? []), error]);
    },
    hold: (method) => gate(gates, method),
    holdAnswer: (method) => gate(answerGates, method),
    loadProgress: (progress) => {
      if (pendingLoad === null) throw new Error('No model is being loaded.');
      setLlmState({ status: 'loading', modelId: pendingLoad.modelId, progress });
    },
    finishLoad: () => {
      if (pendingLoad === null) throw new Error('No model is being loaded.');
      const load = pendingLoad;
      pendingLoad = null;
      load.finish();
    },
    failLoad: (error) => {
      if (pendingLoad === null) throw new Error('No model is being loaded.');
      const load = pendingLoad;
      pendingLoad = null;
      setLlmState({ status: 'failed', modelId: load.modelId, errorName: error.name, message: error.message });
      load.reject(namedError(error.name, error.message));
    },
    streamingMessage: (conversationId) => {
      const id = conversationId ?? [...running.keys()][0];
      const messageId = id === undefined ? undefined : running.get(id);
      return id === undefined ? undefined : backend.conversations.get(id)?.messages.find((m) => m.id === messageId);
    },
    stream: (text, conversationId) => {
      const { conversation, message } = runningAnswer(conversationId);
      // Main appends to its store before announcing the delta, so a later get() includes it.
      backend.conversations.set(conversation.id, updateMessage(conversation, message.id, { content: message.content + text }));
      backend.emit('chats.onMessageDelta', { conversationId: conversation.id, messageId: message.id, text });
    },
    finishAnswer: (finish = {}) => {
      endAnswer(finish.conversationId, {
        status: 'complete',
        metrics: finish.metrics ?? answerMetricsFixture,
        notices: [...(finish.notices ?? [])],
      });
    },
    failAnswer: (message, conversationId) => {
      endAnswer(conversationId, { status: 'error', error: message });
    },
  };
  return backend;
}
