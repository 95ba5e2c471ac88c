// The sha256 of a file, streamed (models are gigabytes), abortable.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path, { highWaterMark: 4 * 1024 * 1024, ...(signal === undefined ? {} : { signal }) });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
