// A small button that copies text and says "Copied" (or that copying did not work) for a moment.
import { useEffect, useRef, useState } from 'react';
import { copyText } from '../../../lib/clipboard/copyText';

export interface CopyButtonProps {
  readonly text: string;
  /** Accessible name before copying, e.g. "Copy code". */
  readonly label: string;
  readonly testId?: string;
}

type CopyState = 'idle' | 'copied' | 'failed';

const RESET_AFTER_MS = 2000;

export function CopyButton({ text, label, testId }: CopyButtonProps) {
  const [state, setState] = useState<CopyState>('idle');
  const resetTimer = useRef<number | undefined>(undefined);

  useEffect(
    () => () => {
      window.clearTimeout(resetTimer.current);
    },
    [],
  );

  const copy = async (): Promise<void> => {
    const copied = await copyText(text);
    setState(copied ? 'copied' : 'failed');
    window.clearTimeout(resetTimer.current);
    resetTimer.current = window.setTimeout(() => {
      setState('idle');
    }, RESET_AFTER_MS);
  };

  return (
    <button
      type="button"
      className={`button button-small button-quiet copy-button copy-${state}`}
      data-testid={testId}
      aria-label={state === 'idle' ? label : undefined}
      onClick={() => {
        void copy();
      }}
    >
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}</span>
    </button>
  );
}
