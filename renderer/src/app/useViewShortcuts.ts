// Ctrl+1..6 (Cmd+1..6 on macOS) switch views, in VIEW_IDS order. Matches the physical digit keys
// (event.code) first, so layouts whose digit row needs Shift (AZERTY) work too.
import { useEffect } from 'react';
import { isMacPlatform } from '../lib/platform/isMacPlatform';
import { VIEW_IDS } from './store/navigationSlice';
import type { ViewId } from './store/navigationSlice';

const DIGIT_CODE = /^(?:Digit|Numpad)([0-9])$/;

export function viewForShortcut(event: KeyboardEvent, mac: boolean): ViewId | undefined {
  const primary = mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  if (!primary || event.altKey || event.shiftKey) return undefined;
  const digit = DIGIT_CODE.exec(event.code)?.[1] ?? event.key;
  if (!/^[1-9]$/.test(digit)) return undefined;
  return VIEW_IDS[Number(digit) - 1];
}

export function useViewShortcuts(navigate: (view: ViewId) => void): void {
  useEffect(() => {
    const mac = isMacPlatform();
    const handleKeyDown = (event: KeyboardEvent): void => {
      const view = viewForShortcut(event, mac);
      if (view === undefined) return;
      event.preventDefault();
      navigate(view);
    };
    window.addEventListener('keydown', handleKeyDown);
    return () => {
      window.removeEventListener('keydown', handleKeyDown);
    };
  }, [navigate]);
}
