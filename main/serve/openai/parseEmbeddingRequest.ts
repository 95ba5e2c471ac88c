// Validates the body of POST /v1/embeddings (zod): text input only (a string or up to 2048 of
// them; token-id arrays are refused), float or base64 encoding, and `dimensions` only as a check
// that the caller expects the model's own size (the engine cannot shorten vectors).
import { z } from 'zod';
import { OpenAiApiError } from './OpenAiApiError';
import { toOpenAiValidationError } from './toOpenAiValidationError';

export interface EmbeddingRequest {
  readonly model: string;
  readonly input: string[];
  readonly encodingFormat: 'float' | 'base64';
  readonly dimensions: number | null;
}

const MAX_INPUTS = 2048;

export const embeddingBodySchema = z.object({
  model: z.string().min(1, 'Name the model: the id of the model loaded in CodeSage (GET /v1/models lists them)'),
  input: z.union(
    [
      z.string(),
      z
        .array(z.union([z.string(), z.number(), z.array(z.number())]))
        .min(1)
        .max(MAX_INPUTS),
    ],
    `Must be a string or an array of 1 to ${String(MAX_INPUTS)} strings`,
  ),
  encoding_format: z.enum(['float', 'base64'], 'Must be "float" or "base64"').nullish(),
  dimensions: z.number().int().min(1).nullish(),
  user: z.string().nullish(),
});

export function parseEmbeddingRequest(body: unknown): EmbeddingRequest {
  const parsed = embeddingBodySchema.safeParse(body);
  if (!parsed.success) throw toOpenAiValidationError(parsed.error);
  const { model, input, encoding_format, dimensions } = parsed.data;
  const texts = typeof input === 'string' ? [input] : input;
  if (!texts.every((item): item is string => typeof item === 'string')) {
    // Arrays of token ids are tokenizer-specific; a local model's ids would not match OpenAI's anyway.
    throw new OpenAiApiError(400, "'input' must be text: arrays of token ids are not supported by CodeSage's local API.", {
      param: 'input',
      code: 'unsupported_parameter',
    });
  }
  const empty = texts.findIndex((text) => text === '');
  if (empty !== -1) {
    const param = typeof input === 'string' ? 'input' : `input[${String(empty)}]`;
    throw new OpenAiApiError(400, `'${param}' is empty: send some text to embed.`, { param, code: 'invalid_value' });
  }
  return { model, input: texts, encodingFormat: encoding_format ?? 'float', dimensions: dimensions ?? null };
}
