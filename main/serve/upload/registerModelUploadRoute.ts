// Serve mode's import of a model file dropped or picked in the browser, which has the bytes but no
// path: POST /api/models/upload?name=<file.gguf> with the raw file as the body, behind the same
// token and Origin gate as the rest of the API. The body streams to a temp file in the data
// folder (never into the models folder), then goes through the same validation as an import by
// path; a refused or broken upload leaves nothing behind. The Electron shell imports by path.
import { createWriteStream } from 'node:fs';
import { mkdir, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { InstalledModel } from '../../../common/llm/llmSchema';

export interface ModelUploadRouteOptions {
  /** Where uploads are written before they are checked (`<data>/downloads/uploads`). */
  readonly tempFolder: string;
  /** Validates and moves the file into the models folder (ModelLibrary.import with move). */
  readonly importFile: (path: string, fileName: string) => Promise<InstalledModel>;
}

const MAX_NAME = 200;

export function registerModelUploadRoute(app: FastifyInstance, options: ModelUploadRouteOptions): void {
  app.register((scope, _opts, done) => {
    // Keep the raw stream: a model is gigabytes, far past the JSON body limit.
    scope.addContentTypeParser('application/octet-stream', (_request, payload, next) => {
      next(null, payload);
    });
    scope.post<{ Querystring: { name?: string } }>('/api/models/upload', { bodyLimit: Number.MAX_SAFE_INTEGER }, async (request, reply) => {
      const name = (request.query.name ?? '').trim();
      if (
        name === '' ||
        name.length > MAX_NAME ||
        /[/\\]/.test(name) ||
        name.includes(String.fromCharCode(0)) ||
        name.startsWith('.') ||
        !name.toLowerCase().endsWith('.gguf')
      ) {
        return reply.code(400).send({
          ok: false,
          error: { name: 'InvalidModelImportError', message: 'Give the .gguf file name (without folders) as ?name=.' },
        });
      }
      const length = Number(request.headers['content-length']);
      await mkdir(options.tempFolder, { recursive: true });
      if (Number.isSafeInteger(length) && length > 0) {
        const stats = await statfs(options.tempFolder);
        if (stats.bavail * stats.bsize < length * 2) {
          return reply.code(507).send({
            ok: false,
            error: {
              name: 'InsufficientDiskSpaceError',
              message: `Not enough disk space to import ${name}: it needs about twice its size while it is copied. Free some space first.`,
            },
          });
        }
      }
      const temp = join(options.tempFolder, `${String(Date.now())}-${String(process.pid)}-${name}`);
      let answer: { status: number; body: unknown };
      try {
        await pipeline(request.body as Readable, createWriteStream(temp));
        answer = { status: 200, body: { ok: true, value: await options.importFile(temp, name) } };
      } catch (error) {
        const named = error instanceof Error ? error : new Error(String(error));
        answer = {
          status: named.name === 'InvalidModelImportError' ? 422 : 500,
          body: { ok: false, error: { name: named.name, message: named.message } },
        };
      }
      // Before answering, so nothing is left behind once the client has its answer.
      await rm(temp, { force: true });
      return reply.code(answer.status).send(answer.body);
    });
    done();
  });
}
