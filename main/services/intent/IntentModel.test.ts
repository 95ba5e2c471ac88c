import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportIntentOnnx } from '../../../common/intent/exportIntentOnnx';
import { featurizeIntent } from '../../../common/intent/featurizeIntent';
import { fitTemperature } from '../../../common/intent/fitTemperature';
import { DEFAULT_INTENT_FEATURIZER_PARAMS } from '../../../common/intent/intentFeaturizerParams';
import type { IntentFeaturizerParams } from '../../../common/intent/intentFeaturizerParams';
import { INTENT_LABELS } from '../../../common/intent/intentLabels';
import type { IntentLabel } from '../../../common/intent/intentLabels';
import { computeLogits, predictProba } from '../../../common/intent/predictProba';
import type { SoftmaxRegressionModel } from '../../../common/intent/SoftmaxRegressionModel';
import { syntheticIntentSentences } from '../../../common/intent/testing/syntheticIntentSentences';
import { trainSoftmaxRegression } from '../../../common/intent/trainSoftmaxRegression';
import { encodeOnnxModel } from '../../../common/onnx/encodeOnnxModel';
import { AbortError } from '../../../native/errors/AbortError';
import { OnnxModelLoadError } from '../../../native/errors/OnnxModelLoadError';
import { loadOnnxRuntime } from '../../../native/onnx/loadOnnxRuntime';
import { IntentModel } from './IntentModel';

const featurizer: IntentFeaturizerParams = { ...DEFAULT_INTENT_FEATURIZER_PARAMS, buckets: 2 ** 12 };
// A label order other than INTENT_LABELS', to prove the model's own order is honoured.
const labels: readonly IntentLabel[] = ['unsafe', 'general', 'review', 'repo', 'code'];
const index = (label: IntentLabel): number => labels.indexOf(label);

let dir: string;
let model: SoftmaxRegressionModel;
let modelPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'codesage-intent-'));
  const featurize = (count: number, seed: number) =>
    syntheticIntentSentences(count, seed).map(({ text, label }) => ({ features: featurizeIntent(text, featurizer), label: index(label) }));
  const trained = trainSoftmaxRegression(featurize(20, 1), { classCount: labels.length, epochs: 6, batchSize: 16, seed: 3 });
  const validation = featurize(10, 5);
  const temperature = fitTemperature(
    validation.map((example) => computeLogits(trained.model, example.features)),
    validation.map((example) => example.label),
  );
  model = { ...trained.model, temperature };
  modelPath = join(dir, 'intent.onnx');
  await writeFile(modelPath, exportIntentOnnx({ model, labels, featurizer, modelVersion: 'test-1' }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const texts = [
  'please implement a python function to sort this array',
  'where is the config module defined in the repository',
  'can you review my pull request diff',
  'write me a poem about the weather',
  'help me write ransomware to steal passwords',
  '',
  'fn main() { println!("{}", x); }',
  'x'.repeat(100_000),
];

describe('the exported intent graph', () => {
  it('computes what predictProba computes, to float32 precision', async () => {
    const ort = await loadOnnxRuntime();
    const session = await ort.InferenceSession.create(exportIntentOnnx({ model, labels, featurizer, modelVersion: 'test-1' }));
    try {
      const features = texts.map((text) => featurizeIntent(text, featurizer));
      const width = Math.max(...features.map((f) => f.indices.length));
      const indices = new Int32Array(texts.length * width);
      const values = new Float32Array(texts.length * width);
      features.forEach((f, row) => {
        indices.set(f.indices, row * width);
        values.set(f.values, row * width);
      });
      const output = (
        await session.run({
          indices: new ort.Tensor('int32', indices, [texts.length, width]),
          values: new ort.Tensor('float32', values, [texts.length, width]),
        })
      ).probabilities;
      expect(output?.dims).toEqual([texts.length, labels.length]);
      const data = output?.data as Float32Array;
      let maxDiff = 0;
      features.forEach((f, row) => {
        predictProba(model, f).forEach((p, k) => (maxDiff = Math.max(maxDiff, Math.abs(p - (data[row * labels.length + k] ?? NaN)))));
      });
      expect(maxDiff).toBeLessThan(1e-5);
      // The temperature is in the graph: the same weights at T = 1 give different numbers.
      expect(model.temperature).not.toBeCloseTo(1, 2);
    } finally {
      await session.release();
    }
  });
});

describe('IntentModel', () => {
  it('loads a model and classifies a batch with calibrated scores for every intent', async () => {
    await using intent = await IntentModel.load(modelPath);
    expect(intent.metadata.labels).toEqual(labels);
    expect(intent.metadata.featurizer).toEqual(featurizer);
    expect(intent.provider).toBe('cpu');
    const predictions = await intent.classify(texts);
    expect(predictions.map((p) => p.label).slice(0, 5)).toEqual(['code', 'repo', 'review', 'general', 'unsafe']);
    predictions.forEach((prediction, row) => {
      expect(Object.keys(prediction.scores).sort()).toEqual([...INTENT_LABELS].sort());
      expect(Object.values(prediction.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(prediction.confidence).toBe(Math.max(...Object.values(prediction.scores)));
      const expected = predictProba(model, featurizeIntent(texts[row] ?? '', featurizer));
      labels.forEach((label, k) => {
        expect(prediction.scores[label]).toBeCloseTo(expected[k] ?? NaN, 5);
      });
    });
  });

  it('splits big batches into runs and keeps their order', async () => {
    await using intent = await IntentModel.load(modelPath);
    const many = Array.from({ length: 150 }, (_, i) => texts[i % 5] ?? '');
    const predictions = await intent.classify(many);
    expect(predictions.map((p) => p.label)).toEqual(many.map((_, i) => INTENT_LABELS[i % 5]));
    expect(await intent.classify([])).toEqual([]);
  });

  it('gives 0 to intents a model does not know', async () => {
    const two: SoftmaxRegressionModel = {
      ...model,
      classCount: 2,
      weights: model.weights.slice(0, 2 * featurizer.buckets),
      bias: model.bias.slice(0, 2),
    };
    const path = join(dir, 'two.onnx');
    await writeFile(path, exportIntentOnnx({ model: two, labels: ['unsafe', 'general'], featurizer, modelVersion: 'two' }));
    await using intent = await IntentModel.load(path);
    const [prediction] = await intent.classify(['write me a poem']);
    expect(prediction?.scores.code).toBe(0);
    expect((prediction?.scores.unsafe ?? 0) + (prediction?.scores.general ?? 0)).toBeCloseTo(1, 5);
  });

  it('refuses to classify once disposed, and honours an aborted signal', async () => {
    const intent = await IntentModel.load(modelPath);
    await expect(intent.classify(['x'], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    await intent.dispose();
    await intent.dispose();
    await expect(intent.classify(['x'])).rejects.toThrow(/disposed/);
  });

  it('throws OnnxModelLoadError naming the file when it is missing, corrupt or not an intent model', async () => {
    const missing = join(dir, 'missing.onnx');
    await expect(IntentModel.load(missing)).rejects.toThrow(OnnxModelLoadError);
    await expect(IntentModel.load(missing)).rejects.toThrow(/does not exist/);

    const garbage = join(dir, 'garbage.onnx');
    await writeFile(garbage, 'this is not a model');
    await expect(IntentModel.load(garbage)).rejects.toThrow(OnnxModelLoadError);

    const truncated = join(dir, 'truncated.onnx');
    const bytes = exportIntentOnnx({ model, labels, featurizer, modelVersion: 'test-1' });
    await writeFile(truncated, bytes.subarray(0, bytes.length - 10));
    await expect(IntentModel.load(truncated)).rejects.toThrow(OnnxModelLoadError);

    const plain = join(dir, 'plain.onnx');
    const identity = {
      name: 'identity',
      inputs: [{ name: 'x', elementType: 'float' as const, shape: [1] }],
      outputs: [{ name: 'y', elementType: 'float' as const, shape: [1] }],
      nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
    };
    await writeFile(plain, encodeOnnxModel({ graph: identity }));
    await expect(IntentModel.load(plain)).rejects.toThrow(/not a CodeSage intent model/);

    const wrongVersion = join(dir, 'future.onnx');
    const metadata = { formatVersion: 3, labels, featurizer, temperature: 1, modelVersion: 'x' };
    await writeFile(wrongVersion, encodeOnnxModel({ graph: identity, metadata: { 'codesage.intent': JSON.stringify(metadata) } }));
    await expect(IntentModel.load(wrongVersion)).rejects.toThrow(/not one this version of CodeSage reads/);

    const wrongGraph = join(dir, 'wrong-graph.onnx');
    await writeFile(
      wrongGraph,
      encodeOnnxModel({ graph: identity, metadata: { 'codesage.intent': JSON.stringify({ ...metadata, formatVersion: 2 }) } }),
    );
    await expect(IntentModel.load(wrongGraph)).rejects.toThrow(/not "indices", "values" → "probabilities"/);
  });
});
