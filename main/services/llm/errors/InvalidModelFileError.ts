// Thrown when a model file exists but cannot be a loadable model: not GGUF at all, cut off by an
// unfinished download, unreadable, or refused by llama.cpp. `reason` lets a UI offer the right fix.
import type { InvalidModelFileReason } from '../../models/inspectGgufFile';

export type InvalidModelFileErrorReason = InvalidModelFileReason | 'rejected';

export class InvalidModelFileError extends Error {
  override readonly name = 'InvalidModelFileError';
  readonly reason: InvalidModelFileErrorReason;
  readonly path: string;

  /** `problem` says what is wrong and what to do (as ModelLibrary reports it). */
  constructor(modelName: string, path: string, reason: InvalidModelFileErrorReason, problem: string, options?: ErrorOptions) {
    super(`Cannot load "${modelName}": ${problem}`, options);
    this.reason = reason;
    this.path = path;
  }
}
