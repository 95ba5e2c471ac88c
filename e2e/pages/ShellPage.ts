// Page object for the app shell: sidebar navigation, views and the status bar.
import type { Locator, Page } from '@playwright/test';

export const VIEWS = ['chat', 'repos', 'review', 'models', 'feedback', 'settings'] as const;
export type ViewName = (typeof VIEWS)[number];

export class ShellPage {
  constructor(readonly page: Page) {}

  nav(view: ViewName): Locator {
    return this.page.getByTestId(`nav-${view}`);
  }

  view(view: ViewName): Locator {
    return this.page.getByTestId(`view-${view}`);
  }

  get backend(): Locator {
    return this.page.getByTestId('status-backend');
  }

  get memory(): Locator {
    return this.page.getByTestId('status-memory');
  }

  get shell(): Locator {
    return this.page.getByTestId('status-shell');
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.nav('chat').waitFor();
  }
}
