// The `codesage` command line. Each subcommand is filled in by the feature that owns it; until
// then it says plainly that this build does not have it, and exits non-zero.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { parsePort, InvalidPortError } from '../serve/parsePort';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export interface CliActions {
  serve(options: { host: string; port: number }): Promise<void>;
}

/** Exit code for a subcommand this build does not provide yet. */
export const EXIT_UNAVAILABLE = 3;

const PLANNED: ReadonlyArray<{ name: string; args: string; summary: string; arrivesWith: string }> = [
  { name: 'chat', args: '[prompt...]', summary: 'chat with a local GGUF model from the terminal', arrivesWith: 'the local LLM engine' },
  {
    name: 'intent',
    args: '[text...]',
    summary: 'classify a message as code, repo, review, general or unsafe',
    arrivesWith: 'intent routing',
  },
  { name: 'index', args: '[path]', summary: 'index a repository for local retrieval', arrivesWith: 'local repository search' },
  {
    name: 'search',
    args: '[query...]',
    summary: 'search indexed repositories (full-text + vector)',
    arrivesWith: 'local repository search',
  },
  { name: 'review', args: '[patch]', summary: 'review a patch or commits and export comments', arrivesWith: 'diff review' },
  {
    name: 'models',
    args: '[action] [args...]',
    summary: 'list, check fit, download, import and remove models',
    arrivesWith: 'the model download manager',
  },
];

function portOption(value: string): number {
  try {
    return parsePort(value);
  } catch (error) {
    if (error instanceof InvalidPortError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

export function createProgram(version: string, io: CliIo, actions: CliActions): Command {
  const program = new Command('codesage')
    .description('CodeSage: an offline-first AI coding companion. Local models, local repositories, cloud only when you allow it.')
    .version(version, '-v, --version')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run `codesage --help` for the list of commands)')
    .showSuggestionAfterError(true)
    .exitOverride();

  for (const planned of PLANNED) {
    program
      .command(planned.name)
      .argument(planned.args)
      .description(`${planned.summary} (not in this build yet)`)
      .allowUnknownOption(false)
      .action(() => {
        io.err(`codesage ${planned.name} is not available in this build of CodeSage yet: it arrives with ${planned.arrivesWith}.\n`);
        throw new CommanderError(EXIT_UNAVAILABLE, 'codesage.unavailable', `${planned.name} unavailable`);
      });
  }

  program
    .command('serve')
    .description('serve the CodeSage UI and API on this machine (open the printed URL in a browser)')
    .option('--host <host>', 'address to listen on; anything but loopback exposes CodeSage to your network', '127.0.0.1')
    .option('-p, --port <port>', 'port to listen on, 0 for any free port', portOption, 0)
    .action(async (options: { host: string; port: number }) => {
      await actions.serve(options);
    });

  return program;
}
