// Test support: writes a file with a .gguf-looking name that is not GGUF at all (wrong magic),
// for the error paths of picking the wrong file as a model.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The default content is longer than a GGUF header, so readers fail on the magic, not on EOF. */
export async function writeNonGgufFile(
  path: string,
  content: string | Uint8Array = 'This is not a GGUF model file.\n'.repeat(8),
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}
