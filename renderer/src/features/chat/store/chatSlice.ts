// Conversations as main last reported them, kept as a view: the list, every conversation this window
// has seen (snapshots merged with streamed text, see mergeConversation), deltas that arrived before
// their message, the open conversation and the last error of a chat or model action.
import type { StateCreator } from 'zustand';
import type { Conversation, ConversationSummary, MessageDelta, SystemPromptPreset } from '../../../../../common/chat/chatSchema';
import type { AppState } from '../../../app/store/AppState';
import type { Loadable } from '../../../lib/async/Loadable';
import type { ErrorInfo } from '../../../lib/errors/toErrorInfo';
import { appendDelta, mergeConversation, sortSummaries, toSummary } from './mergeConversation';

/** A failed user action: what the user tried ("Your message was not sent.") and main's error. */
export interface ChatActionError {
  readonly action: string;
  readonly error: ErrorInfo;
}

export interface ChatSlice {
  readonly chatList: Loadable<readonly ConversationSummary[]>;
  /** Every conversation this window has a snapshot of, by id. */
  readonly conversations: Readonly<Record<string, Conversation>>;
  /** Text of deltas whose message no snapshot has shown yet, by message id. */
  readonly pendingDeltas: Readonly<Record<string, MessageDelta>>;
  /** Deleted conversations, so a late snapshot cannot bring one back. */
  readonly deletedConversationIds: Readonly<Record<string, true>>;
  readonly activeConversationId: string | null;
  readonly chatPresets: Loadable<readonly SystemPromptPreset[]>;
  readonly chatError: ChatActionError | null;
  readonly modelError: ChatActionError | null;
  readonly chatListReceived: (list: readonly ConversationSummary[]) => void;
  readonly chatListFailed: (error: ErrorInfo) => void;
  readonly conversationReceived: (conversation: Conversation) => void;
  readonly messageDeltaReceived: (delta: MessageDelta) => void;
  readonly conversationDeleted: (conversationId: string) => void;
  readonly conversationOpened: (conversationId: string | null) => void;
  readonly chatPresetsReceived: (presets: readonly SystemPromptPreset[]) => void;
  readonly chatPresetsFailed: (error: ErrorInfo) => void;
  readonly chatErrorChanged: (error: ChatActionError | null) => void;
  readonly modelErrorChanged: (error: ChatActionError | null) => void;
}

export const createChatSlice: StateCreator<AppState, [], [], ChatSlice> = (set, get) => ({
  chatList: { status: 'loading' },
  conversations: {},
  pendingDeltas: {},
  deletedConversationIds: {},
  activeConversationId: null,
  chatPresets: { status: 'loading' },
  chatError: null,
  modelError: null,

  chatListReceived: (list) => {
    const { conversations, deletedConversationIds } = get();
    const byId = new Map(list.filter((s) => deletedConversationIds[s.id] !== true).map((s) => [s.id, s]));
    // Conversations announced while the list was on its way are newer than the list.
    for (const conversation of Object.values(conversations)) {
      const listed = byId.get(conversation.id);
      if (listed === undefined || listed.updatedAt < conversation.updatedAt) byId.set(conversation.id, toSummary(conversation));
    }
    set({ chatList: { status: 'ready', value: sortSummaries(byId.values()) } });
  },
  chatListFailed: (error) => {
    if (get().chatList.status !== 'ready') set({ chatList: { status: 'failed', error } });
  },

  conversationReceived: (incoming) => {
    const { conversations, pendingDeltas, deletedConversationIds, chatList } = get();
    if (deletedConversationIds[incoming.id] === true) return;
    const conversation = mergeConversation(conversations[incoming.id], incoming, pendingDeltas);
    const used = new Set(conversation.messages.filter((m) => m.id in pendingDeltas).map((m) => m.id));
    const remaining = used.size === 0 ? pendingDeltas : Object.fromEntries(Object.entries(pendingDeltas).filter(([id]) => !used.has(id)));
    set({
      conversations: { ...conversations, [conversation.id]: conversation },
      pendingDeltas: remaining,
      ...(chatList.status === 'ready'
        ? {
            chatList: {
              status: 'ready',
              value: sortSummaries([...chatList.value.filter((s) => s.id !== conversation.id), toSummary(conversation)]),
            },
          }
        : {}),
    });
  },

  messageDeltaReceived: (delta) => {
    const { conversations, pendingDeltas, deletedConversationIds } = get();
    if (deletedConversationIds[delta.conversationId] === true) return;
    const known = conversations[delta.conversationId];
    const updated = known === undefined ? undefined : appendDelta(known, delta);
    if (updated === undefined) {
      const early = pendingDeltas[delta.messageId];
      set({ pendingDeltas: { ...pendingDeltas, [delta.messageId]: { ...delta, text: (early?.text ?? '') + delta.text } } });
    } else if (updated !== known) {
      set({ conversations: { ...conversations, [updated.id]: updated } });
    }
  },

  conversationDeleted: (conversationId) => {
    const { conversations, pendingDeltas, deletedConversationIds, chatList, activeConversationId } = get();
    const { [conversationId]: _deleted, ...remainingConversations } = conversations;
    set({
      conversations: remainingConversations,
      pendingDeltas: Object.fromEntries(Object.entries(pendingDeltas).filter(([, delta]) => delta.conversationId !== conversationId)),
      deletedConversationIds: { ...deletedConversationIds, [conversationId]: true },
      activeConversationId: activeConversationId === conversationId ? null : activeConversationId,
      ...(chatList.status === 'ready'
        ? { chatList: { status: 'ready', value: chatList.value.filter((s) => s.id !== conversationId) } }
        : {}),
    });
  },

  conversationOpened: (conversationId) => {
    set({ activeConversationId: conversationId, chatError: null });
  },

  chatPresetsReceived: (presets) => {
    set({ chatPresets: { status: 'ready', value: presets } });
  },
  chatPresetsFailed: (error) => {
    if (get().chatPresets.status !== 'ready') set({ chatPresets: { status: 'failed', error } });
  },

  chatErrorChanged: (error) => {
    set({ chatError: error });
  },
  modelErrorChanged: (error) => {
    set({ modelError: error });
  },
});
