import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activeBranch } from '../../../../../common/chat/chatSchema';
import { conversationFixture, exchangeFixture, messageFixture } from '../../../test/chatFixtures';
import { createFakeBackend } from '../../../test/createFakeBackend';
import { installedModelFixture } from '../../../test/fixtures';
import { readyLlmState } from '../../../test/chatFixtures';
import { renderChat, sendMessage } from '../../../test/renderChat';
import type { RenderedApp } from '../../../test/renderApp';

function textarea(testId: string): HTMLTextAreaElement {
  const element = screen.getByTestId(testId);
  if (!(element instanceof HTMLTextAreaElement)) throw new Error(`${testId} is not a textarea`);
  return element;
}

function button(element: HTMLElement): HTMLButtonElement {
  if (!(element instanceof HTMLButtonElement)) throw new Error('not a button');
  return element;
}

async function openConversation(rendered: RenderedApp, title: string): Promise<void> {
  const item = screen.getAllByTestId('chat-conversation-item').find((li) => li.textContent.includes(title));
  if (item === undefined) throw new Error(`No conversation titled ${title}`);
  await rendered.user.click(within(item).getByTestId('chat-conversation-open'));
  await screen.findAllByTestId('chat-message-user');
}

function onlyAnswer(): HTMLElement {
  const answers = screen.getAllByTestId('chat-message-assistant');
  expect(answers).toHaveLength(1);
  return answers[0]!;
}

/** jsdom's Blob has no text(); FileReader reads it. */
function readBlob(blob: Blob | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    if (blob === undefined) {
      reject(new Error('no blob'));
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      resolve(typeof reader.result === 'string' ? reader.result : '');
    };
    reader.onerror = () => {
      reject(new Error('unreadable blob'));
    };
    reader.readAsText(blob);
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Chat thread', () => {
  it('streams an answer as deltas arrive, then shows its metrics, notices and completion', async () => {
    const rendered = await renderChat();
    const { backend } = rendered;
    await sendMessage(rendered, 'Explain closures');

    // The conversation was created for the first message, then the message sent to it.
    const created = [...backend.conversations.values()][0]!;
    expect(backend.inputsOf('chats.create')).toEqual([undefined]);
    expect(backend.inputsOf('chats.send')).toEqual([{ conversationId: created.id, content: 'Explain closures' }]);
    expect(textarea('chat-composer').value).toBe('');
    expect(screen.getByTestId('chat-message-user').textContent).toContain('Explain closures');

    const answer = await screen.findByTestId('chat-message-assistant');
    expect(answer.dataset.status).toBe('streaming');
    expect(within(answer).getByTestId('chat-status').textContent).toBe('Writing');
    expect(screen.getByTestId('chat-announcement').textContent).toBe('Writing an answer…');
    expect(screen.queryByTestId('chat-send')).toBeNull();

    act(() => {
      backend.stream('A closure ');
    });
    expect(answer.textContent).toContain('A closure');
    expect(answer.textContent).not.toContain('captures');
    act(() => {
      backend.stream('**captures** the variables around it.');
    });
    expect(within(answer).getByText('captures').tagName).toBe('STRONG');
    expect(answer.textContent).toContain('A closure captures the variables around it.');
    expect(within(answer).queryByTestId('chat-metrics')).toBeNull();

    act(() => {
      backend.finishAnswer({ notices: ["Earlier messages were dropped from the model's context to make room."] });
    });
    expect(answer.dataset.status).toBe('complete');
    expect(within(answer).queryByTestId('chat-status')).toBeNull();
    expect(within(answer).getByTestId('chat-metrics').textContent).toBe(
      '41 tokens · 23.5 tok/s · first token 120 ms · prompt 230 tokens · CPU · Qwen2.5 Coder 1.5B Q4_K_M',
    );
    expect(within(answer).getByTestId('chat-notice').textContent).toBe(
      "Earlier messages were dropped from the model's context to make room.",
    );
    expect(screen.getByTestId('chat-announcement').textContent).toBe('Answer complete.');
    expect(screen.getByTestId('chat-announcement').getAttribute('aria-live')).toBe('polite');
    expect(screen.queryByTestId('chat-stop')).toBeNull();
    // The conversation is listed, titled after the first message.
    expect(screen.getByTestId('chat-conversation-item').textContent).toContain('Explain closures');
  });

  it('keeps text streamed before the send answer arrives, and the final state after it', async () => {
    const rendered = await renderChat();
    const { backend } = rendered;
    const held = backend.holdAnswer('chats.send');
    await sendMessage(rendered, 'Hello');
    act(() => {
      backend.stream('Hi ');
      backend.stream('there.');
    });
    await act(async () => {
      held.release();
      await Promise.resolve();
    });
    await waitFor(() => {
      expect(backend.inputsOf('chats.send')).toHaveLength(1);
    });
    expect(onlyAnswer().textContent).toContain('Hi there.');

    // Now the final event comes before the (stale) answer of a second send.
    act(() => {
      backend.finishAnswer();
    });
    const second = backend.holdAnswer('chats.send');
    await sendMessage(rendered, 'Thanks');
    act(() => {
      backend.stream('You are welcome.');
      backend.finishAnswer();
    });
    await act(async () => {
      second.release();
      await Promise.resolve();
    });
    const answers = screen.getAllByTestId('chat-message-assistant');
    await waitFor(() => {
      expect(answers[1]?.dataset.status).toBe('complete');
    });
    expect(answers[1]?.textContent).toContain('You are welcome.');
    expect(within(answers[1]!).getByTestId('chat-metrics')).toBeTruthy();
  });

  it('sends with Enter, keeps Shift+Enter as a new line and shows the user text as written', async () => {
    const rendered = await renderChat();
    await rendered.user.click(textarea('chat-composer'));
    await rendered.user.keyboard('fn main() {{{Shift>}{Enter}{/Shift}    println!("hi");');
    expect(textarea('chat-composer').value).toBe('fn main() {\n    println!("hi");');
    expect(rendered.backend.inputsOf('chats.send')).toEqual([]);
    await rendered.user.keyboard('{Enter}');
    await waitFor(() => {
      expect(rendered.backend.inputsOf('chats.send')).toHaveLength(1);
    });
    const message = await screen.findByTestId('chat-message-user');
    // Plain text, whitespace kept (pre-wrap), no Markdown.
    expect(message.querySelector('.chat-user-text')?.textContent).toBe('fn main() {\n    println!("hi");');
  });

  it('stops the answer being written and marks it stopped, keeping its text', async () => {
    const rendered = await renderChat();
    const { backend, user } = rendered;
    await sendMessage(rendered, 'Write a long essay');
    act(() => {
      backend.stream('Once upon a time');
    });
    const conversationId = [...backend.conversations.keys()][0];
    await user.click(screen.getByTestId('chat-stop'));
    expect(backend.inputsOf('chats.stop')).toEqual([{ conversationId }]);
    const answer = onlyAnswer();
    await waitFor(() => {
      expect(answer.dataset.status).toBe('stopped');
    });
    expect(within(answer).getByTestId('chat-status').textContent).toBe('Stopped');
    expect(answer.textContent).toContain('Once upon a time');
    expect(screen.getByTestId('chat-announcement').textContent).toBe('Answer stopped.');
    expect(screen.getByTestId('chat-send')).toBeTruthy();
  });

  it('shows interrupted and failed answers with their reasons', async () => {
    const conversation = conversationFixture({
      id: 'c1',
      title: 'Broken answers',
      messages: [
        messageFixture({ id: 'u1', role: 'user', content: 'First' }),
        messageFixture({ id: 'a1', role: 'assistant', parentId: 'u1', content: 'Half an ans', status: 'incomplete' }),
        messageFixture({ id: 'u2', parentId: 'a1', role: 'user', content: 'Second' }),
        messageFixture({
          id: 'a2',
          role: 'assistant',
          parentId: 'u2',
          status: 'error',
          error: 'The model ran out of context. Start a new chat or raise the context size.',
        }),
      ],
    });
    const rendered = await renderChat({ conversations: [conversation] });
    await openConversation(rendered, 'Broken answers');
    const [interrupted, failed] = screen.getAllByTestId('chat-message-assistant');
    expect(interrupted?.dataset.status).toBe('incomplete');
    expect(within(interrupted!).getByTestId('chat-status').textContent).toBe('Interrupted: the app stopped before this answer finished');
    expect(interrupted?.textContent).toContain('Half an ans');
    expect(failed?.dataset.status).toBe('error');
    expect(within(failed!).getByTestId('chat-error-detail').textContent).toContain('The model ran out of context.');
    // Only the last answer can be regenerated.
    expect(within(interrupted!).queryByTestId('chat-regenerate')).toBeNull();
    expect(within(failed!).getByTestId('chat-regenerate')).toBeTruthy();
  });

  it('regenerates the last answer beside the old one and switches between them with selectBranch', async () => {
    const rendered = await renderChat({
      conversations: [exchangeFixture('c1', 'What is a monad?', 'A monoid in the category of endofunctors.')],
    });
    const { backend, user } = rendered;
    await openConversation(rendered, 'What is a monad?');
    expect(within(onlyAnswer()).queryByTestId('branch-position')).toBeNull();

    await user.click(screen.getByTestId('chat-regenerate'));
    expect(backend.inputsOf('chats.regenerate')).toEqual([{ conversationId: 'c1', messageId: 'c1-a1' }]);
    await waitFor(() => {
      expect(onlyAnswer().dataset.status).toBe('streaming');
    });
    // Versions cannot be switched while an answer is written.
    expect(button(within(onlyAnswer()).getByTestId('branch-prev')).disabled).toBe(true);
    act(() => {
      backend.stream('A way to chain computations.');
      backend.finishAnswer();
    });
    const newAnswerId = backend.conversations.get('c1')?.activeLeafId;
    expect(within(onlyAnswer()).getByTestId('branch-position').textContent).toBe('2/2');
    expect(onlyAnswer().textContent).toContain('A way to chain computations.');
    expect(button(within(onlyAnswer()).getByTestId('branch-next')).disabled).toBe(true);

    await user.click(within(onlyAnswer()).getByTestId('branch-prev'));
    expect(backend.inputsOf('chats.selectBranch')).toEqual([{ conversationId: 'c1', messageId: 'c1-a1' }]);
    await waitFor(() => {
      expect(onlyAnswer().textContent).toContain('A monoid in the category of endofunctors.');
    });
    expect(within(onlyAnswer()).getByTestId('branch-position').textContent).toBe('1/2');

    await user.click(within(onlyAnswer()).getByTestId('branch-next'));
    expect(backend.inputsOf('chats.selectBranch')).toEqual([
      { conversationId: 'c1', messageId: 'c1-a1' },
      { conversationId: 'c1', messageId: newAnswerId },
    ]);
    await waitFor(() => {
      expect(onlyAnswer().textContent).toContain('A way to chain computations.');
    });
  });

  it('edits a user message into a new version with a new answer, keeping the old branch', async () => {
    const rendered = await renderChat({ conversations: [exchangeFixture('c1', 'Sort a list in Python', 'Use sorted(xs).')] });
    const { backend, user } = rendered;
    await openConversation(rendered, 'Sort a list in Python');

    // Cancel leaves everything as it was.
    await user.click(screen.getByTestId('chat-edit'));
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('chat-edit-input')).toBeNull();

    await user.click(screen.getByTestId('chat-edit'));
    const input = textarea('chat-edit-input');
    expect(input.value).toBe('Sort a list in Python');
    await user.clear(input);
    await user.type(input, 'Sort a list in Rust');
    await user.click(screen.getByTestId('chat-edit-save'));
    expect(backend.inputsOf('chats.edit')).toEqual([{ conversationId: 'c1', messageId: 'c1-u1', content: 'Sort a list in Rust' }]);
    await waitFor(() => {
      expect(screen.queryByTestId('chat-edit-input')).toBeNull();
    });
    const user1 = screen.getByTestId('chat-message-user');
    expect(user1.textContent).toContain('Sort a list in Rust');
    expect(within(user1).getByTestId('branch-position').textContent).toBe('2/2');
    expect(onlyAnswer().dataset.status).toBe('streaming');
    act(() => {
      backend.stream('Use xs.sort().');
      backend.finishAnswer();
    });

    await user.click(within(screen.getByTestId('chat-message-user')).getByTestId('branch-prev'));
    expect(backend.inputsOf('chats.selectBranch')).toEqual([{ conversationId: 'c1', messageId: 'c1-u1' }]);
    await waitFor(() => {
      expect(screen.getByTestId('chat-message-user').textContent).toContain('Sort a list in Python');
    });
    expect(onlyAnswer().textContent).toContain('Use sorted(xs).');
    const stored = backend.conversations.get('c1');
    expect(stored === undefined ? [] : activeBranch(stored).map((m) => m.id)).toEqual(['c1-u1', 'c1-a1']);
  });

  it('keeps the message and says why when main refuses it', async () => {
    const backend = createFakeBackend({ models: [installedModelFixture()], llmState: readyLlmState() });
    backend.failNext('chats.send', {
      name: 'GenerationInProgressError',
      message: 'An answer is still being written in this conversation.',
    });
    const rendered = await renderChat(backend);
    await rendered.user.type(textarea('chat-composer'), 'Please keep me{Enter}');
    const alert = await screen.findByTestId('chat-error');
    expect(alert.textContent).toContain('Your message was not sent. It is still in the message box.');
    expect(alert.textContent).toContain('GenerationInProgressError');
    expect(textarea('chat-composer').value).toBe('Please keep me');
    await rendered.user.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('chat-error')).toBeNull();
  });

  it('disables the composer with the reason while no model is loaded', async () => {
    await renderChat({ llmState: { status: 'idle' } });
    expect(textarea('chat-composer').disabled).toBe(true);
    expect(screen.getByTestId('chat-composer-hint').textContent).toBe(
      'No model is loaded. Pick a model above and press Load to start chatting.',
    );
    expect(textarea('chat-composer').getAttribute('aria-describedby')).toBe(screen.getByTestId('chat-composer-hint').id);
    expect(button(screen.getByTestId('chat-send')).disabled).toBe(true);
  });
});

describe('Chat list', () => {
  it('searches every conversation, shows the matches in context and opens the chosen one', async () => {
    const rendered = await renderChat({
      conversations: [
        exchangeFixture('c1', 'Closures in JavaScript', 'A closure captures variables.', '2025-01-02T00:00:00.000Z'),
        exchangeFixture('c2', 'Ownership in Rust', 'The borrow checker rejects dangling references.', '2025-01-01T00:00:00.000Z'),
      ],
    });
    const { backend, user } = rendered;
    expect(screen.getAllByTestId('chat-conversation-item').map((item) => item.textContent)).toEqual([
      expect.stringContaining('Closures in JavaScript'),
      expect.stringContaining('Ownership in Rust'),
    ]);

    await user.type(screen.getByTestId('chat-search'), 'borrow');
    const hits = await screen.findAllByTestId('chat-search-hit');
    expect(backend.inputsOf('chats.search').at(-1)).toEqual({ query: 'borrow' });
    expect(hits).toHaveLength(1);
    expect(hits[0]?.textContent).toContain('Ownership in Rust');
    expect(hits[0]?.querySelector('mark')?.textContent).toBe('borrow');
    expect(screen.queryByTestId('chat-conversation-item')).toBeNull();

    await user.click(hits[0]!);
    expect(backend.inputsOf('chats.get')).toEqual([{ conversationId: 'c2' }]);
    await waitFor(() => {
      expect(onlyAnswer().textContent).toContain('The borrow checker rejects dangling references.');
    });

    await user.clear(screen.getByTestId('chat-search'));
    await user.type(screen.getByTestId('chat-search'), 'haskell');
    expect(await screen.findByText('No chats match “haskell”.')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.getAllByTestId('chat-conversation-item')).toHaveLength(2);
  });

  it('starts a new chat, renames it inline and deletes it after confirmation', async () => {
    const rendered = await renderChat({ conversations: [exchangeFixture('c1', 'Keep me', 'ok')] });
    const { backend, user } = rendered;
    await user.click(screen.getByTestId('chat-new'));
    await waitFor(() => {
      expect(screen.getAllByTestId('chat-conversation-item')).toHaveLength(2);
    });
    const newId = [...backend.conversations.keys()].find((id) => id !== 'c1');
    const active = (): HTMLElement => {
      const item = screen.getAllByTestId('chat-conversation-item').find((li) => within(li).queryByTestId('chat-rename') !== null);
      if (item === undefined) throw new Error('no active conversation');
      return item;
    };
    expect(active().textContent).toContain('New chat');

    await user.click(within(active()).getByTestId('chat-rename'));
    const title = screen.getByTestId('chat-rename-input');
    await user.clear(title);
    await user.type(title, 'Regex questions{Enter}');
    expect(backend.inputsOf('chats.rename')).toEqual([{ conversationId: newId, title: 'Regex questions' }]);
    await waitFor(() => {
      expect(active().textContent).toContain('Regex questions');
    });

    await user.click(within(active()).getByTestId('chat-delete'));
    expect(backend.inputsOf('chats.delete')).toEqual([]);
    await user.click(screen.getByTestId('chat-delete-cancel'));
    await user.click(within(active()).getByTestId('chat-delete'));
    await user.click(screen.getByTestId('chat-delete-confirm'));
    expect(backend.inputsOf('chats.delete')).toEqual([{ conversationId: newId }]);
    await waitFor(() => {
      expect(screen.getAllByTestId('chat-conversation-item')).toHaveLength(1);
    });
    expect(screen.getByTestId('chat-conversation-item').textContent).toContain('Keep me');
    expect(screen.getByText('Start a conversation')).toBeTruthy();
  });

  it('exports the open conversation as Markdown and as JSON through a download', async () => {
    const created: Blob[] = [];
    const downloads: { name: string; href: string }[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return `blob:codesage/${String(created.length)}`;
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push({ name: this.download, href: this.href });
    });
    const rendered = await renderChat({ conversations: [exchangeFixture('c1', 'Export me', 'Exported answer.')] });
    await openConversation(rendered, 'Export me');

    await rendered.user.click(screen.getByTestId('chat-export-markdown'));
    await waitFor(() => {
      expect(downloads).toHaveLength(1);
    });
    expect(rendered.backend.inputsOf('chats.export')).toEqual([{ conversationId: 'c1', format: 'markdown' }]);
    expect(downloads[0]).toEqual({ name: 'export-me.md', href: 'blob:codesage/1' });
    expect(created[0]?.type).toBe('text/markdown');
    expect(await readBlob(created[0])).toContain('Exported answer.');

    await rendered.user.click(screen.getByTestId('chat-export-json'));
    await waitFor(() => {
      expect(downloads).toHaveLength(2);
    });
    expect(downloads[1]?.name).toBe('export-me.json');
    expect(JSON.parse(await readBlob(created[1]))).toMatchObject({ id: 'c1', title: 'Export me' });
    // Nothing is left in the document.
    expect(document.querySelectorAll('a[download]')).toHaveLength(0);
  });
});

describe('Chat settings', () => {
  it('validates the settings inline and saves them with chats.configure', async () => {
    const rendered = await renderChat({ conversations: [exchangeFixture('c1', 'Tune me', 'ok')] });
    const { backend, user } = rendered;
    await openConversation(rendered, 'Tune me');
    await user.click(screen.getByTestId('chat-settings-toggle'));
    expect(screen.getByTestId('chat-settings-toggle').getAttribute('aria-expanded')).toBe('true');
    const save = button(screen.getByTestId('chat-settings-save'));
    expect(save.disabled).toBe(true);

    const field = (name: string): HTMLInputElement => screen.getByLabelText(name);
    await user.clear(field('Temperature'));
    await user.type(field('Temperature'), '3');
    expect(field('Temperature').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Enter a number from 0 to 2.')).toBeTruthy();
    expect(save.disabled).toBe(true);
    await user.clear(field('Temperature'));
    await user.type(field('Temperature'), '0.2');
    expect(field('Temperature').getAttribute('aria-invalid')).toBe('false');

    await user.clear(field('Context size'));
    await user.type(field('Context size'), '100');
    expect(screen.getByText('Enter auto, or a whole number from 256 to 1048576.')).toBeTruthy();
    await user.clear(field('Context size'));
    await user.type(field('Context size'), '4096');
    await user.type(field('Seed'), '-1');
    expect(save.disabled).toBe(true);
    await user.clear(field('Seed'));
    await user.type(field('Seed'), '42');

    await user.selectOptions(screen.getByLabelText('System prompt preset'), 'Concise');
    expect(textarea('chat-settings-systemPrompt').value).toBe('You are CodeSage. Answer in as few words as correctness allows.');
    await user.type(textarea('chat-settings-systemPrompt'), ' Use Rust.');
    expect(screen.getByLabelText<HTMLSelectElement>('System prompt preset').value).toBe('custom');

    await user.click(save);
    expect(backend.inputsOf('chats.configure')).toEqual([
      {
        conversationId: 'c1',
        systemPrompt: 'You are CodeSage. Answer in as few words as correctness allows. Use Rust.',
        params: { temperature: 0.2, topP: 0.95, maxTokens: 1024, contextSize: 4096, seed: 42 },
      },
    ]);
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    expect(backend.conversations.get('c1')?.params.seed).toBe(42);

    // Escape closes the panel and gives focus back to its button.
    await user.click(field('Seed'));
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('chat-settings')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('chat-settings-toggle'));
    expect(screen.getByTestId('chat-settings-toggle').getAttribute('aria-expanded')).toBe('false');
  });
});
