// Reduces whatever a call threw to the plain name + message the store keeps and the UI shows.
// ApiError keeps the class name main threw (e.g. InvalidPayloadError), so the name is meaningful.

export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
