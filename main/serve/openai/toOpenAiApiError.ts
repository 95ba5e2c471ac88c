// Maps whatever a /v1 handler threw to an OpenAiApiError: our own errors pass through, Fastify's
// request errors (bad JSON, wrong content type, body too large) keep their 4xx status, the engine's
// named errors get the status that tells a client what happened (matched by name, as errors cross
// boundaries in CodeSage), and anything else is a 500 that keeps the engine's message.
import { OpenAiApiError } from './OpenAiApiError';

export function toOpenAiApiError(error: unknown): OpenAiApiError {
  if (error instanceof OpenAiApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  const status = statusOf(error);
  if (status !== null && status >= 400 && status < 500) {
    if (status === 415) {
      return new OpenAiApiError(415, 'Send the request body as JSON with the header Content-Type: application/json.', {
        code: 'unsupported_media_type',
      });
    }
    if (status === 413) return new OpenAiApiError(413, `The request body is too large: ${message}`, { code: 'request_too_large' });
    return new OpenAiApiError(status, `We could not parse the JSON body of your request: ${message}`, { code: 'invalid_json' });
  }
  switch (name) {
    case 'NoModelLoadedError':
      // The model was unloaded (or a load started) between the model check and this request's turn.
      return new OpenAiApiError(503, `CodeSage: ${message}`, { code: 'no_model_loaded', retryable: false, cause: error });
    case 'AbortError':
      return new OpenAiApiError(503, `CodeSage stopped the request (the model was unloaded or the app is closing): ${message}`, {
        code: 'generation_interrupted',
        retryable: false,
        cause: error,
      });
    case 'ModelTooLargeError':
      return new OpenAiApiError(503, message, { code: 'insufficient_memory', retryable: false, cause: error });
    case 'RangeError':
      // The engine's own checks on sizes (e.g. a text longer than the embedding context).
      return new OpenAiApiError(400, message, { code: 'context_length_exceeded', cause: error });
    default:
      return new OpenAiApiError(500, `The local model failed: ${message}`, { code: 'internal_error', cause: error });
  }
}

function statusOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return null;
  return typeof error.statusCode === 'number' ? error.statusCode : null;
}
