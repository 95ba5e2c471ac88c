import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createFakeBackend } from '../../../test/createFakeBackend';
import { conversationFixture } from '../../../test/chatFixtures';
import { installedModelFixture } from '../../../test/fixtures';
import { renderChat } from '../../../test/renderChat';

const coder = installedModelFixture();
const broken = installedModelFixture({
  id: 'broken.gguf',
  name: 'Broken model',
  problem: 'The file is not a GGUF model (bad magic number). Download it again.',
});

function picker(): HTMLSelectElement {
  const element = screen.getByTestId('model-picker');
  if (!(element instanceof HTMLSelectElement)) throw new Error('model-picker is not a select');
  return element;
}

function buttonByTestId(testId: string): HTMLButtonElement {
  const element = screen.getByTestId(testId);
  if (!(element instanceof HTMLButtonElement)) throw new Error(`${testId} is not a button`);
  return element;
}

describe('Model bar', () => {
  it('explains where models go when none is installed and leads to the Models view', async () => {
    const backend = createFakeBackend({ models: [], modelsFolder: '/home/ada/.config/CodeSage/models' });
    const { user } = await renderChat(backend);
    const empty = screen.getByTestId('chat-empty-no-models');
    expect(empty.textContent).toContain('GGUF');
    expect(within(empty).getByTestId('chat-models-folder').textContent).toBe('/home/ada/.config/CodeSage/models');
    expect(screen.queryByTestId('model-picker')).toBeNull();
    expect(screen.getByTestId('chat-composer-hint').textContent).toBe('No model is installed yet. Add a GGUF model to start chatting.');

    // A model dropped in the folder shows up on "Check again".
    backend.models = [coder];
    await user.click(screen.getByTestId('chat-check-models'));
    await screen.findByTestId('model-picker');
    expect(screen.queryByTestId('chat-empty-no-models')).toBeNull();

    backend.models = [];
    await user.click(screen.getByTestId('model-refresh'));
    await user.click(await screen.findByTestId('chat-open-models'));
    expect(screen.getByTestId('view-models')).toBeTruthy();
    expect(screen.queryByTestId('view-chat')).toBeNull();
  });

  it('lists models, disables unreadable ones with the reason, and loads the chosen one with progress', async () => {
    const other = installedModelFixture({ id: 'llama-3.2-3b.gguf', name: 'Llama 3.2 3B' });
    const backend = createFakeBackend({ models: [broken, coder, other], llmState: { status: 'idle' }, manualLoads: true });
    const { user } = await renderChat(backend);
    expect(screen.getByTestId('model-state').textContent).toBe('No model loaded');
    const options = [...picker().options];
    expect(options.map((o) => [o.value, o.disabled])).toEqual([
      ['broken.gguf', true],
      [coder.id, false],
      [other.id, false],
    ]);
    expect(options[0]?.textContent).toContain('The file is not a GGUF model (bad magic number). Download it again.');
    expect(options[1]?.textContent).toBe('Qwen2.5 Coder 1.5B Q4_K_M (1.1 GiB)');
    expect(picker().value).toBe(coder.id);
    expect(buttonByTestId('model-unload').disabled).toBe(true);

    await user.selectOptions(picker(), other.id);
    await user.click(screen.getByTestId('model-load'));
    expect(backend.inputsOf('llm.loadModel')).toEqual([{ modelId: other.id }]);
    await waitFor(() => {
      expect(screen.getByTestId('model-state').textContent).toBe('Loading Llama 3.2 3B…');
    });
    const progress = screen.getByTestId('model-progress');
    expect(progress.getAttribute('value')).toBe('0');
    expect(buttonByTestId('model-load').disabled).toBe(true);
    expect(screen.getByTestId('chat-composer-hint').textContent).toBe('The model is still loading. You can type once it is ready.');

    act(() => {
      backend.loadProgress(0.42);
    });
    expect(screen.getByTestId('model-progress').getAttribute('value')).toBe('0.42');
    expect(screen.getByText('42%')).toBeTruthy();

    act(() => {
      backend.finishLoad();
    });
    await waitFor(() => {
      expect(screen.getByTestId('model-state').textContent).toBe('Llama 3.2 3B · 8,192-token context · CPU');
    });
    expect(screen.queryByTestId('model-progress')).toBeNull();
    expect(screen.getByTestId<HTMLTextAreaElement>('chat-composer').disabled).toBe(false);
    expect(buttonByTestId('model-load').disabled).toBe(true);

    await user.click(screen.getByTestId('model-unload'));
    expect(backend.inputsOf('llm.unloadModel')).toEqual([undefined]);
    await waitFor(() => {
      expect(screen.getByTestId('model-state').textContent).toBe('No model loaded');
    });
    expect(screen.getByTestId<HTMLTextAreaElement>('chat-composer').disabled).toBe(true);
  });

  it('shows why a load failed', async () => {
    const backend = createFakeBackend({ models: [coder], llmState: { status: 'idle' }, manualLoads: true });
    const { user } = await renderChat(backend);
    await user.click(screen.getByTestId('model-load'));
    await screen.findByTestId('model-progress');
    act(() => {
      backend.failLoad({
        name: 'InsufficientMemoryError',
        message: 'The model needs 6.2 GiB but 3.1 GiB is free. Close other apps or pick a smaller model.',
      });
    });
    await waitFor(() => {
      expect(screen.getByTestId('model-state').textContent).toBe(
        'Qwen2.5 Coder 1.5B Q4_K_M failed to load: The model needs 6.2 GiB but 3.1 GiB is free. Close other apps or pick a smaller model.',
      );
    });
    // Said once, in the state line, not again in an alert.
    expect(screen.queryByTestId('model-error')).toBeNull();
    expect(screen.getByTestId('chat-composer-hint').textContent).toBe(
      'The model failed to load. Pick a model above and press Load to try again.',
    );
    expect(buttonByTestId('model-load').disabled).toBe(false);
  });

  it('cancels a load without reporting the cancellation as an error', async () => {
    const backend = createFakeBackend({ models: [coder], llmState: { status: 'idle' }, manualLoads: true });
    const { user } = await renderChat(backend);
    await user.click(screen.getByTestId('model-load'));
    await user.click(await screen.findByTestId('model-cancel'));
    expect(backend.inputsOf('llm.cancelLoad')).toEqual([undefined]);
    await waitFor(() => {
      expect(screen.getByTestId('model-state').textContent).toBe('No model loaded');
    });
    expect(screen.queryByTestId('model-error')).toBeNull();
  });

  it('reports a refused load, and loads with the open chat’s context size', async () => {
    const chat = conversationFixture({
      id: 'c1',
      title: 'Big context',
      params: { ...conversationFixture({ id: 'x' }).params, contextSize: 16_384 },
    });
    const backend = createFakeBackend({ models: [coder], llmState: { status: 'idle' }, conversations: [chat] });
    backend.failNext('llm.loadModel', { name: 'ModelNotFoundError', message: 'The file was removed from the models folder.' });
    const { user } = await renderChat(backend);
    await user.click(screen.getByTestId('model-load'));
    const alert = await screen.findByTestId('model-error');
    expect(alert.textContent).toContain('The model was not loaded.');
    expect(alert.textContent).toContain('The file was removed from the models folder.');

    await user.click(within(screen.getByTestId('chat-conversation-item')).getByTestId('chat-conversation-open'));
    await user.click(screen.getByTestId('model-load'));
    await waitFor(() => {
      expect(screen.getByTestId('model-state').textContent).toBe('Qwen2.5 Coder 1.5B Q4_K_M · 16,384-token context · CPU');
    });
    expect(backend.inputsOf('llm.loadModel').at(-1)).toEqual({ modelId: coder.id, contextSize: 16_384 });
    expect(screen.queryByTestId('model-error')).toBeNull();
  });
});
