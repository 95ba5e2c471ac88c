// Keeps the chat part of the store a view of main: subscribes to the chat events, loads the list and
// the system prompt presets, and after a serve-mode event socket reconnects reloads the list and
// every conversation that was open or still streaming (their events were lost meanwhile).
// Returns a function that unsubscribes everything and ignores answers still in flight.
import type { CodesageApi } from '../../../../../common/api/contract';
import type { AppStore } from '../../../app/store/createAppStore';
import { toErrorInfo } from '../../../lib/errors/toErrorInfo';

export function bindChatApi(api: CodesageApi, store: AppStore): () => void {
  let disposed = false;

  const unsubscribers = [
    api.chats.onMessageDelta((delta) => {
      store.getState().messageDeltaReceived(delta);
    }),
    api.chats.onConversationChanged((conversation) => {
      store.getState().conversationReceived(conversation);
    }),
    api.chats.onConversationDeleted(({ conversationId }) => {
      store.getState().conversationDeleted(conversationId);
    }),
  ];

  const loadList = async (): Promise<void> => {
    try {
      const list = await api.chats.list();
      if (!disposed) store.getState().chatListReceived(list);
    } catch (error) {
      if (!disposed) store.getState().chatListFailed(toErrorInfo(error));
    }
  };

  const loadPresets = async (): Promise<void> => {
    try {
      const presets = await api.chats.listPresets();
      if (!disposed) store.getState().chatPresetsReceived(presets);
    } catch (error) {
      if (!disposed) store.getState().chatPresetsFailed(toErrorInfo(error));
    }
  };

  const reloadConversation = async (conversationId: string): Promise<void> => {
    try {
      const conversation = await api.chats.get({ conversationId });
      if (!disposed) store.getState().conversationReceived(conversation);
    } catch (error) {
      // Deleted while the socket was down: the list reload no longer shows it either.
      if (!disposed && toErrorInfo(error).name === 'ConversationNotFoundError') store.getState().conversationDeleted(conversationId);
    }
  };

  const unsubscribeStore = store.subscribe((state, previous) => {
    if (previous.eventsConnection === 'reconnecting' && state.eventsConnection === 'connected') {
      void loadList();
      const stale = Object.values(state.conversations)
        .filter((c) => c.id === state.activeConversationId || c.messages.some((m) => m.status === 'streaming'))
        .map((c) => c.id);
      for (const conversationId of stale) void reloadConversation(conversationId);
    }
  });

  void loadList();
  void loadPresets();

  return () => {
    disposed = true;
    for (const unsubscribe of unsubscribers) unsubscribe();
    unsubscribeStore();
  };
}
