// E2E: the real renderer in Debian's Chromium against serve mode (project "serve"), and the
// Electron window's security settings through Playwright's _electron (project "electron", which
// skips itself when the Electron binary is absent). Never `npx playwright install`: the browser
// comes from `apt-get install chromium`.
import { defineConfig } from '@playwright/test';

const executablePath = process.env.CODESAGE_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  projects: [
    {
      name: 'serve',
      testMatch: /.*\.spec\.ts$/,
      testIgnore: /electron\//,
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
    { name: 'electron', testMatch: /electron\/.*\.spec\.ts$/ },
  ],
});
