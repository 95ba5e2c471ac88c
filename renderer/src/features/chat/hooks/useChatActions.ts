// Everything the chat view asks main to do. Main owns conversations and the model; these only record
// main's answers in the store and, on failure, what was tried and why (the composer and edit boxes
// keep the user's text, so a refused message is never lost).
import { useMemo } from 'react';
import type { CodesageApi } from '../../../../../common/api/contract';
import type { Conversation, GenerationParams, SearchHit } from '../../../../../common/chat/chatSchema';
import type { IntentLabel } from '../../../../../common/intent/intentLabels';
import type { RouteKind } from '../../../../../common/router/routeSchema';
import type { AppStore } from '../../../app/store/createAppStore';
import { useAppStoreApi } from '../../../app/store/useAppStore';
import { useApi } from '../../../lib/api/useApi';
import { downloadTextFile } from '../../../lib/download/downloadTextFile';
import { toErrorInfo } from '../../../lib/errors/toErrorInfo';

export type ExportFormat = 'markdown' | 'json';

export interface ConversationSettingsChange {
  readonly systemPrompt: string;
  readonly params: GenerationParams;
}

export interface ChatActions {
  newChat(): Promise<void>;
  open(conversationId: string): Promise<void>;
  /**
   * Sends to the open conversation (creating one if none is open); true once main accepted it.
   * `route` is the user's choice for this message; absent lets the router decide.
   */
  send(content: string, route?: RouteKind): Promise<boolean>;
  stop(): Promise<void>;
  /** A new answer; `route` chooses where it comes from (null: let the router decide again). */
  regenerate(messageId: string, route?: RouteKind | null): Promise<void>;
  /** Tells main (and the feedback kept on this machine) which intent an answered message really had. */
  correctIntent(messageId: string, label: IntentLabel): Promise<void>;
  /** True once main accepted the edited message. */
  edit(messageId: string, content: string): Promise<boolean>;
  selectBranch(messageId: string): Promise<void>;
  rename(conversationId: string, title: string): Promise<boolean>;
  remove(conversationId: string): Promise<boolean>;
  exportConversation(conversationId: string, format: ExportFormat): Promise<void>;
  /** Saves the open conversation's settings (creating a conversation if none is open). */
  configure(change: ConversationSettingsChange): Promise<boolean>;
  /** Throws on failure: the search box shows its own error. */
  search(query: string): Promise<SearchHit[]>;
  loadModel(modelId: string): Promise<void>;
  cancelLoad(): Promise<void>;
  unloadModel(): Promise<void>;
  refreshModels(): Promise<void>;
}

export function useChatActions(): ChatActions {
  const api = useApi();
  const store = useAppStoreApi();
  return useMemo(() => createChatActions(api, store), [api, store]);
}

function createChatActions(api: CodesageApi, store: AppStore): ChatActions {
  // Loads started at or before this number were cancelled by the user: their rejection is expected.
  let loads = 0;
  let cancelledUpTo = 0;

  const state = () => store.getState();
  const received = (conversation: Conversation): Conversation => {
    state().conversationReceived(conversation);
    return conversation;
  };

  /** Runs a chat action; on failure records `failure` with main's error and resolves false. */
  const attempt = async (failure: string, operation: () => Promise<unknown>): Promise<boolean> => {
    state().chatErrorChanged(null);
    try {
      await operation();
      return true;
    } catch (error) {
      state().chatErrorChanged({ action: failure, error: toErrorInfo(error) });
      return false;
    }
  };

  const activeId = (): string => {
    const id = state().activeConversationId;
    if (id === null) throw new Error('No conversation is open. Pick one on the left or start a new chat.');
    return id;
  };

  const ensureConversation = async (init?: ConversationSettingsChange): Promise<string> => {
    const id = state().activeConversationId;
    if (id !== null) return id;
    const created = received(await api.chats.create(init));
    state().conversationOpened(created.id);
    return created.id;
  };

  const modelAttempt = async (failure: string, operation: () => Promise<unknown>): Promise<void> => {
    state().modelErrorChanged(null);
    try {
      await operation();
    } catch (error) {
      state().modelErrorChanged({ action: failure, error: toErrorInfo(error) });
    }
  };

  return {
    newChat: async () => {
      await attempt('A new chat could not be started.', async () => {
        const created = received(await api.chats.create());
        state().conversationOpened(created.id);
      });
    },

    open: async (conversationId) => {
      state().conversationOpened(conversationId);
      if (state().conversations[conversationId] !== undefined) return;
      await attempt('The conversation could not be opened.', async () => {
        received(await api.chats.get({ conversationId }));
      });
    },

    send: (content, route) =>
      attempt('Your message was not sent. It is still in the message box.', async () => {
        const conversationId = await ensureConversation();
        received(await api.chats.send({ conversationId, content, ...(route === undefined ? {} : { route }) }));
      }),

    stop: async () => {
      await attempt('The answer could not be stopped.', async () => {
        const conversationId = activeId();
        // False means main had already finished: fetch the final state in case its event was missed.
        if (!(await api.chats.stop({ conversationId }))) received(await api.chats.get({ conversationId }));
      });
    },

    regenerate: async (messageId, route) => {
      await attempt('A new answer could not be started.', async () => {
        received(await api.chats.regenerate({ conversationId: activeId(), messageId, ...(route === undefined ? {} : { route }) }));
      });
    },

    correctIntent: async (messageId, label) => {
      await attempt('The correction was not saved.', async () => {
        received(await api.chats.correctIntent({ conversationId: activeId(), messageId, label }));
      });
    },

    edit: (messageId, content) =>
      attempt('Your edited message was not sent. It is still in the edit box.', async () => {
        received(await api.chats.edit({ conversationId: activeId(), messageId, content }));
      }),

    selectBranch: async (messageId) => {
      await attempt('That version could not be shown.', async () => {
        received(await api.chats.selectBranch({ conversationId: activeId(), messageId }));
      });
    },

    rename: (conversationId, title) =>
      attempt('The chat was not renamed.', async () => {
        received(await api.chats.rename({ conversationId, title }));
      }),

    remove: (conversationId) =>
      attempt('The chat was not deleted.', async () => {
        await api.chats.delete({ conversationId });
        state().conversationDeleted(conversationId);
      }),

    exportConversation: async (conversationId, format) => {
      await attempt(`The chat could not be exported as ${format === 'markdown' ? 'Markdown' : 'JSON'}.`, async () => {
        downloadTextFile(await api.chats.export({ conversationId, format }));
      });
    },

    configure: (change) =>
      attempt('The chat settings were not saved.', async () => {
        const id = state().activeConversationId;
        if (id === null) await ensureConversation(change);
        else received(await api.chats.configure({ conversationId: id, ...change }));
      }),

    search: (query) => api.chats.search({ query }),

    loadModel: async (modelId) => {
      loads += 1;
      const load = loads;
      const open = state().activeConversationId;
      const contextSize = open === null ? undefined : state().conversations[open]?.params.contextSize;
      state().modelErrorChanged(null);
      try {
        await api.llm.loadModel({ modelId, ...(contextSize === undefined ? {} : { contextSize }) });
      } catch (error) {
        if (load > cancelledUpTo) state().modelErrorChanged({ action: 'The model was not loaded.', error: toErrorInfo(error) });
      }
    },

    cancelLoad: async () => {
      cancelledUpTo = loads;
      await modelAttempt('Loading could not be cancelled.', () => api.llm.cancelLoad());
    },

    unloadModel: async () => {
      await modelAttempt('The model could not be unloaded.', () => api.llm.unloadModel());
    },

    refreshModels: async () => {
      await modelAttempt('The models folder could not be read.', async () => {
        state().installedModelsReceived(await api.models.list());
      });
    },
  };
}
