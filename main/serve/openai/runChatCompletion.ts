// One chat completion on the engine, shared by the streaming and the plain response: applies the
// stop sequences (ending generation as soon as one appears), reports the visible text as it grows,
// and turns the engine's stop reason into OpenAI's finish_reason. The engine answers one request at
// a time with whatever model is loaded when the request's turn comes, so an answer that starts on
// another model than the one asked for is stopped and refused rather than passed off as it.
import type { LoadedModel } from '../../../common/llm/llmSchema';
import type { OpenAiEngine } from './OpenAiEngine';
import { OpenAiApiError } from './OpenAiApiError';
import type { ChatCompletionRequest } from './parseChatCompletionRequest';
import { StopSequenceFilter } from './StopSequenceFilter';

export interface ChatCompletionOutcome {
  readonly text: string;
  readonly finishReason: 'stop' | 'length';
  readonly promptTokens: number;
  readonly completionTokens: number;
}

export interface RunChatCompletionOptions {
  readonly engine: OpenAiEngine;
  readonly model: LoadedModel;
  readonly request: ChatCompletionRequest;
  readonly maxTokens: number;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  /** Visible text as it is generated (never part of a stop sequence). */
  readonly onDelta?: (text: string) => void;
}

export async function runChatCompletion(options: RunChatCompletionOptions): Promise<ChatCompletionOutcome> {
  const { engine, model, request, signal, onDelta } = options;
  const filter = new StopSequenceFilter(request.stop);
  const stopEarly = new AbortController();
  let text = '';
  /** The model loaded when the first chunk came; '' when none was. */
  const answering: { model: string | null } = { model: null };
  const emit = (delta: string): void => {
    if (delta === '') return;
    text += delta;
    onDelta?.(delta);
  };

  const result = await engine.generate(
    {
      systemPrompt: request.systemPrompt,
      messages: request.messages,
      temperature: request.temperature,
      topP: request.topP,
      maxTokens: options.maxTokens,
      seed: request.seed,
    },
    {
      signal: AbortSignal.any([signal, stopEarly.signal]),
      onTextChunk: (chunk) => {
        if (answering.model === null) {
          const now = engine.state();
          answering.model = now.status === 'ready' ? now.model.id : '';
        }
        if (answering.model !== model.id) {
          stopEarly.abort();
          return;
        }
        const step = filter.push(chunk);
        emit(step.text);
        if (step.stopped) stopEarly.abort();
      },
    },
  );
  if (answering.model !== null && answering.model !== model.id) throw modelChanged(model.id, answering.model);
  if (filter.stopped) return outcome(text, 'stop', result.metrics);
  emit(filter.flush());
  if (result.stopReason === 'stopped') {
    signal.throwIfAborted();
    throw new OpenAiApiError(
      503,
      'The answer was interrupted in CodeSage (the model was unloaded or the app is closing). Retry once a model is loaded.',
      {
        code: 'generation_interrupted',
        retryable: false,
      },
    );
  }
  return outcome(text, result.stopReason === 'maxTokens' ? 'length' : 'stop', result.metrics);
}

function modelChanged(requested: string, answering: string): OpenAiApiError {
  const now = answering === '' ? 'no model is loaded now' : `'${answering}' is loaded now`;
  return new OpenAiApiError(
    409,
    `The model changed in CodeSage while this request waited: ${now}, not '${requested}'. Load it in CodeSage first, then retry.`,
    {
      param: 'model',
      code: 'model_changed',
      retryable: false,
    },
  );
}

function outcome(
  text: string,
  finishReason: 'stop' | 'length',
  metrics: { promptTokens: number; completionTokens: number },
): ChatCompletionOutcome {
  return { text, finishReason, promptTokens: metrics.promptTokens, completionTokens: metrics.completionTokens };
}
