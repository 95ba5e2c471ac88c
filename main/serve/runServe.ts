// Starts CodeSage in serve mode: the services, backed by `conf` for settings, behind the HTTP +
// WebSocket transport, until SIGINT/SIGTERM. Used by `npm run serve`, `npm start` without Electron
// and `codesage serve`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { createAppServices } from '../services/createAppServices';
import { registerModelUploadRoute } from './upload/registerModelUploadRoute';
import { resolveDataDir } from '../services/dataDir';
import { createConfSettingsStore } from '../services/settings/SettingsStore';
import { startApiServer } from './ApiServer';
import { registerOpenAiRoutes } from './openai/registerOpenAiRoutes';
import type { ApiServer } from './ApiServer';
import type { AppServices } from '../services/createAppServices';

export interface RunServeOptions {
  readonly host: string;
  readonly port: number;
  readonly staticDir: string | null;
  readonly version: string;
  readonly dataDir?: string;
  readonly log?: (line: string) => void;
}

export interface ServeHandle extends AsyncDisposable {
  readonly server: ApiServer;
  readonly services: AppServices;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function runServe(options: RunServeOptions): Promise<ServeHandle> {
  const log =
    options.log ??
    ((line: string) => {
      console.log(line);
    });
  const dataDir = options.dataDir ?? resolveDataDir();
  mkdirSync(dataDir, { recursive: true });
  const openConf = () =>
    new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'settings', projectName: 'codesage', clearInvalidConfig: false });
  const services = await createAppServices({
    shell: 'serve',
    dataDir,
    version: options.version,
    settingsStore: createConfSettingsStore(openConf, join(dataDir, 'settings.json')),
    warn: (message) => {
      log(`warning: ${message}`);
    },
  });
  let server: ApiServer;
  try {
    server = await startApiServer({
      dispatcher: services.dispatcher,
      events: services.events,
      staticDir: options.staticDir,
      host: options.host,
      port: options.port,
      // The OpenAI-compatible API for other tools (editors, scripts), behind the same token.
      routes: async (app) => {
        await registerOpenAiRoutes(app, { engine: services.llm, library: services.models });
        registerModelUploadRoute(app, {
          tempFolder: join(dataDir, 'downloads', 'uploads'),
          importFile: (path, fileName) => services.importModel(path, { fileName, move: true }),
        });
      },
    });
  } catch (error) {
    await services.dispose();
    throw error;
  }
  if (!LOOPBACK.has(options.host)) {
    log(`warning: serve mode is listening on ${options.host}, reachable from other machines; the token is all that protects it.`);
  }
  log(`CodeSage serve mode: open ${server.openUrl}`);
  log(`OpenAI-compatible API: ${server.url}/v1 (API key: the token above)`);
  // Warm up compute detection so the status bar fills in quickly.
  void services.system.getSystemInfo();
  const close = async (): Promise<void> => {
    await server.close();
    await services.dispose();
  };
  return { server, services, close, [Symbol.asyncDispose]: close };
}

/** Keeps the process alive until a signal, then shuts down cleanly. */
export function closeOnSignals(handle: ServeHandle): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    console.log(`\nCodeSage serve mode: ${signal} received, shutting down.`);
    handle.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
