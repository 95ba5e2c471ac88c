// Builds the three Electron targets from their roots: main (the Electron entry plus the plain-Node
// entries for serve mode and the CLI), preload (CommonJS, as sandboxed preloads require) and the
// renderer. Native modules stay external: they are loaded from node_modules (asar-unpacked).
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { nativeExternals } from './native/nativeExternals';
import packageJson from './package.json';

// electron-vite reads Electron's version from node_modules/electron, which is absent where the
// binary could not be installed (it is an optional dependency); tell it the version we target.
process.env.ELECTRON_MAJOR_VER ??= packageJson.optionalDependencies.electron.split('.')[0];

// zod's sources carry comments that Rollup cannot place; the warning is noise, not a problem.
const onwarn = (warning: { code?: string; message: string }, warn: (w: { code?: string; message: string }) => void): void => {
  if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
};

// Under `npm run dev` Vite injects inline styles and the React refresh preamble, and talks to its
// own WebSocket; relax the page's CSP for the dev server only. Built pages keep the strict one.
const devServerCsp: Plugin = {
  name: 'codesage-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html
      .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
      .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
      .replace("connect-src 'self'", "connect-src 'self' ws: http://localhost:*"),
};

export default defineConfig({
  main: {
    build: {
      // The same bundle runs in Electron (Node 22) and, for serve mode and the CLI, in plain Node 20.
      target: 'node20.19',
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        external: [...nativeExternals],
        onwarn,
        input: {
          app: resolve('main/app/index.ts'),
          serve: resolve('main/serve/index.ts'),
          cli: resolve('main/cli/index.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // The preload is bundled whole (zod included): a sandboxed preload cannot require packages.
      externalizeDeps: false,
      rollupOptions: {
        external: ['electron'],
        onwarn,
        input: { index: resolve('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react(), devServerCsp],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('renderer/index.html') }, onwarn },
    },
  },
});
