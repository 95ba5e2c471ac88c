// The committed intent model must be the one its metadata describes, trained from the committed
// split: `npm run train:intent -- --check` proves the rebuild, this proves the files agree.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTENT_LABELS } from '../../../common/intent/intentLabels';
import { INTENT_METADATA_KEY, intentModelMetadataSchema } from '../../../common/intent/intentModelMetadata';
import { readOnnxMetadata } from '../../../common/intent/readOnnxMetadata';
import { IntentService } from './IntentService';
import { resolveBundledIntentModelPath } from './resolveBundledIntentModelPath';

const root = join(import.meta.dirname, '..', '..', '..');
const sha256 = (...parts: (string | Uint8Array)[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

describe('the bundled intent model', () => {
  it('matches the sha256 and the metadata in intent.meta.json', async () => {
    const bytes = await readFile(join(root, 'models', 'intent', 'intent.onnx'));
    const meta = JSON.parse(await readFile(join(root, 'models', 'intent', 'intent.meta.json'), 'utf8')) as Record<string, unknown>;
    expect(meta.onnxSha256).toBe(sha256(bytes));
    const { onnxSha256: _sha, ...described } = meta;
    const embedded = intentModelMetadataSchema.parse(JSON.parse(readOnnxMetadata(bytes)[INTENT_METADATA_KEY] ?? ''));
    expect(described).toEqual(embedded);
    expect(embedded.labels).toEqual([...INTENT_LABELS]);
    expect(embedded.uncertaintyThreshold).toBeDefined();
    expect(embedded.validation?.examples).toBeGreaterThan(0);
  });

  it('was trained from the committed split', async () => {
    const [train, validation] = await Promise.all(
      ['train.jsonl', 'validation.jsonl'].map((name) => readFile(join(root, 'models', 'intent', 'data', name), 'utf8')),
    );
    const meta = intentModelMetadataSchema.parse(JSON.parse(await readFile(join(root, 'models', 'intent', 'intent.meta.json'), 'utf8')));
    expect(meta.training?.dataSha256).toBe(sha256(train ?? '', validation ?? ''));
  });

  it('loads and classifies through IntentService', async () => {
    await using service = await IntentService.create({ modelPath: resolveBundledIntentModelPath() });
    expect(service.state.problem).toBeNull();
    expect(service.state.modelVersion).toMatch(/^intent-[0-9a-f]{12}$/);
    const result = await service.classify('');
    expect(result).toMatchObject({ label: 'general', uncertain: true, problem: null });
  });
});
