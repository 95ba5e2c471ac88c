// Replaces a file so that a crash leaves either the old or the new content, never a torn mix:
// write a temp file beside it, fsync, rename over the target.
import { open, rename } from 'node:fs/promises';

export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}
