// The serve-mode upload route with a real ModelLibrary: a GGUF body is installed under its name; a
// file that is not a model, or a bad name, is refused and leaves nothing in the models folder.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelLibrary } from '../../services/models/ModelLibrary';
import { writeTinyLlamaGguf } from '../../testing/gguf/writeTinyLlamaGguf';
import type { TinyLlamaInfo } from '../../testing/gguf/writeTinyLlamaGguf';
import { registerModelUploadRoute } from './registerModelUploadRoute';

let dir: string;
let tiny: TinyLlamaInfo;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'codesage-upload-'));
  tiny = await writeTinyLlamaGguf(join(dir, 'src.gguf'), { seed: 4 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function setUp(name: string) {
  const library = new ModelLibrary({ folder: join(dir, name, 'models') });
  const app = Fastify();
  const tempFolder = join(dir, name, 'uploads');
  registerModelUploadRoute(app, { tempFolder, importFile: (path, fileName) => library.import(path, { fileName, move: true }) });
  await app.ready();
  return { app, library, tempFolder };
}

describe('POST /api/models/upload', () => {
  it('installs an uploaded GGUF under its name and leaves no temp file', async () => {
    const { app, library, tempFolder } = await setUp('ok');
    const response = await app.inject({
      method: 'POST',
      url: '/api/models/upload?name=My%20Upload.gguf',
      headers: { 'content-type': 'application/octet-stream' },
      payload: await readFile(tiny.path),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ok: true, value: { id: 'My Upload.gguf', problem: null, sizeBytes: tiny.sizeBytes } });
    expect((await readFile(join(library.folder, 'My Upload.gguf'))).equals(await readFile(tiny.path))).toBe(true);
    expect(await readdir(tempFolder)).toEqual([]);
  });

  it('refuses a file that is not a model and a name with folders, leaving the models folder empty', async () => {
    const { app, library, tempFolder } = await setUp('bad');
    const notModel = await app.inject({
      method: 'POST',
      url: '/api/models/upload?name=notes.gguf',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from('this is not a gguf file at all'),
    });
    expect(notModel.statusCode).toBe(422);
    expect(notModel.json()).toMatchObject({ ok: false, error: { name: 'InvalidModelImportError' } });
    const badName = await app.inject({
      method: 'POST',
      url: '/api/models/upload?name=..%2Fevil.gguf',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from('x'),
    });
    expect(badName.statusCode).toBe(400);
    expect(await readdir(library.folder).catch(() => [])).toEqual([]);
    expect(await readdir(tempFolder)).toEqual([]);
  });
});
