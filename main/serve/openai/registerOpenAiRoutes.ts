// The OpenAI-compatible local API (/v1/models, /v1/chat/completions, /v1/embeddings) over the
// model loaded in CodeSage, so editors and scripts built for OpenAI can use it. It is registered
// into serve mode's Fastify server behind the same gate (loopback Host, Origin, the per-run token
// as `Authorization: Bearer`), answers errors in OpenAI's shape, streams answers as Server-Sent
// Events and stops generating as soon as the client goes away.
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { InstalledModel, LoadedModel } from '../../../common/llm/llmSchema';
import type { OpenAiEngine, OpenAiModelLibrary } from './OpenAiEngine';
import { OpenAiApiError } from './OpenAiApiError';
import type { OpenAiErrorBody, OpenAiErrorType } from './OpenAiApiError';
import { parseChatCompletionRequest } from './parseChatCompletionRequest';
import type { ChatCompletionRequest } from './parseChatCompletionRequest';
import { parseEmbeddingRequest } from './parseEmbeddingRequest';
import { modelMatches, resolveRequestedModel } from './resolveRequestedModel';
import { runChatCompletion } from './runChatCompletion';
import type { ChatCompletionOutcome } from './runChatCompletion';
import { toOpenAiApiError } from './toOpenAiApiError';

export interface OpenAiRoutesOptions {
  readonly engine: OpenAiEngine;
  readonly library: OpenAiModelLibrary;
  /** URL prefix; default '/v1'. */
  readonly prefix?: string;
  /** Answer length limit when a request sets no max_tokens. Default DEFAULT_MAX_TOKENS. */
  readonly defaultMaxTokens?: number;
}

/**
 * OpenAI lets an answer run to the end of the context when max_tokens is absent; a local model
 * writing thousands of tokens of a runaway answer would hold the machine for minutes, so the
 * default is the chat view's own limit.
 */
export const DEFAULT_MAX_TOKENS = 1024;

export interface OpenAiModelObject {
  readonly id: string;
  readonly object: 'model';
  readonly created: number;
  readonly owned_by: 'codesage';
}

export async function registerOpenAiRoutes(app: FastifyInstance, options: OpenAiRoutesOptions): Promise<void> {
  const { engine, library } = options;
  const defaultMaxTokens = options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS;

  await app.register(
    (v1, _pluginOptions, done) => {
      v1.setErrorHandler((error, _request, reply) => sendError(reply, toOpenAiApiError(error)));
      v1.setNotFoundHandler((request, reply) =>
        sendError(
          reply,
          new OpenAiApiError(404, `CodeSage's local API has no ${request.method} ${request.url.split('?')[0] ?? ''}.`, {
            code: 'unknown_url',
          }),
        ),
      );
      // Requests refused by serve mode's gate (no token, foreign Origin or Host) get CodeSage's
      // envelope; OpenAI clients read `error.message` either way, but give them the shape they know.
      v1.addHook('onSend', (_request, reply, payload, next) => {
        next(null, reply.statusCode >= 400 ? rewriteEnvelopeError(reply.statusCode, payload) : payload);
      });

      v1.get('/models', async () => ({ object: 'list' as const, data: await listModels(engine, library) }));

      v1.get('/models/:model', async (request) => {
        const { model } = request.params as { model: string };
        const found = (await listModels(engine, library)).find((entry) => entry.id === model);
        if (found !== undefined) return found;
        throw new OpenAiApiError(404, `The model '${model}' does not exist in CodeSage. GET /v1/models lists the installed ones.`, {
          param: 'model',
          code: 'model_not_found',
        });
      });

      v1.post('/chat/completions', async (request, reply) => {
        const chat = parseChatCompletionRequest(request.body);
        const model = await resolveRequestedModel(engine, library, chat.model);
        const maxTokens = chat.maxTokens ?? defaultMaxTokens;
        const client = watchClient(reply.raw);
        try {
          if (chat.stream) {
            await streamChatCompletion(reply, client, { engine, model, chat, maxTokens });
            return;
          }
          const outcome = await runChatCompletion({ engine, model, request: chat, maxTokens, signal: client.signal });
          return chatCompletion(completionId(), model, outcome);
        } catch (error) {
          if (!client.gone) throw error;
          abandon(reply);
          return;
        } finally {
          client.dispose();
        }
      });

      v1.post('/embeddings', async (request, reply) => {
        const body = parseEmbeddingRequest(request.body);
        const model = await resolveRequestedModel(engine, library, body.model);
        const client = watchClient(reply.raw);
        try {
          const result = await engine.embed(body.input, { signal: client.signal });
          const size = result.embeddings[0]?.length ?? 0;
          if (body.dimensions !== null && body.dimensions !== size) {
            throw new OpenAiApiError(
              400,
              `'${model.id}' makes embeddings of ${String(size)} dimensions and cannot shorten them; leave 'dimensions' out or set it to ${String(size)}.`,
              { param: 'dimensions', code: 'unsupported_value' },
            );
          }
          return {
            object: 'list' as const,
            data: result.embeddings.map((embedding, index) => ({
              object: 'embedding' as const,
              index,
              embedding: body.encodingFormat === 'base64' ? float32Base64(embedding) : embedding,
            })),
            model: model.id,
            usage: { prompt_tokens: result.promptTokens, total_tokens: result.promptTokens },
          };
        } catch (error) {
          if (!client.gone) throw error;
          abandon(reply);
          return;
        } finally {
          client.dispose();
        }
      });
      done();
    },
    { prefix: options.prefix ?? '/v1' },
  );
}

interface StreamJob {
  readonly engine: OpenAiEngine;
  readonly model: LoadedModel;
  readonly chat: ChatCompletionRequest;
  readonly maxTokens: number;
}

/**
 * Server-Sent Events as OpenAI sends them: the role first, then content deltas, a last chunk with
 * finish_reason, the usage chunk if asked for, then `data: [DONE]`. The response starts with the
 * first piece of text, so a failure before it (a busy or unloaded engine) still gets a proper
 * HTTP status rather than an error event inside a 200.
 */
async function streamChatCompletion(reply: FastifyReply, client: ClientWatch, job: StreamJob): Promise<void> {
  const id = completionId();
  const created = nowSeconds();
  const res = reply.raw;
  const usageField = job.chat.includeUsage ? { usage: null } : {};
  const chunk = (delta: Record<string, string>, finishReason: ChatCompletionOutcome['finishReason'] | null) => ({
    id,
    object: 'chat.completion.chunk' as const,
    created,
    model: job.model.id,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...usageField,
  });
  const write = (data: unknown): void => {
    // Deltas are a few bytes each and arrive slower than any socket drains, so no backpressure.
    if (!res.destroyed && !res.writableEnded) res.write(`data: ${JSON.stringify(data)}\n\n`);
  };
  const progress = { started: false };
  const start = (): void => {
    if (progress.started) return;
    progress.started = true;
    reply.hijack();
    res.writeHead(200, {
      ...(reply.getHeaders() as OutgoingHttpHeaders),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    write(chunk({ role: 'assistant', content: '' }, null));
  };

  try {
    const outcome = await runChatCompletion({
      engine: job.engine,
      model: job.model,
      request: job.chat,
      maxTokens: job.maxTokens,
      signal: client.signal,
      onDelta: (text) => {
        start();
        write(chunk({ content: text }, null));
      },
    });
    start();
    write(chunk({}, outcome.finishReason));
    if (job.chat.includeUsage) {
      write({ id, object: 'chat.completion.chunk', created, model: job.model.id, choices: [], usage: usage(outcome) });
    }
    res.end('data: [DONE]\n\n');
  } catch (error) {
    if (!progress.started) throw error;
    // Headers are gone: report in the stream, where OpenAI clients raise it as an APIError.
    if (!client.gone) write(toOpenAiApiError(error).toBody());
    res.end();
  }
}

function chatCompletion(id: string, model: LoadedModel, outcome: ChatCompletionOutcome) {
  return {
    id,
    object: 'chat.completion' as const,
    created: nowSeconds(),
    model: model.id,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content: outcome.text, refusal: null },
        logprobs: null,
        finish_reason: outcome.finishReason,
      },
    ],
    usage: usage(outcome),
  };
}

function usage(outcome: ChatCompletionOutcome) {
  return {
    prompt_tokens: outcome.promptTokens,
    completion_tokens: outcome.completionTokens,
    total_tokens: outcome.promptTokens + outcome.completionTokens,
  };
}

async function listModels(engine: OpenAiEngine, library: OpenAiModelLibrary): Promise<OpenAiModelObject[]> {
  const installed = (await library.list()).filter((model) => model.problem === null);
  const state = engine.state();
  // The loaded model is always usable, even if its file has since left the models folder.
  const models: Pick<InstalledModel, 'id' | 'name' | 'path'>[] =
    state.status === 'ready' && !installed.some((model) => modelMatches(model, state.model.id)) ? [state.model, ...installed] : installed;
  return Promise.all(
    models.map(async (model) => ({
      id: model.id,
      object: 'model' as const,
      created: await fileCreated(model.path),
      owned_by: 'codesage' as const,
    })),
  );
}

/** Unix seconds the model file was last written (when it was downloaded); 0 when unreadable. */
async function fileCreated(path: string): Promise<number> {
  try {
    return Math.floor((await stat(path)).mtimeMs / 1000);
  } catch {
    return 0;
  }
}

interface ClientWatch {
  /** Aborted when the client disconnects before the response is complete. */
  readonly signal: AbortSignal;
  readonly gone: boolean;
  dispose(): void;
}

function watchClient(res: ServerResponse): ClientWatch {
  const controller = new AbortController();
  const onClose = (): void => {
    if (!res.writableFinished) controller.abort(new OpenAiApiError(499, 'The client closed the connection.', { code: 'client_closed' }));
  };
  res.on('close', onClose);
  return {
    signal: controller.signal,
    get gone() {
      return controller.signal.aborted;
    },
    dispose: () => res.off('close', onClose),
  };
}

/** Nobody is listening any more: drop the response instead of answering a closed socket. */
function abandon(reply: FastifyReply): void {
  reply.hijack();
  reply.raw.destroy();
}

function sendError(reply: FastifyReply, error: OpenAiApiError): FastifyReply {
  // OpenAI clients retry 409 and 5xx by default; a missing model will not appear by retrying.
  if (!error.retryable) void reply.header('x-should-retry', 'false');
  return reply.code(error.status).send(error.toBody());
}

function rewriteEnvelopeError(status: number, payload: unknown): unknown {
  if (typeof payload !== 'string') return payload;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return payload;
  }
  if (!isEnvelopeError(parsed)) return payload;
  const type: OpenAiErrorType = status === 401 ? 'authentication_error' : status === 403 ? 'permission_error' : 'invalid_request_error';
  const body: OpenAiErrorBody = {
    error: { message: parsed.error.message, type, param: null, code: status === 401 ? 'invalid_api_key' : parsed.error.name },
  };
  return JSON.stringify(body);
}

function isEnvelopeError(value: unknown): value is { ok: false; error: { name: string; message: string } } {
  if (typeof value !== 'object' || value === null || !('ok' in value) || value.ok !== false || !('error' in value)) return false;
  const error = value.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'name' in error &&
    typeof error.name === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

function float32Base64(values: readonly number[]): string {
  const floats = Float32Array.from(values);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

function completionId(): string {
  return `chatcmpl-${randomUUID().replaceAll('-', '')}`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
