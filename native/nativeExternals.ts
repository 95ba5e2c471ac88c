// Packages with native code that the bundler must leave alone: they are required at run time from
// node_modules (from app.asar.unpacked in a packaged app, see build/electron-builder.config.cjs).
export const nativeExternals = [
  'node-llama-cpp',
  /^@node-llama-cpp\//,
  'onnxruntime-node',
  '@lancedb/lancedb',
  /^@lancedb\//,
  'apache-arrow',
] as const;
