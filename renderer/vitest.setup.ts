// Setup for the renderer's jsdom tests: unmount what each test rendered, give jsdom the
// matchMedia it lacks, and start every test from a document without a theme.
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { installFakeMatchMedia, resetFakeMatchMedia } from './src/test/fakeMatchMedia';

installFakeMatchMedia();

beforeEach(() => {
  resetFakeMatchMedia();
  delete document.documentElement.dataset.theme;
  delete window.codesage;
});

afterEach(() => {
  cleanup();
});
