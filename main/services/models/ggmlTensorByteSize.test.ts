// The table of ggml block layouts behind the truncation check, on shapes of real 7B-class tensors.
import { GgmlType } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { ggmlTensorByteSize } from './ggmlTensorByteSize';

describe('ggmlTensorByteSize', () => {
  it('sizes plain and block-quantized tensors like ggml', () => {
    expect(ggmlTensorByteSize(GgmlType.F32, [64, 10])).toBe(64 * 10 * 4);
    expect(ggmlTensorByteSize(GgmlType.F16, [64, 10])).toBe(64 * 10 * 2);
    expect(ggmlTensorByteSize(GgmlType.BF16, [4096n, 2n])).toBe(4096 * 2 * 2); // bigint dimensions
    expect(ggmlTensorByteSize(GgmlType.Q8_0, [4096, 4096])).toBe((4096 * 4096 * 34) / 32);
    expect(ggmlTensorByteSize(GgmlType.Q4_0, [4096, 11008])).toBe((4096 * 11008 * 18) / 32);
    expect(ggmlTensorByteSize(GgmlType.Q4_K, [4096, 4096])).toBe((4096 * 4096 * 144) / 256);
    expect(ggmlTensorByteSize(GgmlType.Q5_K, [4096, 4096])).toBe((4096 * 4096 * 176) / 256);
    expect(ggmlTensorByteSize(GgmlType.Q6_K, [4096, 32000])).toBe((4096 * 32000 * 210) / 256);
  });

  it('knows nothing of retired or future types', () => {
    expect(ggmlTensorByteSize(GgmlType.Q4_2, [32])).toBeNull(); // removed from ggml
    expect(ggmlTensorByteSize(99, [32])).toBeNull();
  });
});
