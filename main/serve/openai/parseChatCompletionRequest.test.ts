import { describe, expect, it } from 'vitest';
import { OpenAiApiError } from './OpenAiApiError';
import { parseChatCompletionRequest } from './parseChatCompletionRequest';

function refusal(body: unknown): { status: number; param: string | null; code: string | null; message: string } {
  try {
    parseChatCompletionRequest(body);
  } catch (error) {
    if (error instanceof OpenAiApiError) return { status: error.status, param: error.param, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('Expected a refusal.');
}

const user = { role: 'user', content: 'Hi' };

describe('parseChatCompletionRequest', () => {
  it('maps a minimal request with OpenAI defaults', () => {
    expect(parseChatCompletionRequest({ model: 'm', messages: [user] })).toEqual({
      model: 'm',
      systemPrompt: '',
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 1,
      topP: 1,
      maxTokens: null,
      seed: null,
      stream: false,
      includeUsage: false,
      stop: [],
    });
  });

  it('accepts nulls the way OpenAI does and drops empty stop strings', () => {
    const parsed = parseChatCompletionRequest({
      model: 'm',
      messages: [user],
      temperature: null,
      max_tokens: null,
      stream: true,
      stream_options: { include_usage: true },
      stop: ['', 'x'],
      user: 'ignored',
    });
    expect(parsed).toMatchObject({ temperature: 1, maxTokens: null, stream: true, includeUsage: true, stop: ['x'] });
  });

  it('takes max_tokens when max_completion_tokens is absent, and wraps seeds into 32 bits', () => {
    expect(parseChatCompletionRequest({ model: 'm', messages: [user], max_tokens: 12, seed: -1 })).toMatchObject({
      maxTokens: 12,
      seed: 2 ** 32 - 1,
    });
    expect(parseChatCompletionRequest({ model: 'm', messages: [user], seed: 2 ** 32 + 5 }).seed).toBe(5);
  });

  it('names the parameter of a validation problem', () => {
    expect(refusal({ model: 'm', messages: [user], temperature: 3 })).toMatchObject({ status: 400, param: 'temperature' });
    expect(refusal({ model: 'm', messages: [] })).toMatchObject({ status: 400, param: 'messages' });
    expect(refusal({ model: 'm', messages: [user, { role: 'user', content: 5 }] })).toMatchObject({ param: 'messages[1].content' });
    expect(refusal({ model: 'm', messages: [user], stop: ['a', 'b', 'c', 'd', 'e'] })).toMatchObject({ param: 'stop' });
    expect(refusal({ model: 'm', messages: [user], max_tokens: 0 })).toMatchObject({ param: 'max_tokens' });
    expect(refusal({ messages: [user] })).toMatchObject({ param: 'model' });
    expect(refusal('text').param).toBeNull();
  });

  it('says why a non-text content part is refused', () => {
    const problem = refusal({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] });
    expect(problem.param).toBe('messages[0].content');
    expect(problem.message).toMatch(/text/);
  });

  it('refuses a conversation that does not end with the user', () => {
    expect(refusal({ model: 'm', messages: [{ role: 'system', content: 's' }] })).toMatchObject({ param: 'messages' });
  });
});
