// The `codesage` command line. Each subcommand is filled in by the feature that owns it; until
// then it says plainly that this build does not have it, and exits non-zero.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { parsePort, InvalidPortError } from '../serve/parsePort';
import { computePreferenceSchema } from '../../common/settings/settingsSchema';
import type { ChatCliOptions } from './runChat';
import type { IntentCliOptions } from './runIntent';
import type { ModelsAction, ModelsCliOptions } from './runModels';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export interface CliActions {
  serve(options: { host: string; port: number }): Promise<void>;
  /** Resolves to the exit code. */
  chat(prompt: string, options: ChatCliOptions): Promise<number>;
  /** Resolves to the exit code. */
  intent(text: string, options: IntentCliOptions): Promise<number>;
  /** Resolves to the exit code. */
  models(action: ModelsAction, argument: string | undefined, options: ModelsCliOptions): Promise<number>;
}

/** Exit code for a subcommand this build does not provide yet. */
export const EXIT_UNAVAILABLE = 3;

const PLANNED: ReadonlyArray<{ name: string; args: string; summary: string; arrivesWith: string }> = [
  { name: 'index', args: '[path]', summary: 'index a repository for local retrieval', arrivesWith: 'local repository search' },
  {
    name: 'search',
    args: '[query...]',
    summary: 'search indexed repositories (full-text + vector)',
    arrivesWith: 'local repository search',
  },
  { name: 'review', args: '[patch]', summary: 'review a patch or commits and export comments', arrivesWith: 'diff review' },
];

function numberOption(name: string, min: number, max: number, integer: boolean) {
  return (value: string): number => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed < min || parsed > max || (integer && !Number.isInteger(parsed))) {
      throw new InvalidArgumentError(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${String(min)} to ${String(max)}.`);
    }
    return parsed;
  };
}

function autoOrNumber(name: string, min: number, max: number) {
  const parse = numberOption(name, min, max, true);
  return (value: string): number | 'auto' => (value === 'auto' ? 'auto' : parse(value));
}

function gpuOption(value: string) {
  const parsed = computePreferenceSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`--gpu must be one of ${computePreferenceSchema.options.join(', ')}.`);
  return parsed.data;
}

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
    .command('chat')
    .description('ask a local GGUF model one question; the answer streams to stdout, metrics to stderr')
    .argument('<prompt...>', 'what to ask')
    .requiredOption('-m, --model <file.gguf>', 'path of the GGUF model file')
    .option('-s, --system <text>', 'system prompt', '')
    .option('-t, --temperature <n>', 'sampling temperature, 0 for greedy', numberOption('--temperature', 0, 2, false), 0.7)
    .option('--top-p <n>', 'nucleus sampling', numberOption('--top-p', 0.01, 1, false), 0.95)
    .option('-n, --max-tokens <n>', 'longest answer in tokens', numberOption('--max-tokens', 1, 32768, true), 512)
    .option('--seed <n>', 'sampling seed for reproducible answers', numberOption('--seed', 0, 2 ** 32 - 1, true))
    .option('-c, --context-size <n|auto>', 'context window in tokens', autoOrNumber('--context-size', 256, 1_048_576), 'auto')
    .option('--gpu-layers <n|auto>', 'layers to offload to the GPU', autoOrNumber('--gpu-layers', 0, 10_000), 'auto')
    .option('--gpu <backend>', 'compute backend: auto, cuda, vulkan, metal or cpu', gpuOption, 'auto')
    .option('--json', 'print the final text and metrics as one JSON object instead of streaming', false)
    .action(async (words: string[], options: Omit<ChatCliOptions, 'seed'> & { seed?: number }) => {
      const code = await actions.chat(words.join(' '), { ...options, seed: options.seed ?? null });
      if (code !== 0) throw new CommanderError(code, 'codesage.chat', 'chat failed');
    });

  const models = program.command('models').description('list, check fit, download, import and remove local GGUF models');
  const modelsCommand = (name: ModelsAction, args: string, description: string, extra?: (command: Command) => Command): void => {
    const command = models.command(name).description(description).option('--json', 'print JSON instead of text', false);
    if (args !== '') command.argument(args);
    (extra ? extra(command) : command).action(async (...params: unknown[]) => {
      const argument = args === '' ? undefined : (params[0] as string);
      const options = (args === '' ? params[0] : params[1]) as ModelsCliOptions;
      const code = await actions.models(name, argument, options);
      if (code !== 0) throw new CommanderError(code, `codesage.models.${name}`, `models ${name} failed`);
    });
  };
  modelsCommand('list', '', 'installed models with size, metadata and which are the defaults');
  modelsCommand('fit', '<uri|file>', "will it fit this machine? reads the model's header (remotely for URIs) and estimates memory");
  modelsCommand('download', '<uri>', 'download a hf: URI or http(s) URL with progress; Ctrl+C pauses, rerun resumes', (command) =>
    command.option('--sha256 <hex>', 'expected sha256 (otherwise the catalog or the server-published hash is checked)'),
  );
  modelsCommand('import', '<file>', 'copy a local .gguf file into the models folder after checking it');
  modelsCommand('rm', '<id>', 'delete an installed model (see `models list` for ids)');

  program
    .command('intent')
    .description('classify a message as code, repo, review, general or unsafe with the bundled intent model')
    .argument('[text...]', 'the message to classify')
    .option('--json', 'print one JSON object instead of the human-readable form', false)
    .option('--jsonl <file>', 'classify every {"text"} line of a JSONL file (- for stdin); prints one JSON line per input line')
    .option('--model <file.onnx>', 'use this intent model instead of the bundled one')
    .addHelpText(
      'after',
      '\nWith --jsonl, a bad input line gives {"line": n, "error": "…"} in its place and a message on stderr; the other\n' +
        'lines are still classified and the exit code is 2. Exit code 1: no model could run (the reason is printed).',
    )
    .action(async (words: string[], options: IntentCliOptions) => {
      if (words.length === 0 && options.jsonl === undefined) {
        io.err('codesage intent: give the text to classify, or --jsonl <file>.\n');
        throw new CommanderError(2, 'codesage.intent', 'nothing to classify');
      }
      const code = await actions.intent(words.join(' '), options);
      if (code !== 0) throw new CommanderError(code, 'codesage.intent', 'intent failed');
    });

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
