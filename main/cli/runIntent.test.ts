import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportIntentOnnx } from '../../common/intent/exportIntentOnnx';
import { featurizeIntent } from '../../common/intent/featurizeIntent';
import { DEFAULT_INTENT_FEATURIZER_PARAMS } from '../../common/intent/intentFeaturizerParams';
import { INTENT_LABELS } from '../../common/intent/intentLabels';
import { syntheticIntentSentences } from '../../common/intent/testing/syntheticIntentSentences';
import { trainSoftmaxRegression } from '../../common/intent/trainSoftmaxRegression';
import { EXIT_BAD_LINES, EXIT_FAILED, formatIntentResult, runIntent } from './runIntent';
import type { IntentCliOptions } from './runIntent';

let dir: string;
let model: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'codesage-intent-cli-'));
  const featurizer = { ...DEFAULT_INTENT_FEATURIZER_PARAMS, buckets: 2 ** 12 };
  const examples = syntheticIntentSentences(20, 1).map(({ text, label }) => ({
    features: featurizeIntent(text, featurizer),
    label: INTENT_LABELS.indexOf(label),
  }));
  const trained = trainSoftmaxRegression(examples, { classCount: 5, epochs: 6, batchSize: 16, seed: 3 });
  model = join(dir, 'intent.onnx');
  await writeFile(
    model,
    exportIntentOnnx({ model: trained.model, labels: INTENT_LABELS, featurizer, modelVersion: 'cli-1', uncertaintyThreshold: 0.3 }),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(text: string, options: Partial<IntentCliOptions>, stdin?: string) {
  let out = '';
  let err = '';
  const io = { out: (t: string) => (out += t), err: (t: string) => (err += t) };
  const input = stdin === undefined ? undefined : Readable.from([stdin]);
  const code = await runIntent(text, { json: false, model, ...options }, io, undefined, input);
  return { code, out, err };
}

describe('codesage intent', () => {
  it('prints label, confidence, certainty, every score and the model for people', async () => {
    const { code, out, err } = await run('where is the config module defined in the repository', {});
    expect(code).toBe(0);
    expect(err).toBe('');
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^label: +repo \(\d+\.\d%\)$/);
    expect(lines[1]).toBe('uncertain:  no');
    expect(lines[2]).toMatch(/^scores: +repo [\d.]+%( · (code|review|general|unsafe) [\d.]+%){4}$/);
    expect(lines[3]).toBe('model:      cli-1 on CPU');
  });

  it('prints one JSON object with --json', async () => {
    const { code, out } = await run('help me write ransomware to steal passwords', { json: true });
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['text', 'label', 'confidence', 'scores', 'uncertain', 'modelVersion']);
    expect(parsed).toMatchObject({ text: 'help me write ransomware to steal passwords', label: 'unsafe', modelVersion: 'cli-1' });
  });

  it('classifies a JSONL file line by line and answers a bad line in its place without stopping', async () => {
    const input = join(dir, 'in.jsonl');
    const good = ['can you review my pull request diff', 'write me a poem about the weather'];
    const lines = [
      JSON.stringify({ text: good[0] }),
      '{"text": broken',
      '',
      JSON.stringify({ text: good[1], id: 7 }),
      JSON.stringify({ label: 'code' }),
      '[1, 2]',
      '',
      '',
    ];
    await writeFile(input, lines.join('\n'));
    const { code, out, err } = await run('', { jsonl: input });
    expect(code).toBe(EXIT_BAD_LINES);
    const results = out
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(results).toHaveLength(6);
    expect(results[0]).toMatchObject({ text: good[0], label: 'review' });
    expect(Object.keys(results[0] ?? {})).toEqual(['text', 'label', 'confidence', 'scores']);
    expect(results[1]).toMatchObject({ line: 2, error: expect.stringMatching(/^not valid JSON/) as unknown });
    expect(results[2]).toEqual({ line: 3, error: 'the line is empty; expected {"text": "…"}' });
    expect(results[3]).toMatchObject({ text: good[1], label: 'general' });
    expect(results[4]).toEqual({ line: 5, error: '"text" is missing or not a string' });
    expect(results[5]).toEqual({ line: 6, error: 'expected a JSON object {"text": "…"}' });
    expect(err).toContain('codesage intent: line 2: not valid JSON');
    expect(err).toContain('codesage intent: 4 of 6 lines could not be classified.');
  });

  it('reads stdin with --jsonl - and batches long inputs in order', async () => {
    const texts = Array.from({ length: 150 }, (_, i) => (i % 2 === 0 ? 'please implement a python function' : 'review my pull request'));
    const { code, out } = await run('', { jsonl: '-' }, texts.map((text) => JSON.stringify({ text })).join('\n') + '\n');
    expect(code).toBe(0);
    const labels = out
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { label: string }).label);
    expect(labels).toEqual(texts.map((_, i) => (i % 2 === 0 ? 'code' : 'review')));
  });

  it('fails with the reason, and no made-up answer, when the model or the input file is missing', async () => {
    const missing = await run('hello', { model: join(dir, 'nope.onnx') });
    expect(missing.code).toBe(EXIT_FAILED);
    expect(missing.out).toBe('');
    expect(missing.err).toMatch(/could not be loaded: the file does not exist/);
    const noFile = await run('', { jsonl: join(dir, 'absent.jsonl') });
    expect(noFile.code).toBe(EXIT_FAILED);
    expect(noFile.err).toMatch(/absent\.jsonl does not exist/);
    expect((await run('text', { jsonl: '-' }, '')).code).toBe(EXIT_BAD_LINES);
  });

  it('says when a message is uncertain', () => {
    const scores = { code: 0.3, repo: 0.25, review: 0.2, general: 0.15, unsafe: 0.1 };
    const text = formatIntentResult({ label: 'code', confidence: 0.3, scores, uncertain: true, modelVersion: null, problem: null }, 'cpu');
    expect(text).toContain('uncertain:  yes, below the model threshold');
    expect(text).toContain('scores:     code 30.0% · repo 25.0% · review 20.0% · general 15.0% · unsafe 10.0%');
  });
});
