// An error the OpenAI-compatible API answers with: an HTTP status plus OpenAI's error body
// `{ error: { message, type, param, code } }`, which every OpenAI client turns into its own typed
// errors (BadRequestError, NotFoundError, …). Messages say what to do next, as everywhere in CodeSage.

export type OpenAiErrorType = 'invalid_request_error' | 'authentication_error' | 'permission_error' | 'server_error';

export interface OpenAiErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: OpenAiErrorType;
    readonly param: string | null;
    readonly code: string | null;
  };
}

export interface OpenAiApiErrorOptions {
  readonly type?: OpenAiErrorType;
  readonly param?: string | null;
  readonly code?: string | null;
  /** False for conditions a retry cannot fix soon (OpenAI clients retry 409 and 5xx by default). */
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

export class OpenAiApiError extends Error {
  override readonly name = 'OpenAiApiError';
  readonly type: OpenAiErrorType;
  readonly param: string | null;
  readonly code: string | null;
  readonly retryable: boolean;

  constructor(
    readonly status: number,
    message: string,
    options: OpenAiApiErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.type = options.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
    this.param = options.param ?? null;
    this.code = options.code ?? null;
    this.retryable = options.retryable ?? status >= 500;
  }

  toBody(): OpenAiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}
