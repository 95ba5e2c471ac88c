// Bytes a GGUF tensor occupies in the file, from its ggml type and shape, so a model file can be
// checked for truncation without loading llama.cpp (node-llama-cpp computes this only through its
// native bindings, and readGgufFileInfo happily reads a cut-off file as if it ended in zeros).
/**
 * [elements per block, bytes per block] by ggml type number, as ggml's type traits (checked against
 * the bindings of node-llama-cpp 3.22). Keyed by number so that importing this module does not load
 * node-llama-cpp (about 0.6 s) just for its GgmlType enum.
 */
const blockLayouts: ReadonlyMap<number, readonly [number, number]> = new Map<number, readonly [number, number]>([
  [0, [1, 4]], // F32
  [1, [1, 2]], // F16
  [2, [32, 18]], // Q4_0
  [3, [32, 20]], // Q4_1
  [6, [32, 22]], // Q5_0
  [7, [32, 24]], // Q5_1
  [8, [32, 34]], // Q8_0
  [9, [32, 36]], // Q8_1
  [10, [256, 84]], // Q2_K
  [11, [256, 110]], // Q3_K
  [12, [256, 144]], // Q4_K
  [13, [256, 176]], // Q5_K
  [14, [256, 210]], // Q6_K
  [15, [256, 292]], // Q8_K
  [16, [256, 66]], // IQ2_XXS
  [17, [256, 74]], // IQ2_XS
  [18, [256, 98]], // IQ3_XXS
  [19, [256, 50]], // IQ1_S
  [20, [32, 18]], // IQ4_NL
  [21, [256, 110]], // IQ3_S
  [22, [256, 82]], // IQ2_S
  [23, [256, 136]], // IQ4_XS
  [24, [1, 1]], // I8
  [25, [1, 2]], // I16
  [26, [1, 4]], // I32
  [27, [1, 8]], // I64
  [28, [1, 8]], // F64
  [29, [256, 56]], // IQ1_M
  [30, [1, 2]], // BF16
  [34, [256, 54]], // TQ1_0
  [35, [256, 66]], // TQ2_0
  [39, [32, 17]], // MXFP4
  [40, [64, 36]], // NVFP4
  [41, [128, 18]], // Q1_0
  [42, [64, 18]], // Q2_0
]);

/**
 * Size in bytes of a tensor's data, or null for a ggml type this table does not know (types
 * retired from ggml, or newer than this table): callers then fall back to a weaker check. `type`
 * is a plain number because a file may hold any value there, not just GgmlType's members.
 */
export function ggmlTensorByteSize(type: number, dimensions: readonly (number | bigint)[]): number | null {
  const layout = blockLayouts.get(type);
  if (layout === undefined) return null;
  const [blockElements, blockBytes] = layout;
  // Rows are stored whole: the first dimension is a multiple of the block size in valid files.
  const elements = dimensions.reduce<number>((product, dimension) => product * Number(dimension), 1);
  return Math.ceil(elements / blockElements) * blockBytes;
}
