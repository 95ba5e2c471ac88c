// Renders the app on the Chat view against a fake backend that, unless told otherwise, has one
// model installed and loaded, and waits until the view has main's model state.
import { screen, waitFor } from '@testing-library/react';
import { createFakeBackend } from './createFakeBackend';
import type { FakeBackend, FakeBackendOptions } from './createFakeBackend';
import { readyLlmState } from './chatFixtures';
import { installedModelFixture } from './fixtures';
import { renderApp } from './renderApp';
import type { RenderedApp } from './renderApp';

export async function renderChat(options: FakeBackendOptions | FakeBackend = {}): Promise<RenderedApp> {
  const backend =
    'raw' in options ? options : createFakeBackend({ models: [installedModelFixture()], llmState: readyLlmState(), ...options });
  const rendered = renderApp({ backend, view: 'chat' });
  await waitFor(() => {
    const state = screen.queryByTestId('model-state') ?? screen.queryByTestId('chat-empty-no-models');
    if (state === null || state.textContent.startsWith('Checking')) throw new Error('The model state has not arrived yet.');
  });
  await waitFor(() => {
    if (screen.queryByText('Loading chats…') !== null) throw new Error('The chat list has not arrived yet.');
  });
  return rendered;
}

/** Sends a message through the composer as the user would (typing, then Enter). */
export async function sendMessage(rendered: RenderedApp, text: string): Promise<void> {
  const composer = screen.getByTestId('chat-composer');
  await rendered.user.click(composer);
  await rendered.user.keyboard(text.replace(/[{[]/g, '$&$&'));
  await rendered.user.keyboard('{Enter}');
  await waitFor(() => {
    if (rendered.backend.streamingMessage() === undefined) throw new Error('The answer has not started.');
  });
}
