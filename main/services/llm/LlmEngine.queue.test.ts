// Stop must work for an answer still waiting behind another one (a second chat, or an editor
// calling the local API), not only once its turn has come.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadLlama } from '../../../native/llama/loadLlama';
import type { LoadedLlama } from '../../../native/llama/loadLlama';
import { writeTinyLlamaGguf } from '../../testing/gguf/writeTinyLlamaGguf';
import { ModelLibrary } from '../models/ModelLibrary';
import { LlmEngine } from './LlmEngine';
import type { GenerateRequest } from './LlmEngine';

let dir: string;
let llama: LoadedLlama;
let engine: LlmEngine;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'codesage-queue-'));
  const library = new ModelLibrary({ folder: dir });
  await writeTinyLlamaGguf(join(dir, 'tiny.gguf'), { seed: 4 });
  llama = await loadLlama({ preference: 'cpu' });
  engine = new LlmEngine({ getLlama: () => Promise.resolve(llama) });
  await engine.loadModel(await library.resolve('tiny.gguf'), { contextSize: 1024 });
});

afterAll(async () => {
  await engine.dispose();
  await llama.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const request = (maxTokens: number): GenerateRequest => ({
  systemPrompt: '',
  messages: [{ role: 'user', content: 'Tell me everything' }],
  temperature: 0.8,
  topP: 0.95,
  maxTokens,
  seed: 2,
});

it('a queued answer stops at once when its signal fires, without waiting for the one ahead', async () => {
  const first = new AbortController();
  let firstChunks = 0;
  const ahead = engine.generate(request(4000), { signal: first.signal, onTextChunk: () => (firstChunks += 1) });
  let aheadSettled = false;
  void ahead.finally(() => {
    aheadSettled = true;
  });
  const queued = new AbortController();
  let queuedChunks = 0;
  const waiting = engine.generate(request(64), { signal: queued.signal, onTextChunk: () => (queuedChunks += 1) });
  // Generous: on a loaded 2-core machine the first tokens can take seconds (vitest polls for 1 s by default).
  await expect.poll(() => firstChunks, { timeout: 30_000 }).toBeGreaterThan(5);
  queued.abort();
  const stopped = await waiting;
  expect(stopped.stopReason).toBe('stopped');
  expect(stopped.text).toBe('');
  // The answer ahead (up to 4,000 tokens) is still being written: the queued stop did not wait for it.
  expect(aheadSettled).toBe(false);
  first.abort();
  await ahead;
  // The stopped request never generated anything when its turn came.
  expect(queuedChunks).toBe(0);
});
