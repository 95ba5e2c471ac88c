import { describe, expect, it } from 'vitest';
import { answerMetricsFixture } from '../../../test/fixtures';
import { formatAnswerMetrics } from './formatAnswerMetrics';

describe('formatAnswerMetrics', () => {
  it('lists tokens, speed, first-token time, prompt size, backend and model', () => {
    expect(formatAnswerMetrics(answerMetricsFixture)).toBe(
      '41 tokens · 23.5 tok/s · first token 120 ms · prompt 230 tokens · CPU · Qwen2.5 Coder 1.5B Q4_K_M',
    );
  });

  it('leaves out what was not measured and writes long waits in seconds', () => {
    expect(
      formatAnswerMetrics({
        ...answerMetricsFixture,
        completionTokens: 1,
        tokensPerSecond: null,
        timeToFirstTokenMs: 2340,
        backend: 'cuda',
      }),
    ).toBe('1 token · first token 2.3 s · prompt 230 tokens · CUDA · Qwen2.5 Coder 1.5B Q4_K_M');
    expect(formatAnswerMetrics({ ...answerMetricsFixture, timeToFirstTokenMs: null, promptTokens: 1 })).toBe(
      '41 tokens · 23.5 tok/s · prompt 1 token · CPU · Qwen2.5 Coder 1.5B Q4_K_M',
    );
  });
});
