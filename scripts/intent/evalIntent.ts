// `npm run eval:intent -- <file.jsonl> [--json] [--model <file.onnx>]`: measures an intent model
// (the bundled one by default) on a labelled JSONL file, one {"text", "label"} a line (other fields
// ignored), through the real ONNX model and IntentService, exactly as the app classifies. Prints
// accuracy, macro-F1, per-class precision/recall/F1, the confusion matrix and how often the model
// was uncertain, as a table or with --json as one JSON object. It never prints the texts, so an
// evaluation set can be measured without being read.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseIntentJsonl, IntentDataError } from '../../common/intent/assembleIntentData';
import { computeIntentMetrics, formatConfusionMatrix } from '../../common/intent/computeIntentMetrics';
import { INTENT_LABELS } from '../../common/intent/intentLabels';
import { IntentService } from '../../main/services/intent/IntentService';
import { MODEL_FILE } from './intentPaths';

interface EvalArgs {
  readonly file: string;
  readonly json: boolean;
  readonly model: string;
}

function parseArgs(args: readonly string[]): EvalArgs | string {
  let file: string | undefined;
  let json = false;
  let model = MODEL_FILE;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--json') json = true;
    else if (arg === '--model') {
      const value = args[++i];
      if (value === undefined) return '--model needs a path';
      model = resolve(value);
    } else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else if (file === undefined) file = resolve(arg);
    else return `only one file can be evaluated at a time (got ${file} and ${arg})`;
  }
  return file === undefined ? 'give the JSONL file to evaluate' : { file, json, model };
}

const fixed = (value: number): string => value.toFixed(4);

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`eval:intent: ${args}. Usage: npm run eval:intent -- <file.jsonl> [--json] [--model <file.onnx>]\n`);
    return 2;
  }
  if (!existsSync(args.file)) {
    process.stderr.write(`eval:intent: the file ${args.file} does not exist.\n`);
    return 1;
  }
  let examples;
  try {
    examples = parseIntentJsonl(await readFile(args.file, 'utf8'), args.file);
  } catch (error) {
    if (!(error instanceof IntentDataError)) throw error;
    process.stderr.write(`eval:intent: ${error.message}\n`);
    return 1;
  }
  await using service = await IntentService.create({ modelPath: args.model });
  if (service.state.problem !== null) {
    process.stderr.write(`eval:intent: ${service.state.problem}\n`);
    return 1;
  }
  const results = await service.classifyBatch(examples.map((example) => example.text));
  const metrics = computeIntentMetrics(
    examples.map((example) => example.label),
    results.map((result) => result.label),
  );
  const certain = results.flatMap((result, i) => (result.uncertain ? [] : [result.label === examples[i]?.label]));
  const report = {
    file: args.file,
    model: { path: args.model, version: service.state.modelVersion, uncertaintyThreshold: service.state.uncertaintyThreshold },
    examples: metrics.examples,
    accuracy: metrics.accuracy,
    macroF1: metrics.macroF1,
    perClass: metrics.perClass,
    confusion: { labels: INTENT_LABELS, rowsExpectedColumnsPredicted: metrics.confusion },
    uncertainRate: 1 - certain.length / Math.max(1, results.length),
    accuracyWhenCertain: certain.length === 0 ? null : certain.filter(Boolean).length / certain.length,
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const rows = INTENT_LABELS.map((label) => {
    const c = metrics.perClass[label];
    return `${label.padEnd(10)}${fixed(c.precision).padStart(11)}${fixed(c.recall).padStart(9)}${fixed(c.f1).padStart(9)}${String(c.support).padStart(9)}`;
  });
  process.stdout.write(
    [
      `Intent eval of ${args.file}`,
      `model ${String(report.model.version)} (uncertainty threshold ${String(report.model.uncertaintyThreshold)}), ${String(metrics.examples)} examples`,
      '',
      `accuracy ${fixed(metrics.accuracy)}   macro-F1 ${fixed(metrics.macroF1)}`,
      `uncertain ${(report.uncertainRate * 100).toFixed(1)}% of examples; accuracy when certain ${report.accuracyWhenCertain === null ? 'n/a' : fixed(report.accuracyWhenCertain)}`,
      '',
      `${'label'.padEnd(10)}${'precision'.padStart(11)}${'recall'.padStart(9)}${'F1'.padStart(9)}${'support'.padStart(9)}`,
      ...rows,
      '',
      formatConfusionMatrix(metrics.confusion),
      '',
    ].join('\n'),
  );
  return 0;
}

process.exitCode = await main();
