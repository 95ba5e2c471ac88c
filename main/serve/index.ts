// Entry of `npm run serve` (out/main/serve.js): serve mode on 127.0.0.1, options from the
// environment (CODESAGE_PORT, CODESAGE_HOST). The CLI's `codesage serve` takes them as flags.
import { fileURLToPath } from 'node:url';
import { appVersion } from '../services/appVersion';
import { closeOnSignals, runServe } from './runServe';
import { parsePort } from './parsePort';

const staticDir = fileURLToPath(new URL('../renderer', import.meta.url));

try {
  const handle = await runServe({
    host: process.env.CODESAGE_HOST ?? '127.0.0.1',
    port: parsePort(process.env.CODESAGE_PORT ?? '0'),
    staticDir,
    version: appVersion(),
  });
  closeOnSignals(handle);
} catch (error) {
  console.error(`CodeSage serve mode could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
