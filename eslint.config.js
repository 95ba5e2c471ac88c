// ESLint flat config: typescript-eslint strictTypeChecked everywhere, plus import zones that
// enforce the layering of STYLE.md (tools/lint/layering.test.ts proves each zone bites):
// - renderer/ never imports Node, Electron, main/, native/ or preload/;
// - common/ imports nothing environment-specific (no Node, Electron, DOM frameworks, other layers);
// - only main/app/ (and preload/, which is Electron's own bridge) import electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const electron = { group: ['electron', 'electron/*', 'electron-store'], message: 'Only main/app imports electron (STYLE.md layering).' };
const nodeModules = { group: nodeBuiltins, message: 'This layer runs outside Node: no Node built-ins.' };
const nativeModules = {
  group: ['node-llama-cpp', '@node-llama-cpp/*', 'onnxruntime-node', '@lancedb/*', 'conf', 'fastify', '@fastify/*'],
  message: 'Node-only packages belong in main/ or native/.',
};
const layer = (name) => ({ group: [`**/${name}/**`, `**/${name}`], message: `This layer must not import ${name}/ (STYLE.md layering).` });

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'bin/**',
      'scripts/*.js',
      'eslint.config.js',
      'build/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.node.json', './tsconfig.web-test.json', './tsconfig.e2e.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [electron, layer('renderer')] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        { patterns: [electron, nodeModules, nativeModules, layer('main'), layer('native'), layer('preload')] },
      ],
    },
  },
  {
    files: ['renderer/**/*.test.{ts,tsx}', 'renderer/vitest.setup.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [electron, nativeModules, layer('main'), layer('native'), layer('preload')] }],
    },
  },
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electron,
            nodeModules,
            nativeModules,
            { group: ['react', 'react-dom', 'react/*', 'zustand', 'zustand/*'], message: 'common/ is UI-free.' },
            layer('main'),
            layer('native'),
            layer('preload'),
            layer('renderer'),
          ],
        },
      ],
    },
  },
  {
    files: ['common/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, layer('main'), layer('preload'), layer('renderer')] }] },
  },
  {
    files: ['native/**/*.ts', 'main/services/**/*.ts', 'main/serve/**/*.ts', 'main/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, layer('renderer'), layer('preload'), layer('app')] }] },
  },
  {
    files: ['native/**/*.ts'],
    ignores: ['native/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, layer('renderer'), layer('preload'), layer('main')] }] },
  },
  {
    files: ['main/app/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('renderer'), layer('preload')] }] },
  },
  {
    files: ['preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('renderer'), layer('main'), layer('native')] }] },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
