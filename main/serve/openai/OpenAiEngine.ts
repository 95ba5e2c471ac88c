// The parts of CodeSage's LLM engine and model library that the OpenAI-compatible API uses, as
// structural types: the real LlmEngine and ModelLibrary fit them without this folder importing the
// classes, and tests can hand in a double.
import type { AnswerMetrics, InstalledModel, LlmState } from '../../../common/llm/llmSchema';

export interface OpenAiGenerateRequest {
  systemPrompt: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
  temperature: number;
  topP: number;
  maxTokens: number;
  seed: number | null;
}

export interface OpenAiGenerateCallbacks {
  onTextChunk?: (text: string) => void;
  signal?: AbortSignal;
}

export interface OpenAiGenerateResult {
  text: string;
  stopReason: 'endOfTurn' | 'maxTokens' | 'stopped';
  metrics: AnswerMetrics;
}

export interface OpenAiEmbedResult {
  embeddings: number[][];
  promptTokens: number;
}

export interface OpenAiEngine {
  state(): LlmState;
  generate(request: OpenAiGenerateRequest, callbacks: OpenAiGenerateCallbacks): Promise<OpenAiGenerateResult>;
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<OpenAiEmbedResult>;
}

export interface OpenAiModelLibrary {
  list(): Promise<InstalledModel[]>;
}
