// Named errors of model downloads. `retriable` tells the manager whether trying again may help
// (network trouble, 5xx, stalls) or not (404, no access, a wrong checksum, not a model).
export class DownloadError extends Error {
  override readonly name: string = 'DownloadError';
  readonly retriable: boolean;

  constructor(message: string, retriable: boolean, options?: ErrorOptions) {
    super(message, options);
    this.retriable = retriable;
  }
}

export class RemoteFileNotFoundError extends DownloadError {
  override readonly name = 'RemoteFileNotFoundError';
  constructor(url: string) {
    super(`Nothing to download at ${url} (404 Not Found): check the URI or pick the model from the catalog.`, false);
  }
}

export class RemoteAccessDeniedError extends DownloadError {
  override readonly name = 'RemoteAccessDeniedError';
  constructor(url: string, status: number) {
    super(
      `The server refused access to ${url} (${String(status)}). Gated Hugging Face models need you to accept their license on the website and a token; try another model.`,
      false,
    );
  }
}

export class RemoteServerError extends DownloadError {
  override readonly name = 'RemoteServerError';
  readonly status: number;
  constructor(url: string, status: number) {
    super(
      `The server answered ${String(status)} for ${url}; CodeSage retries with a growing delay.`,
      status >= 500 || status === 408 || status === 429,
    );
    this.status = status;
  }
}

export class DownloadNetworkError extends DownloadError {
  override readonly name = 'DownloadNetworkError';
  /** `resumable` false: the server cannot send part of the file (no ranges or no length). */
  constructor(url: string, cause: unknown, resumable = true) {
    super(
      `The connection to ${new URL(url).host} failed (${describeCause(cause)}). Check your network; ` +
        (resumable
          ? 'the download resumes where it stopped.'
          : 'the download starts again from the beginning (this server cannot resume one).'),
      true,
      {
        cause,
      },
    );
  }
}

export class DownloadStalledError extends DownloadError {
  override readonly name = 'DownloadStalledError';
  constructor(seconds: number) {
    super(`No data arrived for ${String(seconds)} s; the download was restarted from where it stopped.`, true);
  }
}

export class ChecksumMismatchError extends DownloadError {
  override readonly name = 'ChecksumMismatchError';
  constructor(fileName: string, expected: string, actual: string) {
    super(
      `${fileName} does not match its published checksum (expected sha256 ${expected.slice(0, 12)}…, got ${actual.slice(0, 12)}…). The file was deleted; download it again, and if it fails again the source is damaged.`,
      false,
    );
  }
}

export class InvalidDownloadedModelError extends DownloadError {
  override readonly name = 'InvalidDownloadedModelError';
  constructor(fileName: string, problem: string) {
    super(`${fileName} is not a usable GGUF model: ${problem} The file was deleted.`, false);
  }
}

export class InsufficientDiskSpaceError extends DownloadError {
  override readonly name = 'InsufficientDiskSpaceError';
  readonly neededBytes: number;
  readonly freeBytes: number;
  constructor(folder: string, neededBytes: number, freeBytes: number) {
    super(
      `Not enough disk space in ${folder}: the download needs ${formatGb(neededBytes)} and ${formatGb(freeBytes)} is free. Free some space or choose another storage location in Settings.`,
      false,
    );
    this.neededBytes = neededBytes;
    this.freeBytes = freeBytes;
  }
}

export class ModelAlreadyInstalledError extends DownloadError {
  override readonly name = 'ModelAlreadyInstalledError';
  constructor(fileName: string) {
    super(`${fileName} is already installed. Delete it first if you want to download it again.`, false);
  }
}

export class InvalidModelUriError extends DownloadError {
  override readonly name = 'InvalidModelUriError';
  constructor(uri: string) {
    super(`"${uri}" is not a model address. Use hf:owner/repo/file.gguf, hf:owner/repo:Q4_K_M, or an http(s) URL of a .gguf file.`, false);
  }
}

export class DownloadNotFoundError extends Error {
  override readonly name = 'DownloadNotFoundError';
  constructor(id: string) {
    super(`There is no download "${id}"; it may have been removed. Refresh the downloads list.`);
  }
}

function formatGb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}

/** The pinned download engine lacks what guardDownloadWrites relies on: a broken install or an unchecked upgrade. */
export class IpullInternalsChangedError extends DownloadError {
  override readonly name = 'IpullInternalsChangedError';
  constructor(missing: string) {
    super(
      `The download engine (ipull) no longer has ${missing}, which CodeSage needs to save download progress safely. ` +
        'This is a packaging error: reinstall CodeSage, or report it.',
      false,
    );
  }
}

/** Writing the downloaded bytes failed (a full disk, a removed drive, no permission); the partial file is kept. */
export class DiskWriteError extends DownloadError {
  override readonly name = 'DiskWriteError';
  readonly code: string | null;
  constructor(fileName: string, folder: string, cause: unknown) {
    const code = (cause as { code?: unknown } | null)?.code;
    const [reason, remedy] =
      code === 'ENOSPC'
        ? ['the disk is full', 'free some space on that disk']
        : code === 'EACCES' || code === 'EPERM'
          ? ['CodeSage may not write there', 'check the folder’s permissions']
          : [`the system said: ${describeCause(cause)}`, 'check the disk'];
    super(`Could not write ${fileName} to ${folder}: ${reason}. What was downloaded is kept: ${remedy}, then resume the download.`, false, {
      cause,
    });
    this.code = typeof code === 'string' ? code : null;
  }
}

/** A cancelled download whose partial file could not be deleted (on Windows, another program has it open). */
export class PartialNotDeletedError extends DownloadError {
  override readonly name = 'PartialNotDeletedError';
  constructor(fileName: string, folder: string, cause: unknown) {
    super(
      `The download of ${fileName} is cancelled, but its partial file could not be deleted (${describeCause(cause)}). ` +
        `Dismiss the download to try again once no other program uses it, or delete ${folder} yourself.`,
      false,
      { cause },
    );
  }
}
