// Test support: copies the first bytes of a file (typically a model) to make a deliberately
// truncated one, for the error paths of loading an interrupted download or a damaged file.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes the first `bytes` bytes of `src` to `dest`; `bytes` must be within the file's size. */
export async function writeTruncatedCopy(src: string, dest: string, bytes: number): Promise<void> {
  const content = await readFile(src);
  if (!Number.isInteger(bytes) || bytes < 0 || bytes > content.length) {
    throw new RangeError(`Cannot keep ${bytes} bytes of ${src}: it has ${content.length}.`);
  }
  await mkdir(dirname(dest), { recursive: true });
  await writeFile(dest, content.subarray(0, bytes));
}
