// Which turns fit, with a word-counting stand-in for the chat template and tokenizer.
import type { ChatHistoryItem } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { fitChatHistory } from './fitChatHistory';

// One token per word, plus one per message for its framing.
function countWords(history: readonly ChatHistoryItem[], question: string): number {
  let count = question.split(' ').length + 1;
  for (const item of history) {
    const text =
      item.type === 'model'
        ? item.response.filter((part) => typeof part === 'string').join(' ')
        : typeof item.text === 'string'
          ? item.text
          : '';
    count += text.split(' ').length + 1;
  }
  return count;
}

const system: ChatHistoryItem[] = [{ type: 'system', text: 'be brief' }]; // 3
const turns: ChatHistoryItem[] = [
  { type: 'user', text: 'one two three' }, // 4
  { type: 'model', response: ['four five'] }, // 3
  { type: 'user', text: 'six' }, // 2
  { type: 'user', text: 'seven eight' }, // 3
  { type: 'model', response: ['nine'] }, // 2
];
const question = 'why not'; // 3

describe('fitChatHistory', () => {
  it('keeps everything when it fits', () => {
    expect(fitChatHistory({ system, turns, question, maxPromptTokens: 20, countPromptTokens: countWords })).toEqual({
      history: [...system, ...turns],
      promptTokens: 20,
      droppedMessages: 0,
    });
  });

  it('drops the oldest messages, never starting on an answer, and keeps the system prompt', () => {
    // Dropping only "one two three" would start on an answer: the answer goes with it.
    expect(fitChatHistory({ system, turns, question, maxPromptTokens: 19, countPromptTokens: countWords })).toEqual({
      history: [...system, ...turns.slice(2)],
      promptTokens: 13,
      droppedMessages: 2,
    });
    expect(fitChatHistory({ system, turns, question, maxPromptTokens: 12, countPromptTokens: countWords })).toMatchObject({
      history: [...system, ...turns.slice(3)],
      droppedMessages: 3,
    });
  });

  it('sends just the system prompt and the question when nothing else fits', () => {
    expect(fitChatHistory({ system, turns, question, maxPromptTokens: 2, countPromptTokens: countWords })).toEqual({
      history: system,
      promptTokens: 6,
      droppedMessages: 5,
    });
  });
});
