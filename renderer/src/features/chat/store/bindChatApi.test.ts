import { describe, expect, it } from 'vitest';
import { apiContract } from '../../../../../common/api/contract';
import { createApiClient } from '../../../../../common/api/createApiClient';
import { bindApiToStore } from '../../../app/store/bindApiToStore';
import { createAppStore } from '../../../app/store/createAppStore';
import { exchangeFixture, readyLlmState } from '../../../test/chatFixtures';
import { createFakeBackend } from '../../../test/createFakeBackend';
import type { FakeEvent } from '../../../test/createFakeBackend';
import { installedModelFixture } from '../../../test/fixtures';

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

const CHAT_EVENTS: readonly FakeEvent[] = [
  'chats.onMessageDelta',
  'chats.onConversationChanged',
  'chats.onConversationDeleted',
  'llm.onStateChanged',
];

describe('binding chats and the llm to the store', () => {
  it('loads models, the llm state, the chat list and presets, and follows their events', async () => {
    const backend = createFakeBackend({ models: [installedModelFixture()], conversations: [exchangeFixture('c1', 'Hello', 'Hi')] });
    const store = createAppStore({ transport: 'ipc' });
    bindApiToStore(createApiClient(apiContract, backend.raw), store);
    await settle();
    const state = store.getState();
    expect(state.installedModels).toEqual({ status: 'ready', value: [installedModelFixture()] });
    expect(state.modelsFolder).toEqual({ status: 'ready', value: '/home/ada/.config/CodeSage/models' });
    expect(state.llmState).toEqual({ status: 'ready', value: { status: 'idle' } });
    expect(state.chatList.status === 'ready' ? state.chatList.value.map((s) => s.id) : []).toEqual(['c1']);
    expect(state.chatPresets.status).toBe('ready');

    backend.emit('llm.onStateChanged', readyLlmState());
    expect(store.getState().llmState).toEqual({ status: 'ready', value: readyLlmState() });
    backend.emit('chats.onConversationDeleted', { conversationId: 'c1' });
    expect(store.getState().chatList).toEqual({ status: 'ready', value: [] });
  });

  it('reloads the chat list and open conversations after the event socket reconnects', async () => {
    const backend = createFakeBackend({ conversations: [exchangeFixture('c1', 'Hello', 'Hi')] });
    const store = createAppStore({ transport: 'http' });
    bindApiToStore(createApiClient(apiContract, backend.raw), store);
    store.getState().eventsConnectionChanged(true);
    await settle();
    store.getState().conversationReceived(exchangeFixture('c1', 'Hello', 'Hi'));
    store.getState().conversationOpened('c1');
    store.getState().eventsConnectionChanged(false);
    // Renamed while the socket was down: the event never arrived.
    backend.conversations.set('c1', { ...exchangeFixture('c1', 'Renamed', 'Hi'), updatedAt: '2025-02-01T00:00:00.000Z' });
    store.getState().eventsConnectionChanged(true);
    await settle();
    expect(backend.inputsOf('chats.list')).toHaveLength(2);
    expect(backend.inputsOf('chats.get')).toEqual([{ conversationId: 'c1' }]);
    expect(backend.inputsOf('llm.getState')).toHaveLength(2);
    expect(store.getState().conversations.c1?.title).toBe('Renamed');
  });

  it('unsubscribes from every chat and llm event when unbound', () => {
    const backend = createFakeBackend();
    const store = createAppStore({ transport: 'ipc' });
    const unbind = bindApiToStore(createApiClient(apiContract, backend.raw), store);
    expect(CHAT_EVENTS.map((event) => backend.listenerCount(event))).toEqual([1, 1, 1, 1]);
    unbind();
    expect(CHAT_EVENTS.map((event) => backend.listenerCount(event))).toEqual([0, 0, 0, 0]);
  });
});
