// Importing and deleting models with real files: a complete GGUF is copied in under its name, a
// non-GGUF or cut-off file is refused with the reason and leaves nothing in the folder.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNonGgufFile } from '../../testing/gguf/writeNonGgufFile';
import { writeTinyLlamaGguf } from '../../testing/gguf/writeTinyLlamaGguf';
import type { TinyLlamaInfo } from '../../testing/gguf/writeTinyLlamaGguf';
import { writeTruncatedCopy } from '../../testing/gguf/writeTruncatedCopy';
import { ModelLibrary } from './ModelLibrary';

let dir: string;
let tiny: TinyLlamaInfo;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'codesage-import-'));
  tiny = await writeTinyLlamaGguf(join(dir, 'outside', 'My Model.gguf'), { seed: 9 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ModelLibrary import and delete', () => {
  it('copies a valid GGUF in, lists it, refuses a second copy, and deletes it', async () => {
    const library = new ModelLibrary({ folder: join(dir, 'a', 'models') });
    const model = await library.import(tiny.path);
    expect(model).toMatchObject({ id: 'My Model.gguf', problem: null, sizeBytes: tiny.sizeBytes });
    expect((await readFile(model.path)).equals(await readFile(tiny.path))).toBe(true);
    expect((await library.list()).map((m) => m.id)).toEqual(['My Model.gguf']);
    await expect(library.import(tiny.path)).rejects.toMatchObject({
      name: 'InvalidModelImportError',
      message: expect.stringContaining('already installed') as unknown,
    });
    await library.delete('My Model.gguf');
    expect(await library.list()).toEqual([]);
    await expect(library.delete('My Model.gguf')).rejects.toMatchObject({ name: 'ModelNotFoundError' });
  });

  it('refuses a file that is not GGUF or is cut off, leaving the folder clean', async () => {
    const library = new ModelLibrary({ folder: join(dir, 'b', 'models') });
    const notModel = join(dir, 'outside', 'notes.gguf');
    await writeNonGgufFile(notModel);
    const cut = join(dir, 'outside', 'cut.gguf');
    await writeTruncatedCopy(tiny.path, cut, tiny.sizeBytes - 10);
    await expect(library.import(notModel)).rejects.toMatchObject({
      name: 'InvalidModelImportError',
    });
    await expect(library.import(cut)).rejects.toMatchObject({
      name: 'InvalidModelImportError',
      message: expect.stringContaining('truncated') as unknown,
    });
    await expect(library.import(join(dir, 'nope.gguf'))).rejects.toMatchObject({ name: 'InvalidModelImportError' });
    expect(await readdir(library.folder).catch(() => [])).toEqual([]);
  });
});
