// Whether the page runs on macOS, where shortcuts use Cmd instead of Ctrl. Asks the browser, not
// main: in serve mode the server's platform says nothing about the machine with the keyboard.

export function isMacPlatform(): boolean {
  return /Mac|iPhone|iPad/.test(window.navigator.userAgent);
}
