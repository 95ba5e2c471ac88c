// `npm run bench:intent`: what classifying one message costs on CPU with the bundled intent model.
// Four paths over the same texts (the validation split, cycled), interleaved in one run:
// (a) featurizeIntent alone, the baseline every classification pays; (b) onnxruntime's session.run
// on ready sparse features, the model alone; (c) IntentService.classify, one message end to end
// (preparation, featurization, sparse tensors, run, result); (d) IntentService.classifyBatch of 32,
// reported per message. Prints JSON with p50/p99 latencies in ms. The target is p99 < 1 ms for (c).
// Other load on the machine (see loadAverage) inflates p99 most: compare runs on an idle machine.
// BENCH_ITERATIONS overrides the number of timed messages per path (default 3000).
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseIntentJsonl } from '../common/intent/assembleIntentData';
import { featurizeIntent } from '../common/intent/featurizeIntent';
import { INTENT_INDICES_INPUT, INTENT_VALUES_INPUT, intentModelMetadataSchema } from '../common/intent/intentModelMetadata';
import { IntentService } from '../main/services/intent/IntentService';
import { resolveBundledIntentModelPath } from '../main/services/intent/resolveBundledIntentModelPath';
import { loadOnnxRuntime } from '../native/onnx/loadOnnxRuntime';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 3000);
const WARMUP = 300;
const BATCH = 32;
const TARGETS = { classifyP99MaxMs: 1 };

const round = (value: number, digits = 4): number => Math.round(value * 10 ** digits) / 10 ** digits;

function percentiles(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return { samples: sorted.length, p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), maxMs: round(at(1)) };
}

const modelPath = resolveBundledIntentModelPath();
const loadBefore = loadavg()[0] ?? 0;
const texts = parseIntentJsonl(
  await readFile(new URL('../models/intent/data/validation.jsonl', import.meta.url), 'utf8'),
  'validation.jsonl',
).map((example) => example.text);
const service = await IntentService.create({ modelPath });
if (service.state.problem !== null) throw new Error(service.state.problem);
const ort = await loadOnnxRuntime();
const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
try {
  // The featurizer the model was trained with, from the model's own metadata.
  const { featurizer } = intentModelMetadataSchema.parse(
    JSON.parse(await readFile(new URL('../models/intent/intent.meta.json', import.meta.url), 'utf8')),
  );
  const features = texts.map((text) => featurizeIntent(text, featurizer));

  const samples = { featurize: [] as number[], onnxRun: [] as number[], classify: [] as number[], batch32PerItem: [] as number[] };
  const paths: Record<keyof typeof samples, (i: number) => Promise<number>> = {
    featurize: (i) => {
      const start = performance.now();
      featurizeIntent(texts[i % texts.length] ?? '', featurizer);
      return Promise.resolve(performance.now() - start);
    },
    onnxRun: async (i) => {
      const f = features[i % features.length] ?? featurizeIntent('', featurizer);
      const width = Math.max(1, f.indices.length);
      const start = performance.now();
      await session.run({
        [INTENT_INDICES_INPUT]: new ort.Tensor('int32', f.indices.length === 0 ? new Int32Array(1) : f.indices, [1, width]),
        [INTENT_VALUES_INPUT]: new ort.Tensor('float32', f.values.length === 0 ? new Float32Array(1) : f.values, [1, width]),
      });
      return performance.now() - start;
    },
    classify: async (i) => {
      const start = performance.now();
      await service.classify(texts[i % texts.length] ?? '');
      return performance.now() - start;
    },
    batch32PerItem: async (i) => {
      const batch = Array.from({ length: BATCH }, (_, j) => texts[(i * BATCH + j) % texts.length] ?? '');
      const start = performance.now();
      await service.classifyBatch(batch);
      return (performance.now() - start) / BATCH;
    },
  };
  const names = Object.keys(paths) as (keyof typeof samples)[];
  for (const name of names) for (let i = 0; i < WARMUP; i++) await paths[name](i);
  // Interleaved, so drift and other load spread over every path alike; batches run 1/32 as often.
  for (let i = 0; i < ITERATIONS; i++) {
    for (const name of names) {
      if (name === 'batch32PerItem' && i % BATCH !== 0) continue;
      samples[name].push(await paths[name](name === 'batch32PerItem' ? i / BATCH : i));
    }
  }

  const results = {
    featurize: percentiles(samples.featurize),
    onnxRun: percentiles(samples.onnxRun),
    classify: percentiles(samples.classify),
    batch32PerItem: percentiles(samples.batch32PerItem),
  };
  console.log(
    JSON.stringify(
      {
        bench: 'intent',
        node: process.versions.node,
        provider: service.state.provider,
        model: { version: service.state.modelVersion, buckets: featurizer.buckets },
        texts: { count: texts.length, meanChars: round(texts.reduce((sum, t) => sum + t.length, 0) / texts.length, 1) },
        loadAverage: { before: round(loadBefore, 2), after: round(loadavg()[0] ?? 0, 2) },
        iterations: ITERATIONS,
        warmup: WARMUP,
        results,
        classifyOverFeaturizeP50Ms: round(results.classify.p50Ms - results.featurize.p50Ms),
        targets: TARGETS,
        targetsMet: { classifyP99: results.classify.p99Ms < TARGETS.classifyP99MaxMs },
      },
      null,
      2,
    ),
  );
} finally {
  await session.release();
  await service.dispose();
}
