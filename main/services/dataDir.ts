// Where CodeSage keeps its data. Electron's userData and serve mode must agree so that both shells
// see the same settings, models and history; CODESAGE_DATA_DIR overrides it (tests, portable use).
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface DataDirEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  readonly home: string;
}

export const APP_DIR_NAME = 'CodeSage';

export function resolveDataDir(
  environment: DataDirEnvironment = { env: process.env, platform: process.platform, home: homedir() },
): string {
  const { env, platform, home } = environment;
  const override = env.CODESAGE_DATA_DIR;
  if (override !== undefined && override.trim() !== '') return override;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(home, '.config'), APP_DIR_NAME);
}
