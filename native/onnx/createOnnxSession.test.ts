import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeOnnxModel } from '../../common/onnx/encodeOnnxModel';
import { AbortError } from '../errors/AbortError';
import { OnnxModelLoadError } from '../errors/OnnxModelLoadError';
import { createOnnxSession } from './createOnnxSession';
import type { OnnxSessionHandle } from './createOnnxSession';
import { loadOnnxRuntime } from './loadOnnxRuntime';
import type { OnnxRuntime } from './loadOnnxRuntime';

// softmax(x·W + b) with x: [batch, 3], W: [3, 4], b: [4].
const weights = [0.5, -1.25, 2, 0.1, -0.3, 0.75, 1.5, -2, 1, 0.2, -0.6, 0.9];
const bias = [0.1, -0.2, 0.3, 0];
const model = encodeOnnxModel({
  producerName: 'codesage-test',
  graph: {
    name: 'linear_softmax',
    inputs: [{ name: 'x', elementType: 'float', shape: ['batch', 3] }],
    outputs: [{ name: 'probabilities', elementType: 'float', shape: ['batch', 4] }],
    initializers: [
      { name: 'W', elementType: 'float', dims: [3, 4], data: weights },
      { name: 'b', elementType: 'float', dims: [4], data: bias },
    ],
    nodes: [
      { opType: 'MatMul', inputs: ['x', 'W'], outputs: ['xw'] },
      { opType: 'Add', inputs: ['xw', 'b'], outputs: ['logits'] },
      { opType: 'Softmax', inputs: ['logits'], outputs: ['softmax'], attributes: { axis: { type: 'int', value: -1 } } },
      { opType: 'Identity', inputs: ['softmax'], outputs: ['probabilities'] },
    ],
  },
});

function expectedProbabilities(x: readonly number[]): number[] {
  const logits = bias.map((b, j) => x.reduce((sum, xi, i) => sum + xi * (weights[i * 4 + j] ?? Number.NaN), b));
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

let ort: OnnxRuntime;
let dir: string;
let modelPath: string;
const handles: OnnxSessionHandle[] = [];

beforeAll(async () => {
  ort = await loadOnnxRuntime();
  dir = await mkdtemp(join(tmpdir(), 'codesage-onnx-'));
  modelPath = join(dir, 'linear-softmax.onnx');
  await writeFile(modelPath, model);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(handles.splice(0).map((handle) => handle.dispose()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function open(...args: Parameters<typeof createOnnxSession>): Promise<OnnxSessionHandle> {
  const handle = await createOnnxSession(...args);
  handles.push(handle);
  return handle;
}

async function run(handle: OnnxSessionHandle, rows: readonly (readonly number[])[]): Promise<number[][]> {
  const input = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, 3]);
  const output = (await handle.session.run({ x: input })).probabilities;
  if (output === undefined) throw new Error('no output');
  expect(output.dims).toEqual([rows.length, 4]);
  const data = Array.from(output.data as Float32Array);
  return rows.map((_, r) => data.slice(r * 4, r * 4 + 4));
}

function expectClose(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => {
    expect(value).toBeCloseTo(expected[i] ?? Number.NaN, 5);
  });
}

describe('createOnnxSession', () => {
  const rows = [
    [1, 0, 0],
    [0.2, -1.5, 3],
    [-2, 0.5, 0.25],
  ];

  it('runs a model file on CPU and matches the same computation in TypeScript', async () => {
    const handle = await open(modelPath, { preferredProviders: ['cpu'] });
    expect(handle.provider).toBe('cpu');
    expect(handle.fallbackReason).toBeNull();
    expect(handle.session.inputNames).toEqual(['x']);
    const outputs = await run(handle, rows);
    rows.forEach((row, r) => {
      expectClose(outputs[r] ?? [], expectedProbabilities(row));
    });
  });

  it('runs a model given as bytes', async () => {
    const handle = await open(model, { preferredProviders: ['cpu'] });
    const outputs = await run(handle, [rows[1] ?? []]);
    expectClose(outputs[0] ?? [], expectedProbabilities(rows[1] ?? []));
  });

  it('falls back to CPU, saying why, when CUDA is requested on a machine without it', async () => {
    const handle = await open(modelPath, { preferredProviders: ['cuda', 'cpu'] });
    if (handle.provider === 'cuda') {
      // A machine with onnxruntime's CUDA provider installed: nothing to fall back from.
      expect(handle.fallbackReason).toBeNull();
    } else {
      expect(handle.provider).toBe('cpu');
      expect(handle.fallbackReason).toMatch(/^CUDA could not be used \(.+\); using CPU\.$/);
    }
    const outputs = await run(handle, [rows[0] ?? []]);
    expectClose(outputs[0] ?? [], expectedProbabilities(rows[0] ?? []));
  });

  it('ends on CPU even when CPU is not listed', async () => {
    const create = vi.spyOn(ort.InferenceSession, 'create');
    create.mockRejectedValueOnce(new Error('OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library'));
    const handle = await open(model, { preferredProviders: ['cuda'] });
    expect(handle.provider).toBe('cpu');
    expect(handle.fallbackReason).toBe(
      'CUDA could not be used (OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library); using CPU.',
    );
    expect(create.mock.calls.map((call) => call[1]?.executionProviders)).toEqual([['cuda', 'cpu'], ['cpu']]);
  });

  it('skips providers this onnxruntime build does not have without trying them', async () => {
    const create = vi.spyOn(ort.InferenceSession, 'create');
    const cpuOnly: OnnxRuntime = { ...ort, listSupportedBackends: () => [{ name: 'cpu', bundled: true }] };
    const handle = await open(model, { preferredProviders: ['dml', 'coreml', 'cpu'], loadRuntime: () => Promise.resolve(cpuOnly) });
    expect(handle.provider).toBe('cpu');
    expect(handle.fallbackReason).toBe(
      'DirectML is not available in this onnxruntime build; CoreML is not available in this onnxruntime build; using CPU.',
    );
    expect(create).toHaveBeenCalledTimes(1);
    expect(create.mock.calls[0]?.[1]).toMatchObject({ executionProviders: ['cpu'] });
  });

  it('uses the first preferred provider that works, with CPU behind it for unsupported nodes', async () => {
    const create = vi.spyOn(ort.InferenceSession, 'create');
    // Pretend "cuda" works by letting the spy stand in for it with a CPU session.
    create.mockImplementationOnce((uri: unknown) => ort.InferenceSession.create(uri as Uint8Array, { executionProviders: ['cpu'] }));
    const handle = await open(model, { preferredProviders: ['cuda', 'cpu'] });
    expect(handle.provider).toBe('cuda');
    expect(handle.fallbackReason).toBeNull();
    expect(create.mock.calls[0]?.[1]).toMatchObject({ executionProviders: ['cuda', 'cpu'] });
  });

  it('passes other session options through', async () => {
    const create = vi.spyOn(ort.InferenceSession, 'create');
    await open(model, { preferredProviders: ['cpu'], sessionOptions: { intraOpNumThreads: 1 } });
    expect(create.mock.calls[0]?.[1]).toEqual({ intraOpNumThreads: 1, executionProviders: ['cpu'] });
  });

  describe('bad model files', () => {
    it('names a truncated model file, even when a GPU provider was asked for first', async () => {
      const truncated = join(dir, 'truncated.onnx');
      await writeFile(truncated, model.subarray(0, Math.floor(model.length / 2)));
      const error = await createOnnxSession(truncated, { preferredProviders: ['cuda', 'cpu'] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OnnxModelLoadError);
      expect((error as OnnxModelLoadError).name).toBe('OnnxModelLoadError');
      expect((error as OnnxModelLoadError).model).toBe(truncated);
      expect((error as Error).message).toContain(truncated);
      expect((error as Error).message).toMatch(/download the model again/);
    });

    it('rejects garbage bytes', async () => {
      const garbage = join(dir, 'garbage.onnx');
      await writeFile(garbage, 'this is not a protobuf, just some text that happens to be here');
      await expect(createOnnxSession(garbage)).rejects.toThrow(OnnxModelLoadError);
      await expect(createOnnxSession(new Uint8Array([0xff, 0xff, 0xff, 0x07, 1, 2]))).rejects.toThrow(
        /The ONNX model \(in-memory model, 6 bytes\) could not be loaded/,
      );
    });

    it('says when the file does not exist, is empty or is a folder', async () => {
      const missing = join(dir, 'missing.onnx');
      await expect(createOnnxSession(missing)).rejects.toThrow(`The ONNX model ${missing} could not be loaded: the file does not exist`);
      const empty = join(dir, 'empty.onnx');
      await writeFile(empty, '');
      await expect(createOnnxSession(empty)).rejects.toThrow('the file is empty');
      const folder = join(dir, 'folder.onnx');
      await mkdir(folder);
      await expect(createOnnxSession(folder)).rejects.toThrow('it is not a file');
      await expect(createOnnxSession(new Uint8Array())).rejects.toThrow(OnnxModelLoadError);
    });
  });

  describe('cancellation', () => {
    it('does not start when the signal is already aborted', async () => {
      const loadRuntime = vi.fn(() => Promise.resolve(ort));
      const error = await createOnnxSession(modelPath, { signal: AbortSignal.abort('user'), loadRuntime }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AbortError);
      expect((error as AbortError).name).toBe('AbortError');
      expect((error as AbortError).cause).toBe('user');
      expect(loadRuntime).not.toHaveBeenCalled();
    });

    it('releases a session that finished loading after the signal was aborted', async () => {
      const controller = new AbortController();
      let released = 0;
      const create = vi.spyOn(ort.InferenceSession, 'create');
      create.mockImplementationOnce(async (uri: unknown) => {
        const session = await ort.InferenceSession.create(uri as Uint8Array, { executionProviders: ['cpu'] });
        const realRelease = session.release.bind(session);
        vi.spyOn(session, 'release').mockImplementation(() => {
          released++;
          return realRelease();
        });
        controller.abort();
        return session;
      });
      await expect(createOnnxSession(model, { preferredProviders: ['cpu'], signal: controller.signal })).rejects.toThrow(AbortError);
      expect(released).toBe(1);
    });
  });

  it('disposes once, however often dispose is called', async () => {
    const handle = await createOnnxSession(model, { preferredProviders: ['cpu'] });
    const release = vi.spyOn(handle.session, 'release');
    await handle.dispose();
    await handle[Symbol.asyncDispose]();
    expect(release).toHaveBeenCalledTimes(1);
  });
});
