// jsdom has no matchMedia. This fake answers prefers-color-scheme from a switch tests can flip,
// and notifies 'change' listeners like a browser does when the OS theme changes.

const DARK_QUERY = '(prefers-color-scheme: dark)';

class FakeMediaQueryList extends EventTarget implements MediaQueryList {
  onchange: ((this: MediaQueryList, event: MediaQueryListEvent) => unknown) | null = null;

  constructor(readonly media: string) {
    super();
  }

  get matches(): boolean {
    return this.media === DARK_QUERY && prefersDark;
  }

  addListener(listener: ((this: MediaQueryList, event: MediaQueryListEvent) => unknown) | null): void {
    if (listener !== null) this.addEventListener('change', listener as EventListener);
  }

  removeListener(listener: ((this: MediaQueryList, event: MediaQueryListEvent) => unknown) | null): void {
    if (listener !== null) this.removeEventListener('change', listener as EventListener);
  }
}

let prefersDark = false;
const queries = new Set<FakeMediaQueryList>();

export function installFakeMatchMedia(): void {
  window.matchMedia = (media: string): MediaQueryList => {
    const query = new FakeMediaQueryList(media);
    queries.add(query);
    return query;
  };
}

/** Sets the OS preference and fires 'change' on every query created so far. */
export function setPrefersDark(dark: boolean): void {
  if (prefersDark === dark) return;
  prefersDark = dark;
  for (const query of queries) query.dispatchEvent(new Event('change'));
}

export function resetFakeMatchMedia(): void {
  prefersDark = false;
  queries.clear();
}
