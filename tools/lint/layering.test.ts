// Proves the layering rules of eslint.config.js bite: each case lints a small source text as if it
// lived at a path inside a layer, with the project's real config, and expects the import to fail.
// Type-aware rules are switched off for these virtual files (they are in no tsconfig); the import
// zones are what is under test.
import { ESLint } from 'eslint';
import type { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

async function lintAt(filePath: string, code: string): Promise<Linter.LintMessage[]> {
  const probe = new ESLint({ cwd: root });
  const config = (await probe.calculateConfigForFile(filePath)) as { rules?: Record<string, unknown> };
  const rules: Linter.RulesRecord = {};
  for (const name of Object.keys(config.rules ?? {})) if (name !== 'no-restricted-imports') rules[name] = 'off';
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: { languageOptions: { parserOptions: { project: null, projectService: false } }, rules },
  });
  const [result] = await eslint.lintText(code, { filePath });
  return result?.messages ?? [];
}

const cases: ReadonlyArray<{ layer: string; file: string; code: string }> = [
  {
    layer: 'renderer → node built-in',
    file: 'renderer/src/features/chat/components/Bad.tsx',
    code: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
  },
  { layer: 'renderer → bare node built-in', file: 'renderer/src/lib/bad.ts', code: "import path from 'path';\nexport const x = path;\n" },
  {
    layer: 'renderer → main',
    file: 'renderer/src/lib/bad.ts',
    code: "import { SettingsService } from '../../../main/services/settings/SettingsService';\nexport const x = SettingsService;\n",
  },
  {
    layer: 'renderer → electron',
    file: 'renderer/src/lib/bad.ts',
    code: "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n",
  },
  { layer: 'common → node', file: 'common/api/bad.ts', code: "import { createHash } from 'node:crypto';\nexport const x = createHash;\n" },
  { layer: 'common → react', file: 'common/api/bad.ts', code: "import { useState } from 'react';\nexport const x = useState;\n" },
  {
    layer: 'common → main',
    file: 'common/api/bad.ts',
    code: "import { startApiServer } from '../../main/serve/ApiServer';\nexport const x = startApiServer;\n",
  },
  { layer: 'services → electron', file: 'main/services/settings/bad.ts', code: "import { app } from 'electron';\nexport const x = app;\n" },
  { layer: 'serve → electron-store', file: 'main/serve/bad.ts', code: "import Store from 'electron-store';\nexport const x = Store;\n" },
  {
    layer: 'native → main',
    file: 'native/llama/bad.ts',
    code: "import { SystemService } from '../../main/services/system/SystemService';\nexport const x = SystemService;\n",
  },
];

describe('layering rules (eslint.config.js)', () => {
  for (const { layer, file, code } of cases) {
    it(`rejects ${layer}`, async () => {
      const messages = await lintAt(file, code);
      expect(messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
    });
  }

  it('allows main/app to import electron and common to import zod', async () => {
    expect(await lintAt('main/app/ok.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([]);
    expect(await lintAt('common/api/ok.ts', "import { z } from 'zod';\nexport const x = z;\n")).toEqual([]);
  });
});
