// `codesage chat` end to end with the real engine on a generated GGUF: streaming text to stdout,
// metrics to stderr, --json, and clear errors for bad model files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNonGgufFile } from '../testing/gguf/writeNonGgufFile';
import { writeTinyLlamaGguf } from '../testing/gguf/writeTinyLlamaGguf';
import { writeTruncatedCopy } from '../testing/gguf/writeTruncatedCopy';
import type { ChatCliOptions } from './runChat';
import { runChat } from './runChat';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'codesage-cli-chat-'));
  await writeTinyLlamaGguf(join(dir, 'tiny.gguf'), { seed: 9, endOfTurnLogitBias: 7 });
  await writeTruncatedCopy(join(dir, 'tiny.gguf'), join(dir, 'truncated.gguf'), 400_000);
  await writeNonGgufFile(join(dir, 'notes.gguf'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const base: Omit<ChatCliOptions, 'model'> = {
  system: '',
  temperature: 0,
  topP: 1,
  maxTokens: 12,
  seed: 1,
  contextSize: 512,
  gpuLayers: 'auto',
  gpu: 'cpu',
  json: false,
};

async function chat(model: string, options: Partial<ChatCliOptions> = {}) {
  let out = '';
  let err = '';
  const io = { out: (t: string) => (out += t), err: (t: string) => (err += t) };
  const code = await runChat('hello there', { ...base, model: join(dir, model), ...options }, io, new AbortController().signal);
  return { code, out, err };
}

describe('codesage chat', () => {
  it('streams the answer to stdout and the metrics to stderr', async () => {
    const { code, out, err } = await chat('tiny.gguf');
    expect(code).toBe(0);
    expect(out.trim().length).toBeGreaterThan(0);
    expect(err).toMatch(/\d+ tokens · .*CPU/);
  });

  it('prints the final text and metrics as JSON with --json, matching the streamed text', async () => {
    const streamed = await chat('tiny.gguf');
    const { code, out } = await chat('tiny.gguf', { json: true });
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { text: string; metrics: { completionTokens: number; backend: string } };
    expect(parsed.text).toBe(streamed.out.replace(/\n$/, ''));
    expect(parsed.metrics.completionTokens).toBeGreaterThan(0);
    expect(parsed.metrics.backend).toBe('cpu');
  });

  it('names the cause and a next step for missing, truncated and non-GGUF files', async () => {
    expect((await chat('absent.gguf')).err).toMatch(/does not exist.*--model/);
    const truncated = await chat('truncated.gguf');
    expect(truncated.code).toBe(1);
    expect(truncated.err).toMatch(/truncated.*download it again/);
    expect((await chat('notes.gguf')).err).toMatch(/not a GGUF model file/);
  });
});
