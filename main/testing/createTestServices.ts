// Test support: the real services (real conf, real llama.cpp detection) over a temp data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { createAppServices } from '../services/createAppServices';
import type { AppServices } from '../services/createAppServices';
import { createConfSettingsStore } from '../services/settings/SettingsStore';

export interface TestServices {
  readonly services: AppServices;
  readonly dataDir: string;
  cleanup(): Promise<void>;
}

export async function createTestServices(dataDir = mkdtempSync(join(tmpdir(), 'codesage-test-'))): Promise<TestServices> {
  const openConf = () =>
    new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'settings', projectName: 'codesage', clearInvalidConfig: false });
  const services = await createAppServices({
    shell: 'serve',
    dataDir,
    version: '0.0.0-test',
    settingsStore: createConfSettingsStore(openConf, join(dataDir, 'settings.json')),
    warn: () => undefined,
  });
  return {
    services,
    dataDir,
    async cleanup() {
      await services.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
