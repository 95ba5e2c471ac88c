// Finds the intent model that ships with CodeSage, wherever this code runs from:
// - packaged Electron app: electron-builder copies models/intent/ to <resources>/models/intent/
//   (extraResources), because onnxruntime opens the file by path and cannot read inside app.asar;
// - built app, serve mode and CLI (out/main/*.js) and sources under tests or tsx
//   (main/services/intent/*.ts): the nearest ancestor folder holding models/intent/intent.onnx,
//   i.e. ../../models from out/main and ../../../models from here.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUNDLED_INTENT_MODEL = join('models', 'intent', 'intent.onnx');
export const BUNDLED_INTENT_METADATA = join('models', 'intent', 'intent.meta.json');

export interface ResolveBundledIntentModelPathOptions {
  /** Electron's process.resourcesPath; absent in plain Node. */
  readonly resourcesPath?: string;
  /** The URL of the module asking; defaults to this module's. */
  readonly moduleUrl?: string;
  readonly exists?: (path: string) => boolean;
}

/**
 * The path of models/intent/intent.onnx. When no candidate exists, returns where it should have been
 * (the packaged resources, else next to the nearest package.json), so that the problem reported
 * about the missing model names a sensible path.
 */
export function resolveBundledIntentModelPath(options: ResolveBundledIntentModelPathOptions = {}): string {
  const exists = options.exists ?? existsSync;
  const resourcesPath = options.resourcesPath ?? (process as { resourcesPath?: string }).resourcesPath;
  const candidates: string[] = [];
  let expected: string | undefined;
  if (resourcesPath !== undefined && resourcesPath !== '') {
    expected = join(resourcesPath, BUNDLED_INTENT_MODEL);
    candidates.push(expected);
  }
  let folder = dirname(fileURLToPath(options.moduleUrl ?? import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    candidates.push(join(folder, BUNDLED_INTENT_MODEL));
    if (expected === undefined && exists(join(folder, 'package.json'))) expected = join(folder, BUNDLED_INTENT_MODEL);
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  // Native code cannot open files inside app.asar: a model found there is read from app.asar.unpacked.
  const found = candidates.find((candidate) => exists(candidate))?.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
  return found ?? expected ?? candidates[0] ?? BUNDLED_INTENT_MODEL;
}
