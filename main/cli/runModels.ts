// `codesage models …`: the model manager from a terminal, on the same data folder, settings and
// download job list as the app (so a download started here shows up in the app and vice versa).
// Downloads draw a progress bar on a TTY and plain lines otherwise; Ctrl+C pauses and keeps the
// partial file, so running the same command again resumes.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Conf from 'conf';
import { formatBytes } from '../../common/format/formatBytes';
import type { DownloadJob } from '../../common/models/downloadSchema';
import type { FitEstimate } from '../../common/models/fitSchema';
import { createAppServices } from '../services/createAppServices';
import type { AppServices } from '../services/createAppServices';
import { resolveDataDir } from '../services/dataDir';
import { createConfSettingsStore } from '../services/settings/SettingsStore';
import type { CliIo } from './createProgram';

export interface ModelsCliOptions {
  readonly json?: boolean;
  readonly sha256?: string;
  /** Overrides the data folder (tests); default CODESAGE_DATA_DIR or the platform's. */
  readonly dataDir?: string;
  /** Draw a redrawn progress bar (default: stdout is a TTY). */
  readonly tty?: boolean;
}

export type ModelsAction = 'list' | 'fit' | 'download' | 'import' | 'rm';

async function openServices(dataDir: string, resumeDownloads: boolean, version: string): Promise<AppServices> {
  mkdirSync(dataDir, { recursive: true });
  const openConf = () =>
    new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'settings', projectName: 'codesage', clearInvalidConfig: false });
  return createAppServices({
    shell: 'serve',
    dataDir,
    version,
    settingsStore: createConfSettingsStore(openConf, join(dataDir, 'settings.json')),
    resumeDownloads,
  });
}

/** Runs one models subcommand; resolves to the exit code. */
export async function runModels(
  action: ModelsAction,
  argument: string | undefined,
  options: ModelsCliOptions,
  io: CliIo,
  signal: AbortSignal,
  version: string,
): Promise<number> {
  const dataDir = options.dataDir ?? resolveDataDir();
  const services = await openServices(dataDir, false, version);
  try {
    switch (action) {
      case 'list':
        return await list(services, options, io);
      case 'fit':
        return await fit(services, requireArgument(argument, 'a hf: URI, URL or .gguf path'), options, io);
      case 'download':
        return await download(services, requireArgument(argument, 'a hf: URI or URL'), options, io, signal);
      case 'import': {
        const model = await services.models.import(resolve(requireArgument(argument, 'the path of a .gguf file')));
        io.out(
          options.json === true
            ? `${JSON.stringify(model)}\n`
            : `Imported ${model.id} (${formatBytes(model.sizeBytes)}) into ${services.models.folder}\n`,
        );
        return 0;
      }
      case 'rm': {
        const id = requireArgument(argument, 'a model id (see `codesage models list`)');
        await services.models.delete(id);
        io.out(`Deleted ${id}\n`);
        return 0;
      }
    }
  } catch (error) {
    const named = error instanceof Error ? error : new Error(String(error));
    io.err(`codesage models ${action}: ${named.message}${named.name === 'Error' ? '' : ` (${named.name})`}\n`);
    return 1;
  } finally {
    await services.dispose();
  }
}

class MissingArgumentError extends Error {
  override readonly name = 'MissingArgumentError';
}

function requireArgument(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') throw new MissingArgumentError(`give ${what}.`);
  return value.trim();
}

async function list(services: AppServices, options: ModelsCliOptions, io: CliIo): Promise<number> {
  const models = await services.models.list();
  const defaults = services.settings.get().models;
  if (options.json === true) {
    io.out(`${JSON.stringify({ folder: services.models.folder, models, defaults })}\n`);
    return 0;
  }
  io.out(`Models folder: ${services.models.folder}\n`);
  if (models.length === 0) {
    io.out('No models installed. Download one with `codesage models download <hf:URI|URL>`.\n');
    return 0;
  }
  for (const model of models) {
    const marks = [
      model.id === defaults.defaultChatModelId ? 'default chat' : '',
      model.id === defaults.defaultEmbeddingModelId ? 'default embeddings' : '',
    ]
      .filter(Boolean)
      .join(', ');
    const facts = [
      formatBytes(model.sizeBytes),
      model.architecture ?? '',
      model.contextLength === null ? '' : `${String(model.contextLength)} ctx`,
    ]
      .filter(Boolean)
      .join(' · ');
    io.out(`${model.id}  ${facts}${marks === '' ? '' : `  [${marks}]`}${model.problem === null ? '' : `\n  problem: ${model.problem}`}\n`);
  }
  return 0;
}

async function fit(services: AppServices, target: string, options: ModelsCliOptions, io: CliIo): Promise<number> {
  const isRemote = /^(hf:|huggingface:|https?:\/\/)/i.test(target);
  const estimate: FitEstimate = await services.catalog.fitOf(isRemote ? target : resolve(target));
  io.out(options.json === true ? `${JSON.stringify(estimate)}\n` : `${estimate.verdict.toUpperCase()}: ${estimate.note}\n`);
  return estimate.verdict === 'no-fit' ? 2 : 0;
}

async function download(services: AppServices, uri: string, options: ModelsCliOptions, io: CliIo, signal: AbortSignal): Promise<number> {
  // The same download paused or failed earlier goes on from its partial file.
  const job = await services.downloads.start({ uri, ...(options.sha256 === undefined ? {} : { sha256: options.sha256.toLowerCase() }) });
  const tty = options.tty ?? process.stdout.isTTY;
  const id = job.id;
  let lastPlain = -1;
  const render = (current: DownloadJob): void => {
    if (options.json === true) return;
    const total = current.totalBytes;
    const fraction = total !== null && total > 0 ? current.receivedBytes / total : null;
    if (tty) {
      const width = 30;
      const filled = fraction === null ? 0 : Math.round(fraction * width);
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
      const speed = current.bytesPerSecond > 0 ? ` ${formatBytes(current.bytesPerSecond)}/s` : '';
      const eta = current.etaSeconds === null ? '' : ` ETA ${String(Math.ceil(current.etaSeconds))}s`;
      io.out(
        `\r${bar} ${fraction === null ? '' : `${(fraction * 100).toFixed(1)}% `}${formatBytes(current.receivedBytes)}${total === null ? '' : `/${formatBytes(total)}`}${speed}${eta} ${current.state}   `,
      );
    } else {
      const step = fraction === null ? -1 : Math.floor(fraction * 10);
      if (step !== lastPlain) {
        lastPlain = step;
        io.out(`${current.state} ${formatBytes(current.receivedBytes)}${total === null ? '' : ` of ${formatBytes(total)}`}\n`);
      }
    }
  };
  io.err(`Downloading ${job.fileName} from ${job.url} into ${services.models.folder}\n`);
  // The transfer runs on sockets the event loop may not count while a job waits between retries;
  // this keeps the process alive until the job settles instead of exiting 0 half-way.
  const keepAlive = setInterval(() => undefined, 1000);
  const finished = await new Promise<DownloadJob>((resolveDone) => {
    const settle = (current: DownloadJob): void => {
      if (current.id !== id) return;
      render(current);
      if (['completed', 'failed', 'cancelled', 'paused'].includes(current.state)) {
        subscription.dispose();
        signal.removeEventListener('abort', onAbort);
        resolveDone(current);
      }
    };
    const onAbort = (): void => {
      void services.downloads.pause(id);
    };
    const subscription = services.downloads.onDidChange(settle);
    signal.addEventListener('abort', onAbort, { once: true });
    settle(services.downloads.get(id));
  });
  clearInterval(keepAlive);
  if (tty && options.json !== true) io.out('\n');
  if (options.json === true) io.out(`${JSON.stringify(finished)}\n`);
  switch (finished.state) {
    case 'completed':
      if (options.json !== true)
        io.out(
          `Installed ${finished.modelId ?? finished.fileName} (sha256 ${finished.sha256Expected === null ? 'not published: header checked only' : 'verified'})\n`,
        );
      return 0;
    case 'paused':
      io.err(
        finished.totalBytes !== null && finished.acceptRanges
          ? 'Paused; the partial file is kept. Run the same command again to resume.\n'
          : 'Paused. This server cannot resume a download: running the same command again starts it from the beginning.\n',
      );
      return 130;
    default:
      io.err(
        `Download ${finished.state}: ${finished.error?.message ?? 'no reason given'}${finished.error === null ? '' : ` (${finished.error.name})`}\n`,
      );
      return 1;
  }
}
