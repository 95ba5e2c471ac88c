// Sample conversations and llm states for the chat view's tests.
import { DEFAULT_GENERATION_PARAMS } from '../../../common/chat/chatSchema';
import type { ChatMessage, Conversation } from '../../../common/chat/chatSchema';
import type { LlmState } from '../../../common/llm/llmSchema';
import { installedModelFixture } from './fixtures';

export function readyLlmState(overrides: { contextSize?: number } = {}): LlmState {
  const model = installedModelFixture();
  return {
    status: 'ready',
    model: {
      id: model.id,
      name: model.name,
      path: model.path,
      contextSize: overrides.contextSize ?? 8192,
      trainContextSize: model.contextLength,
      gpuLayers: 0,
      backend: 'cpu',
      chatWrapper: 'ChatML',
    },
  };
}

export function messageFixture(overrides: Partial<ChatMessage> & Pick<ChatMessage, 'id' | 'role'>): ChatMessage {
  return {
    parentId: null,
    content: '',
    createdAt: '2025-01-01T08:00:00.000Z',
    status: 'complete',
    metrics: null,
    notices: [],
    error: null,
    route: null,
    intentCorrection: null,
    ...overrides,
  };
}

/** A conversation whose active branch is the chain of `messages` (each the parent of the next) unless given. */
export function conversationFixture(overrides: Partial<Conversation> & Pick<Conversation, 'id'>): Conversation {
  const messages = overrides.messages ?? [];
  return {
    title: 'Fixture chat',
    createdAt: '2025-01-01T08:00:00.000Z',
    updatedAt: '2025-01-01T08:00:00.000Z',
    systemPrompt: 'You are CodeSage, a careful coding assistant.',
    params: DEFAULT_GENERATION_PARAMS,
    activeLeafId: messages.at(-1)?.id ?? null,
    ...overrides,
    messages,
  };
}

/** A finished exchange: a user question and a complete answer. */
export function exchangeFixture(id: string, question: string, answer: string, updatedAt = '2025-01-01T08:00:00.000Z'): Conversation {
  return conversationFixture({
    id,
    title: question,
    updatedAt,
    messages: [
      messageFixture({ id: `${id}-u1`, role: 'user', content: question }),
      messageFixture({ id: `${id}-a1`, role: 'assistant', parentId: `${id}-u1`, content: answer }),
    ],
  });
}
