// Keeps a scrolling container pinned to its bottom while content grows (a streaming answer), unless
// the user has scrolled up to read; scrolling back to the bottom pins it again, as does a new `resetKey`.
import { useLayoutEffect, useRef } from 'react';
import type { RefObject } from 'react';

/** How close to the bottom (px) still counts as "at the bottom". */
const PIN_DISTANCE = 48;

export interface AutoScroll<T extends HTMLElement> {
  readonly ref: RefObject<T | null>;
  readonly onScroll: () => void;
}

export function useAutoScroll<T extends HTMLElement>(resetKey: string, contentKey: string): AutoScroll<T> {
  const ref = useRef<T>(null);
  const pinned = useRef(true);
  const lastResetKey = useRef(resetKey);

  useLayoutEffect(() => {
    if (lastResetKey.current !== resetKey) {
      lastResetKey.current = resetKey;
      pinned.current = true;
    }
    const element = ref.current;
    if (element !== null && pinned.current) element.scrollTop = element.scrollHeight;
  }, [resetKey, contentKey]);

  const onScroll = (): void => {
    const element = ref.current;
    if (element !== null) pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight <= PIN_DISTANCE;
  };

  return { ref, onScroll };
}
