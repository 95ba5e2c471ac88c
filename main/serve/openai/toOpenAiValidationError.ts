// Turns a zod error on a request body into the 400 OpenAI clients expect: the first problem's
// path as `param` (written the way OpenAI writes it, `messages[0].content`) and every problem in
// the message, so a caller sees all of them at once.
import type { z } from 'zod';
import { OpenAiApiError } from './OpenAiApiError';

export function toOpenAiValidationError(error: z.ZodError): OpenAiApiError {
  const problems = error.issues.map((issue) => {
    const path = formatParam(issue.path);
    return path === null ? issue.message : `'${path}': ${issue.message}`;
  });
  const first = error.issues[0];
  return new OpenAiApiError(400, `Invalid request body. ${problems.join('; ')}.`, {
    param: first === undefined ? null : formatParam(first.path),
    code: 'invalid_value',
  });
}

export function formatParam(path: readonly PropertyKey[]): string | null {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${String(key)}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? null : text;
}
