import { describe, expect, it } from 'vitest';
import { OnnxRuntimeUnavailableError } from '../errors/OnnxRuntimeUnavailableError';
import { loadOnnxRuntime } from './loadOnnxRuntime';

describe('loadOnnxRuntime', () => {
  it('loads onnxruntime-node with its CPU backend', async () => {
    const ort = await loadOnnxRuntime();
    expect(typeof ort.InferenceSession.create).toBe('function');
    expect(ort.listSupportedBackends().map((backend) => backend.name)).toContain('cpu');
  });

  it('turns an import failure into OnnxRuntimeUnavailableError that keeps the cause', async () => {
    const cause = new Error("Cannot find module 'onnxruntime-node'");
    const error = await loadOnnxRuntime({ importRuntime: () => Promise.reject(cause) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnnxRuntimeUnavailableError);
    expect((error as Error).name).toBe('OnnxRuntimeUnavailableError');
    expect((error as Error).cause).toBe(cause);
    expect((error as Error).message).toContain("Cannot find module 'onnxruntime-node'");
    expect((error as Error).message).toMatch(/Reinstall CodeSage/);
  });
});
