// `npm run train:intent [-- --check]`: trains the bundled intent model from the fixed split
// (models/intent/data/{train,validation}.jsonl) with INTENT_TRAINING_CONFIG and writes
// models/intent/intent.onnx and models/intent/intent.meta.json (the model's metadata plus the
// sha256 of the .onnx file). Training is deterministic, so the same split and config rebuild the
// same bytes on any machine; --check rebuilds in memory and exits 1 if the committed files differ.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parseIntentJsonl } from '../../common/intent/assembleIntentData';
import { INTENT_MODEL_FORMAT_VERSION } from '../../common/intent/intentModelMetadata';
import { trainIntentClassifier } from '../../common/intent/trainIntentClassifier';
import { formatLikePrettier } from './formatLikePrettier';
import { INTENT_TRAINING_CONFIG } from './intentTrainingConfig';
import { METADATA_FILE, MODEL_FILE, TRAIN_FILE, VALIDATION_FILE } from './intentPaths';

const sha256 = (...parts: (string | Uint8Array)[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  if (args.some((arg) => arg !== '--check')) {
    process.stderr.write(`train:intent: unknown argument(s) ${args.join(' ')}; the only option is --check.\n`);
    return 2;
  }
  const started = performance.now();
  const [trainText, validationText] = await Promise.all([readFile(TRAIN_FILE, 'utf8'), readFile(VALIDATION_FILE, 'utf8')]);
  const dataSha256 = sha256(trainText, validationText);
  // The version names the data, the recipe and the file format, so two different models never share one.
  const recipe = JSON.stringify({ formatVersion: INTENT_MODEL_FORMAT_VERSION, config: INTENT_TRAINING_CONFIG });
  const modelVersion = `intent-${sha256(dataSha256, recipe).slice(0, 12)}`;
  const result = trainIntentClassifier({
    train: parseIntentJsonl(trainText, 'train.jsonl'),
    validation: parseIntentJsonl(validationText, 'validation.jsonl'),
    config: INTENT_TRAINING_CONFIG,
    dataSha256,
    modelVersion,
    onProgress: (message) => process.stderr.write(`  ${message}\n`),
  });
  const metaJson = await formatLikePrettier(METADATA_FILE, JSON.stringify({ ...result.metadata, onnxSha256: sha256(result.bytes) }));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const { hyperparameters } = result.metadata.training ?? { hyperparameters: {} };
  const summary =
    `${modelVersion}: ${JSON.stringify(hyperparameters)}, temperature ${result.metadata.temperature.toFixed(4)}, ` +
    `threshold ${String(result.metadata.uncertaintyThreshold)}, validation macro-F1 ${String(result.metadata.validation?.macroF1)} ` +
    `accuracy ${String(result.metadata.validation?.accuracy)} (${seconds} s)`;

  if (check) {
    const onnx = existsSync(MODEL_FILE) ? await readFile(MODEL_FILE) : null;
    const meta = existsSync(METADATA_FILE) ? await readFile(METADATA_FILE, 'utf8') : null;
    const stale = [
      ...(onnx !== null && Buffer.from(result.bytes).equals(onnx) ? [] : [MODEL_FILE]),
      ...(meta === metaJson ? [] : [METADATA_FILE]),
    ];
    if (stale.length > 0) {
      process.stderr.write(`train:intent --check: the rebuilt model differs from ${stale.join(' and ')}.\n  rebuilt ${summary}\n`);
      return 1;
    }
    process.stdout.write(`train:intent --check: the committed model is reproduced bit for bit.\n  ${summary}\n`);
    return 0;
  }
  await writeFile(MODEL_FILE, result.bytes);
  await writeFile(METADATA_FILE, metaJson);
  process.stdout.write(`train:intent: wrote ${MODEL_FILE} and ${METADATA_FILE}\n  ${summary}\n`);
  return 0;
}

process.exitCode = await main();
