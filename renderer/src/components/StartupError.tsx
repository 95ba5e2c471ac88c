// Shown instead of the shell when the renderer cannot even reach main (e.g. the preload bridge is
// missing a domain the contract names): says what happened and what to try.
import type { ErrorInfo } from '../lib/errors/toErrorInfo';

export interface StartupErrorProps {
  readonly error: ErrorInfo;
}

export function StartupError({ error }: StartupErrorProps) {
  return (
    <main className="startup-error">
      <div className="alert alert-error" role="alert">
        <h1 className="alert-title">CodeSage could not start its interface</h1>
        <p>
          {error.message} <span className="alert-detail">({error.name})</span>
        </p>
        <p>Restart CodeSage. If this keeps happening, reinstall it; your data directory is left untouched.</p>
      </div>
    </main>
  );
}
