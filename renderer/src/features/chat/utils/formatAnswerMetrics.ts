// The line under an answer: "41 tokens · 23.5 tok/s · first token 120 ms · prompt 230 tokens · CPU · model".
// Figures main could not measure (null) are left out rather than shown as zero.
import type { AnswerMetrics } from '../../../../../common/llm/llmSchema';
import { formatComputeBackend } from '../../../lib/compute/formatComputeBackend';

function tokens(count: number): string {
  return `${count} ${count === 1 ? 'token' : 'tokens'}`;
}

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatAnswerMetrics(metrics: AnswerMetrics): string {
  return [
    tokens(metrics.completionTokens),
    metrics.tokensPerSecond === null ? null : `${metrics.tokensPerSecond.toFixed(1)} tok/s`,
    metrics.timeToFirstTokenMs === null ? null : `first token ${duration(metrics.timeToFirstTokenMs)}`,
    `prompt ${tokens(metrics.promptTokens)}`,
    formatComputeBackend(metrics.backend),
    metrics.model,
  ]
    .filter((part) => part !== null)
    .join(' · ');
}
