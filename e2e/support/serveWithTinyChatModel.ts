// Real serve mode over a fresh data folder holding one tiny generated chat model (tiny-chat.gguf),
// for journeys that chat with the real node-llama-cpp.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyLlamaGguf } from '../../main/testing/gguf/writeTinyLlamaGguf';
import type { TinyLlamaOptions } from '../../main/testing/gguf/writeTinyLlamaGguf';
import { startServeMode } from '../../main/testing/startServeMode';
import type { ServeModeProcess } from '../../main/testing/startServeMode';

export const TINY_CHAT_MODEL = 'tiny-chat.gguf';

export interface ServeWithTinyChatModel {
  readonly serve: ServeModeProcess;
  readonly dataDir: string;
  /** Stops serve mode and removes the data folder. */
  stop(): Promise<void>;
}

export async function serveWithTinyChatModel(name: string, model: TinyLlamaOptions = {}): Promise<ServeWithTinyChatModel> {
  const dataDir = mkdtempSync(join(tmpdir(), `codesage-e2e-${name}-`));
  mkdirSync(join(dataDir, 'models'));
  await writeTinyLlamaGguf(join(dataDir, 'models', TINY_CHAT_MODEL), { seed: 11, ...model });
  const serve = await startServeMode({ dataDir });
  return {
    serve,
    dataDir,
    async stop() {
      await serve.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
