// electron-builder configuration, used by `npm run dist`.
//
// Why asarUnpack: node-llama-cpp, onnxruntime-node and LanceDB load native libraries (.node, .so,
// .dylib, .dll) through the operating system's loader, which cannot read inside app.asar, and
// node-llama-cpp looks for its prebuilt binaries by folder path. Unpacked, they sit in
// app.asar.unpacked, where Electron redirects require() and import() for them. apache-arrow is plain
// JavaScript and stays packed. The bundled models are unpacked for the same reason: llama.cpp and
// onnxruntime open model files by path from native code. The intent model and its metadata are
// not in the app at all but copied next to it as extraResources (<resources>/models/intent/), where
// resolveBundledIntentModelPath looks first; its training data stays out of the package.

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'dev.codesage.app',
  productName: 'CodeSage',
  // electron is an optional dependency that may be absent where the package is built, so its version
  // cannot be read from node_modules: take the one package.json pins.
  electronVersion: require('../package.json').optionalDependencies.electron,
  directories: {
    output: 'release',
    buildResources: 'build',
  },
  files: ['out/**', 'package.json', 'models/**', '!models/intent/**'],
  extraResources: [{ from: 'models/intent', to: 'models/intent', filter: ['intent.onnx', 'intent.meta.json'] }],
  asarUnpack: [
    'node_modules/node-llama-cpp/**',
    'node_modules/@node-llama-cpp/**',
    'node_modules/onnxruntime-node/**',
    'node_modules/@lancedb/**',
    'models/**',
  ],
  // All three ship N-API prebuilt binaries, which work under any Electron without rebuilding; a
  // rebuild would try to compile llama.cpp from source, which needs a toolchain and the network.
  npmRebuild: false,
  linux: {
    // .deb needs a maintainer address in package.json's author, which the project has not chosen yet.
    target: ['AppImage'],
    category: 'Development',
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.developer-tools',
  },
  win: {
    target: ['nsis'],
  },
};
