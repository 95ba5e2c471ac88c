// Validates the body of POST /v1/chat/completions (zod) and turns it into what CodeSage's engine
// takes: one system prompt, user/assistant turns with plain-text content and sampling settings.
// Parameters the engine cannot honour (tools, JSON mode, penalties, logprobs, n > 1) are refused
// with a 400 naming the parameter rather than silently ignored; fields that change nothing about
// the answer (user, metadata, store, …) are accepted and dropped.
import { z } from 'zod';
import { OpenAiApiError } from './OpenAiApiError';
import { toOpenAiValidationError } from './toOpenAiValidationError';

export interface ChatCompletionTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface ChatCompletionRequest {
  readonly model: string;
  /** Every system (and developer) message, in order, joined by blank lines. */
  readonly systemPrompt: string;
  readonly messages: ChatCompletionTurn[];
  readonly temperature: number;
  readonly topP: number;
  /** max_completion_tokens, else max_tokens; null when the caller set neither. */
  readonly maxTokens: number | null;
  /** In llama.cpp's range (0 … 2³²−1). */
  readonly seed: number | null;
  readonly stream: boolean;
  readonly includeUsage: boolean;
  /** Non-empty stop sequences; the answer ends before the first one that appears. */
  readonly stop: string[];
}

const MAX_STOP_SEQUENCES = 4;

const textPartSchema = z.object({
  type: z.literal('text', 'Only text content parts ({"type": "text", "text": "…"}) are supported; images, audio and files are not'),
  text: z.string(),
});

const contentSchema = z.union([z.string(), z.array(textPartSchema)], 'Must be a string or an array of text parts');

const messageSchema = z.object({
  role: z.enum(
    ['system', 'developer', 'user', 'assistant'],
    'Must be "system", "developer", "user" or "assistant"; tool and function messages are not supported',
  ),
  content: contentSchema,
  name: z.string().optional(),
});

const tokenLimit = z.number().int().min(1).nullish();

export const chatCompletionBodySchema = z.object({
  model: z.string().min(1, 'Name the model: the id of the model loaded in CodeSage (GET /v1/models lists them)'),
  messages: z.array(messageSchema).min(1, 'Send at least one message'),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: tokenLimit,
  max_completion_tokens: tokenLimit,
  seed: z.number().int().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(MAX_STOP_SEQUENCES)], 'Must be a string or an array of up to 4 strings').nullish(),
  n: z.number().int().min(1).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  tools: z.array(z.unknown()).nullish(),
  functions: z.array(z.unknown()).nullish(),
  response_format: z.object({ type: z.string() }).nullish(),
});
type ChatCompletionBody = z.infer<typeof chatCompletionBodySchema>;

export function parseChatCompletionRequest(body: unknown): ChatCompletionRequest {
  const parsed = chatCompletionBodySchema.safeParse(body);
  if (!parsed.success) throw toOpenAiValidationError(parsed.error);
  const request = parsed.data;
  refuseUnsupported(request);

  const system: string[] = [];
  const messages: ChatCompletionTurn[] = [];
  for (const message of request.messages) {
    const content = typeof message.content === 'string' ? message.content : message.content.map((part) => part.text).join('');
    if (message.role === 'system' || message.role === 'developer') system.push(content);
    else messages.push({ role: message.role, content });
  }
  if (messages.at(-1)?.role !== 'user') {
    throw new OpenAiApiError(
      400,
      'The last message must come from the user: CodeSage answers a user message and cannot continue an answer.',
      {
        param: 'messages',
        code: 'invalid_value',
      },
    );
  }

  // top_p → 0 keeps only the likeliest token: that is greedy decoding, which temperature 0 asks for.
  const greedy = request.top_p === 0;
  return {
    model: request.model,
    systemPrompt: system.join('\n\n'),
    messages,
    temperature: greedy ? 0 : (request.temperature ?? 1),
    topP: greedy ? 1 : (request.top_p ?? 1),
    maxTokens: request.max_completion_tokens ?? request.max_tokens ?? null,
    seed: request.seed === null || request.seed === undefined ? null : toUint32(request.seed),
    stream: request.stream ?? false,
    includeUsage: request.stream_options?.include_usage ?? false,
    stop: stopSequences(request.stop),
  };
}

/** llama.cpp seeds are 32-bit; OpenAI's are any integer. Wrapping keeps "same seed, same answer". */
function toUint32(seed: number): number {
  const modulus = 2 ** 32;
  return ((seed % modulus) + modulus) % modulus;
}

function stopSequences(stop: string | string[] | null | undefined): string[] {
  if (stop === null || stop === undefined) return [];
  return (typeof stop === 'string' ? [stop] : stop).filter((sequence) => sequence !== '');
}

function refuseUnsupported(request: ChatCompletionBody): void {
  const refuse = (param: string, what: string): never => {
    throw new OpenAiApiError(400, `'${param}' is not supported by CodeSage's local API: ${what}. Leave it out and try again.`, {
      param,
      code: 'unsupported_parameter',
    });
  };
  if ((request.n ?? 1) !== 1) refuse('n', 'it writes one answer per request');
  if ((request.presence_penalty ?? 0) !== 0) refuse('presence_penalty', 'repetition penalties are not available');
  if ((request.frequency_penalty ?? 0) !== 0) refuse('frequency_penalty', 'repetition penalties are not available');
  if (request.logprobs === true) refuse('logprobs', 'token log-probabilities are not reported');
  if ((request.top_logprobs ?? 0) !== 0) refuse('top_logprobs', 'token log-probabilities are not reported');
  if (request.logit_bias != null && Object.keys(request.logit_bias).length > 0) refuse('logit_bias', 'token biases are not available');
  if (request.tools != null && request.tools.length > 0) refuse('tools', 'tool calling is not available');
  if (request.functions != null && request.functions.length > 0) refuse('functions', 'function calling is not available');
  if (request.response_format != null && request.response_format.type !== 'text') {
    refuse('response_format', 'only plain text answers are available (no JSON mode or schemas)');
  }
}
