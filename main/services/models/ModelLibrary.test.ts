// The models folder against real files: generated tiny GGUF models, a non-GGUF file and files cut
// off at several points, read with the real node-llama-cpp header parser.
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNonGgufFile } from '../../testing/gguf/writeNonGgufFile';
import { writeTinyLlamaGguf } from '../../testing/gguf/writeTinyLlamaGguf';
import type { TinyLlamaInfo } from '../../testing/gguf/writeTinyLlamaGguf';
import { writeTruncatedCopy } from '../../testing/gguf/writeTruncatedCopy';
import { ModelNotFoundError } from './errors/ModelNotFoundError';
import { ModelLibrary } from './ModelLibrary';

let dataDir: string;
let library: ModelLibrary;
let tiny: TinyLlamaInfo;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'codesage-models-'));
  library = new ModelLibrary({ folder: join(dataDir, 'models') });
  const folder = library.folder;
  tiny = await writeTinyLlamaGguf(join(folder, 'tiny-f32.gguf'), { contextLength: 4096 });
  await writeTinyLlamaGguf(join(folder, 'Tiny-F16.GGUF'), { weightType: 'F16', name: '  ' });
  await writeNonGgufFile(join(folder, 'not-a-model.gguf'));
  await writeTruncatedCopy(tiny.path, join(folder, 'cut-data.gguf'), tiny.sizeBytes - 1);
  await writeTruncatedCopy(tiny.path, join(folder, 'cut-header.gguf'), 100);
  await writeTruncatedCopy(tiny.path, join(folder, 'cut-magic.gguf'), 2);
  await writeFile(join(folder, 'empty.gguf'), '');
  await writeFile(join(folder, 'notes.txt'), 'not listed');
  await writeFile(join(folder, '.hidden.gguf'), 'not listed');
  await mkdir(join(folder, 'folder.gguf'));
  await writeTinyLlamaGguf(join(folder, 'nested', 'deeper.gguf'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('ModelLibrary', () => {
  it('creates the models folder when it is missing', async () => {
    const fresh = new ModelLibrary({ folder: join(dataDir, 'fresh', 'models') });
    await expect(fresh.list()).resolves.toEqual([]);
    expect((await stat(fresh.folder)).isDirectory()).toBe(true);
  });

  it('lists every .gguf file with what its header says, and the problem of each broken one', async () => {
    const models = await library.list();
    expect(models.map((model) => model.id)).toEqual([
      'cut-data.gguf',
      'cut-header.gguf',
      'cut-magic.gguf',
      'empty.gguf',
      'not-a-model.gguf',
      'Tiny-F16.GGUF',
      'tiny-f32.gguf',
    ]);
    const byId = new Map(models.map((model) => [model.id, model]));

    expect(byId.get('tiny-f32.gguf')).toEqual({
      id: 'tiny-f32.gguf',
      name: 'CodeSage Tiny Llama',
      path: join(library.folder, 'tiny-f32.gguf'),
      sizeBytes: tiny.sizeBytes,
      architecture: 'llama',
      contextLength: 4096,
      problem: null,
    });
    // A blank general.name falls back to the file name.
    expect(byId.get('Tiny-F16.GGUF')).toMatchObject({ name: 'Tiny-F16', architecture: 'llama', contextLength: 2048, problem: null });

    const problem = (id: string): string | null | undefined => byId.get(id)?.problem;
    expect(problem('cut-data.gguf')).toBe(
      `The file is truncated (${tiny.sizeBytes - 1} of ${tiny.sizeBytes} bytes): the download did not finish; download it again.`,
    );
    expect(problem('cut-header.gguf')).toMatch(/^The file is truncated \(100 of \d+ bytes\).*download it again\.$/);
    expect(problem('cut-magic.gguf')).toMatch(/^The file is truncated \(2 bytes\)/);
    expect(problem('empty.gguf')).toMatch(/^The file is empty.*download it again\.$/);
    expect(problem('not-a-model.gguf')).toMatch(/^This is not a GGUF model file .*download the \.gguf version/);
    for (const id of ['cut-data.gguf', 'not-a-model.gguf', 'empty.gguf']) {
      expect(byId.get(id)).toMatchObject({ architecture: null, contextLength: null });
    }
    expect(byId.get('cut-data.gguf')?.sizeBytes).toBe(tiny.sizeBytes - 1);
  });

  it('resolves an id to the model, read afresh', async () => {
    await expect(library.resolve('tiny-f32.gguf')).resolves.toMatchObject({ id: 'tiny-f32.gguf', problem: null, contextLength: 4096 });
    await expect(library.resolve('not-a-model.gguf')).resolves.toMatchObject({ problem: expect.stringMatching(/not a GGUF/) as unknown });
  });

  it('refuses unknown ids and ids that are not plain .gguf file names', async () => {
    const missing = await library.resolve('gone.gguf').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ModelNotFoundError);
    expect((missing as ModelNotFoundError).message).toMatch(/no model "gone\.gguf".*refresh the model list/);
    for (const id of ['../models/tiny-f32.gguf', 'nested/deeper.gguf', 'nested\\deeper.gguf', '..', 'notes.txt', '.hidden.gguf', '']) {
      const error = await library.resolve(id).catch((e: unknown) => e);
      expect(error, id).toBeInstanceOf(ModelNotFoundError);
      expect((error as Error).message, id).toMatch(/is not a model id/);
    }
    // A folder with a model-like name is not a model.
    await expect(library.resolve('folder.gguf')).resolves.toMatchObject({ problem: expect.stringMatching(/folder/) as unknown });
  });
});
