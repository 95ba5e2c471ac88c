// Entry of the `codesage` command (bin/codesage.js loads the built out/main/cli.js).
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { appVersion } from '../services/appVersion';
import { closeOnSignals, runServe } from '../serve/runServe';
import { createProgram } from './createProgram';
import { runChat } from './runChat';
import { runIntent } from './runIntent';
import { runModels } from './runModels';

const staticDir = fileURLToPath(new URL('../renderer', import.meta.url));

const io = {
  out: (text: string) => {
    process.stdout.write(text);
  },
  err: (text: string) => {
    process.stderr.write(text);
  },
};

const program = createProgram(appVersion(), io, {
  async chat(prompt, options) {
    const controller = new AbortController();
    // Ctrl+C stops the answer and keeps what was written; a second one quits at once.
    process.once('SIGINT', () => {
      controller.abort();
      process.once('SIGINT', () => process.exit(130));
    });
    return runChat(prompt, options, io, controller.signal);
  },
  intent(text, options) {
    return runIntent(text, options, io);
  },
  async models(action, argument, options) {
    const controller = new AbortController();
    // Ctrl+C pauses a download (the partial file stays for the next run); a second one quits.
    process.once('SIGINT', () => {
      controller.abort();
      process.once('SIGINT', () => process.exit(130));
    });
    return runModels(action, argument, options, io, controller.signal, appVersion());
  },
  async serve({ host, port }) {
    closeOnSignals(await runServe({ host, port, staticDir, version: appVersion() }));
  },
});

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
