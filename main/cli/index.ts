// Entry of the `codesage` command (bin/codesage.js loads the built out/main/cli.js).
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { appVersion } from '../services/appVersion';
import { closeOnSignals, runServe } from '../serve/runServe';
import { createProgram } from './createProgram';

const staticDir = fileURLToPath(new URL('../renderer', import.meta.url));

const program = createProgram(
  appVersion(),
  { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) },
  {
    async serve({ host, port }) {
      closeOnSignals(await runServe({ host, port, staticDir, version: appVersion() }));
    },
  },
);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`codesage: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
