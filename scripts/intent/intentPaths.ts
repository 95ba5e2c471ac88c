// Where the intent pipeline's files live, relative to the repository root (this file is in scripts/intent/).
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const INTENT_DIR = join(REPO_ROOT, 'models', 'intent');
export const DATA_DIR = join(INTENT_DIR, 'data');
export const HAND_DIR = join(DATA_DIR, 'hand');
export const TRAIN_FILE = join(DATA_DIR, 'train.jsonl');
export const VALIDATION_FILE = join(DATA_DIR, 'validation.jsonl');
export const DATA_README = join(DATA_DIR, 'README.md');
export const MODEL_FILE = join(INTENT_DIR, 'intent.onnx');
export const METADATA_FILE = join(INTENT_DIR, 'intent.meta.json');
