// Imports a model file the user dropped or picked. In Electron the preload tells its path and
// main copies it from there; in serve mode the browser has only the bytes, so they are streamed to
// serve mode's upload route (same origin, so the session cookie authenticates it) and main applies
// the same checks. Either way the answer is the installed model, or an error with main's name.
import type { CodesageApi } from '../../../../common/api/contract';
import { installedModelSchema } from '../../../../common/llm/llmSchema';
import type { InstalledModel } from '../../../../common/llm/llmSchema';

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export async function importModelFile(api: CodesageApi, file: File): Promise<InstalledModel> {
  if (!file.name.toLowerCase().endsWith('.gguf')) {
    throw namedError('InvalidModelImportError', `${file.name} is not a .gguf file: CodeSage runs GGUF models.`);
  }
  const path = window.codesageFiles?.pathOf(file);
  if (path !== undefined && path !== '') return api.models.import({ path });
  const response = await fetch(`${window.location.origin}/api/models/upload?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: file,
  });
  const envelope = (await response.json().catch(() => null)) as {
    ok?: boolean;
    value?: unknown;
    error?: { name?: string; message?: string };
  } | null;
  if (envelope?.ok === true) return installedModelSchema.parse(envelope.value);
  throw namedError(
    envelope?.error?.name ?? 'UploadError',
    envelope?.error?.message ?? `The upload failed (HTTP ${String(response.status)}).`,
  );
}
