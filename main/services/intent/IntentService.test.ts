import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportIntentOnnx } from '../../../common/intent/exportIntentOnnx';
import type { ExportIntentOnnxOptions } from '../../../common/intent/exportIntentOnnx';
import { featurizeIntent } from '../../../common/intent/featurizeIntent';
import { DEFAULT_INTENT_FEATURIZER_PARAMS } from '../../../common/intent/intentFeaturizerParams';
import { INTENT_LABELS } from '../../../common/intent/intentLabels';
import { DEFAULT_INTENT_UNCERTAINTY_THRESHOLD } from '../../../common/intent/intentModelMetadata';
import { predictProba } from '../../../common/intent/predictProba';
import { syntheticIntentSentences } from '../../../common/intent/testing/syntheticIntentSentences';
import { trainSoftmaxRegression } from '../../../common/intent/trainSoftmaxRegression';
import { intentResultSchema } from '../../../common/router/routeSchema';
import { AbortError } from '../../../native/errors/AbortError';
import { loadOnnxRuntime } from '../../../native/onnx/loadOnnxRuntime';
import type { OnnxRuntime } from '../../../native/onnx/loadOnnxRuntime';
import { IntentService, LONG_INPUT_HEAD_CHARS, MAX_INTENT_INPUT_CHARS, prepareIntentText } from './IntentService';

const featurizer = { ...DEFAULT_INTENT_FEATURIZER_PARAMS, buckets: 2 ** 12 };
let dir: string;
let exportOptions: ExportIntentOnnxOptions;
let modelPath: string;
let ort: OnnxRuntime;

async function writeModel(name: string, extra: Partial<ExportIntentOnnxOptions> = {}): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, exportIntentOnnx({ ...exportOptions, ...extra }));
  return path;
}

beforeAll(async () => {
  ort = await loadOnnxRuntime();
  dir = await mkdtemp(join(tmpdir(), 'codesage-intent-service-'));
  const examples = syntheticIntentSentences(20, 1).map(({ text, label }) => ({
    features: featurizeIntent(text, featurizer),
    label: INTENT_LABELS.indexOf(label),
  }));
  const { model } = trainSoftmaxRegression(examples, { classCount: INTENT_LABELS.length, epochs: 6, batchSize: 16, seed: 3 });
  exportOptions = { model, labels: INTENT_LABELS, featurizer, modelVersion: 'svc-1', uncertaintyThreshold: 0.3 };
  modelPath = await writeModel('intent.onnx');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const clear = {
  code: 'please implement a python function to sort this array',
  repo: 'where is the config module defined in the repository',
  review: 'can you review my pull request diff',
  general: 'write me a poem about the weather',
  unsafe: 'help me write ransomware to steal passwords',
};

/** A runtime whose sessions claim to run on `provider` and whose run() fails the first `failures` times. */
function flakyRuntime(provider: 'cuda' | 'cpu', failures: { count: number }): OnnxRuntime {
  const create = async (path: string) => {
    const session = await ort.InferenceSession.create(path, { executionProviders: ['cpu'] });
    const run = session.run.bind(session);
    return Object.assign(session, {
      run: (...args: Parameters<typeof run>) => {
        if (failures.count > 0) {
          failures.count--;
          return Promise.reject(new Error(`${provider} kernel failed`));
        }
        return run(...args);
      },
    });
  };
  return {
    ...ort,
    listSupportedBackends: () => [
      { name: 'cpu', bundled: true },
      { name: 'cuda', bundled: true },
    ],
    InferenceSession: { create } as unknown as OnnxRuntime['InferenceSession'],
  };
}

describe('IntentService', () => {
  it('classifies with calibrated scores, the model version and the threshold from the model', async () => {
    await using service = await IntentService.create({ modelPath });
    expect(service.state).toMatchObject({ modelPath, modelVersion: 'svc-1', provider: 'cpu', problem: null, uncertaintyThreshold: 0.3 });
    for (const [label, text] of Object.entries(clear)) {
      const result = await service.classify(text);
      expect(intentResultSchema.parse(result)).toEqual(result);
      expect(result).toMatchObject({ label, uncertain: false, modelVersion: 'svc-1', problem: null });
      const expected = predictProba(exportOptions.model, featurizeIntent(text, featurizer));
      INTENT_LABELS.forEach((l, k) => {
        expect(result.scores[l]).toBeCloseTo(expected[k] ?? NaN, 5);
      });
      expect(result.confidence).toBe(result.scores[result.label]);
    }
  });

  it('marks predictions below the threshold uncertain, with the default for models without one', async () => {
    await using strict = await IntentService.create({ modelPath: await writeModel('strict.onnx', { uncertaintyThreshold: 0.999 }) });
    expect((await strict.classify(clear.code)).uncertain).toBe(true);
    const { uncertaintyThreshold: _omit, ...withoutThreshold } = exportOptions;
    const plainPath = join(dir, 'plain.onnx');
    await writeFile(plainPath, exportIntentOnnx(withoutThreshold));
    await using plain = await IntentService.create({ modelPath: plainPath });
    expect(plain.state.uncertaintyThreshold).toBe(DEFAULT_INTENT_UNCERTAINTY_THRESHOLD);
  });

  it('classifies a batch like single messages, in order, across several runs', async () => {
    await using service = await IntentService.create({ modelPath });
    const texts = Array.from({ length: 150 }, (_, i) => Object.values(clear)[i % 5] ?? '');
    const batch = await service.classifyBatch(texts);
    expect(batch.map((r) => r.label)).toEqual(texts.map((_, i) => Object.keys(clear)[i % 5]));
    expect(await service.classifyBatch([])).toEqual([]);
    // Rows are padded to the batch's longest message, which changes float32 rounding only.
    const singles = await Promise.all(texts.slice(0, 10).map((text) => service.classify(text)));
    singles.forEach((single, i) => {
      const inBatch = batch[i];
      expect(single.label).toBe(inBatch?.label);
      for (const label of INTENT_LABELS) expect(single.scores[label]).toBeCloseTo(inBatch?.scores[label] ?? NaN, 6);
    });
  });

  it('calls empty, blank and invisible-only text general and uncertain, with the scores of empty features', async () => {
    await using service = await IntentService.create({ modelPath });
    const emptyScores = predictProba(exportOptions.model, featurizeIntent('', featurizer));
    for (const text of ['', '   \n\t', '\u200b\u200b', '\u0000\u0000']) {
      const result = await service.classify(text);
      expect(result).toMatchObject({ label: 'general', uncertain: true, problem: null });
      expect(result.confidence).toBe(result.scores.general);
      expect(result.scores.general).toBeCloseTo(emptyScores[INTENT_LABELS.indexOf('general')] ?? NaN, 5);
    }
  });

  it('looks only at the first 64 KiB of a text over 1 MiB', async () => {
    const huge = `${clear.repo} ${'x'.repeat(MAX_INTENT_INPUT_CHARS)}`;
    expect(prepareIntentText(huge)).toHaveLength(LONG_INPUT_HEAD_CHARS);
    expect(prepareIntentText(huge)).toBe(huge.slice(0, LONG_INPUT_HEAD_CHARS));
    const exactly = 'y'.repeat(MAX_INTENT_INPUT_CHARS);
    expect(prepareIntentText(exactly)).toBe(exactly);
    // A surrogate pair across the cut is dropped whole rather than split.
    const pair = `${'a'.repeat(LONG_INPUT_HEAD_CHARS - 1)}😀${'b'.repeat(MAX_INTENT_INPUT_CHARS)}`;
    expect(prepareIntentText(pair)).toBe('a'.repeat(LONG_INPUT_HEAD_CHARS - 1));
    await using service = await IntentService.create({ modelPath });
    const result = await service.classify(huge);
    expect(result).toEqual(await service.classify(huge.slice(0, LONG_INPUT_HEAD_CHARS)));
    expect(result.label).toBe('repo');
  });

  it('classifies binary input on its printable content', async () => {
    expect(prepareIntentText('a\u0000b\u0007c\td\ne\uD800f\uDC00g😀')).toBe('a b c\td\ne f g😀');
    await using service = await IntentService.create({ modelPath });
    const noisy = `\u0000\u0001${clear.review.replaceAll(' ', '\u0000')}\uD83D\u0000`;
    expect(await service.classify(noisy)).toEqual(await service.classify(clear.review));
    let state = 7;
    const bytes = Uint8Array.from({ length: 300_000 }, () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24);
    for (const text of [new TextDecoder().decode(bytes), String.fromCharCode(...bytes.subarray(0, 60_000))]) {
      expect(intentResultSchema.safeParse(await service.classify(text)).success).toBe(true);
    }
  });

  describe('when no model can run', () => {
    it('answers the safe default and names a missing file in `problem`', async () => {
      const missing = join(dir, 'missing.onnx');
      await using service = await IntentService.create({ modelPath: missing });
      expect(service.state).toMatchObject({ modelPath: missing, modelVersion: null, provider: null });
      expect(service.state.problem).toContain(`The intent model ${missing} could not be loaded: the file does not exist.`);
      expect(service.state.problem).toMatch(/routed as general chat; reinstall CodeSage/);
      const result = await service.classify(clear.unsafe);
      expect(result).toEqual({
        label: 'general',
        confidence: 0,
        scores: { code: 0, repo: 0, review: 0, general: 0, unsafe: 0 },
        uncertain: true,
        modelVersion: null,
        problem: service.state.problem,
      });
      expect(await service.classifyBatch(['a', 'b', ''])).toEqual([result, result, result]);
    });

    it('says when the file is corrupt, truncated or not an intent model', async () => {
      const garbage = join(dir, 'garbage.onnx');
      await writeFile(garbage, 'not a model at all');
      const truncated = join(dir, 'truncated.onnx');
      const bytes = exportIntentOnnx(exportOptions);
      await writeFile(truncated, bytes.subarray(0, bytes.length - 100));
      for (const path of [garbage, truncated]) {
        await using service = await IntentService.create({ modelPath: path });
        expect(service.state.problem).toContain(`The intent model ${path} could not be loaded`);
        expect((await service.classify(clear.code)).problem).toBe(service.state.problem);
      }
    });

    it('says when onnxruntime itself cannot be loaded', async () => {
      await using service = await IntentService.create({
        modelPath,
        loadRuntime: () => Promise.reject(new Error('libonnxruntime.so.1: cannot open shared object file')),
      });
      expect(service.state.problem).toContain('libonnxruntime.so.1');
      expect((await service.classify(clear.code)).label).toBe('general');
    });
  });

  describe('execution providers', () => {
    it('uses CPU by default and falls back to CPU when a GPU provider cannot start', async () => {
      await using auto = await IntentService.create({ modelPath, preferredProviders: 'auto' });
      // This Linux onnxruntime-node build lists CUDA but does not ship it, and has no DirectML/CoreML.
      expect(auto.state.provider).toBe('cpu');
      expect(auto.state.providerFallback).toMatch(/CUDA/);
      expect(auto.state.problem).toBeNull();
      expect((await auto.classify(clear.repo)).label).toBe('repo');
    });

    it('retries on CPU when a GPU provider fails while classifying', async () => {
      const failures = { count: 1 };
      await using service = await IntentService.create({
        modelPath,
        preferredProviders: ['cuda'],
        loadRuntime: () => Promise.resolve(flakyRuntime('cuda', failures)),
      });
      expect(service.state.provider).toBe('cuda');
      const result = await service.classify(clear.review);
      expect(result).toMatchObject({ label: 'review', problem: null });
      expect(service.state.provider).toBe('cpu');
      expect(service.state.providerFallback).toMatch(/^CUDA failed while classifying \(cuda kernel failed\); using CPU\.$/);
    });

    it('turns a failure on CPU into the safe default with a problem, and keeps answering', async () => {
      const failures = { count: 1 };
      await using service = await IntentService.create({ modelPath, loadRuntime: () => Promise.resolve(flakyRuntime('cpu', failures)) });
      const [first, second] = await service.classifyBatch([clear.code, clear.repo]);
      expect(first).toMatchObject({ label: 'general', uncertain: true, confidence: 0 });
      expect(first?.problem).toMatch(
        /^The intent model failed while classifying \(cpu kernel failed\)\. Messages are routed as general chat/,
      );
      expect(second).toEqual(first);
      expect(service.state).toMatchObject({ provider: null, problem: first?.problem });
      expect(await service.classify(clear.code)).toEqual(first);
    });
  });

  it('stops on an aborted signal and refuses to classify once disposed', async () => {
    await expect(IntentService.create({ modelPath, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    const service = await IntentService.create({ modelPath });
    await expect(service.classify(clear.code, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    await service.dispose();
    await service.dispose();
    await expect(service.classify(clear.code)).rejects.toThrow(/disposed/);
  });
});
