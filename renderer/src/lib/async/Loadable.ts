// A value main has not answered with yet, has answered with, or failed to give.
import type { ErrorInfo } from '../errors/toErrorInfo';

export type Loadable<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly value: T }
  | { readonly status: 'failed'; readonly error: ErrorInfo };
