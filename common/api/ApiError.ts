// Errors that crossed a boundary. `name` keeps the class name main threw (e.g. InvalidPayloadError),
// so callers can branch on it without sharing classes across processes.
import type { SerializedError } from './contractKit';

export class ApiError extends Error {
  readonly details: readonly string[];

  constructor(serialized: SerializedError) {
    super(serialized.message);
    this.name = serialized.name;
    this.details = serialized.details ?? [];
  }
}

/** Thrown by the dispatcher and the client when a payload does not match the contract. */
export class InvalidPayloadError extends Error {
  override readonly name = 'InvalidPayloadError';
  readonly details: readonly string[];

  constructor(message: string, details: readonly string[] = []) {
    super(message);
    this.details = details;
  }
}

/** Thrown when a channel names no method of the contract. */
export class UnknownMethodError extends Error {
  override readonly name = 'UnknownMethodError';
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const details = (error as { details?: unknown }).details;
    return {
      name: error.name,
      message: error.message,
      ...(Array.isArray(details) && details.every((d) => typeof d === 'string') ? { details } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}
