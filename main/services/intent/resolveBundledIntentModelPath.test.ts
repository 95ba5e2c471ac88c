import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUNDLED_INTENT_MODEL, resolveBundledIntentModelPath } from './resolveBundledIntentModelPath';

const root = join('/', 'opt', 'codesage');
const model = join(root, 'models', 'intent', 'intent.onnx');
const existing =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);

describe('resolveBundledIntentModelPath', () => {
  it('finds the model from the sources (tests, tsx) and from the built bundle', () => {
    const source = pathToFileURL(join(root, 'main', 'services', 'intent', 'resolveBundledIntentModelPath.ts')).href;
    const built = pathToFileURL(join(root, 'out', 'main', 'cli.js')).href;
    const chunk = pathToFileURL(join(root, 'out', 'main', 'chunks', 'services-abc123.js')).href;
    for (const moduleUrl of [source, built, chunk]) {
      expect(resolveBundledIntentModelPath({ moduleUrl, exists: existing(model) })).toBe(model);
    }
  });

  it('prefers the packaged resources folder, where electron-builder puts the model', () => {
    const resources = join('/', 'Applications', 'CodeSage.app', 'Contents', 'Resources');
    const packaged = join(resources, 'models', 'intent', 'intent.onnx');
    const moduleUrl = pathToFileURL(join(resources, 'app.asar', 'out', 'main', 'app.js')).href;
    expect(resolveBundledIntentModelPath({ moduleUrl, resourcesPath: resources, exists: existing(packaged, model) })).toBe(packaged);
    // Electron run from a source checkout has a resourcesPath inside node_modules/electron without models.
    const devResources = join(root, 'node_modules', 'electron', 'dist', 'resources');
    const devUrl = pathToFileURL(join(root, 'out', 'main', 'app.js')).href;
    expect(resolveBundledIntentModelPath({ moduleUrl: devUrl, resourcesPath: devResources, exists: existing(model) })).toBe(model);
  });

  it('reads a model found inside app.asar from app.asar.unpacked, which native code can open', () => {
    const resources = join('/', 'opt', 'CodeSage', 'resources');
    const moduleUrl = pathToFileURL(join(resources, 'app.asar', 'out', 'main', 'app.js')).href;
    const inAsar = join(resources, 'app.asar', 'models', 'intent', 'intent.onnx');
    expect(resolveBundledIntentModelPath({ moduleUrl, resourcesPath: resources, exists: existing(inAsar) })).toBe(
      join(resources, 'app.asar.unpacked', 'models', 'intent', 'intent.onnx'),
    );
  });

  it('names where the model should be when it is nowhere', () => {
    const moduleUrl = pathToFileURL(join(root, 'out', 'main', 'cli.js')).href;
    expect(resolveBundledIntentModelPath({ moduleUrl, exists: existing(join(root, 'package.json')) })).toBe(model);
    expect(resolveBundledIntentModelPath({ moduleUrl, resourcesPath: '/res', exists: () => false })).toBe(
      join('/res', BUNDLED_INTENT_MODEL),
    );
  });

  it('finds the committed model in this checkout', () => {
    const path = resolveBundledIntentModelPath();
    expect(path).toBe(join(import.meta.dirname, '..', '..', '..', BUNDLED_INTENT_MODEL));
    expect(existsSync(path)).toBe(true);
  });
});
