// Maps the `model` of an OpenAI request to the model loaded in CodeSage. The API never loads a
// model itself (that takes memory and time the user should decide on), so anything but the loaded
// model is refused with what to do: 404 for a model CodeSage does not have, 409 for an installed
// one that is not the loaded one, 503 while nothing usable is loaded.
import type { InstalledModel, LoadedModel } from '../../../common/llm/llmSchema';
import type { OpenAiEngine, OpenAiModelLibrary } from './OpenAiEngine';
import { OpenAiApiError } from './OpenAiApiError';

/** A model answers to its id (the file name), the id without `.gguf`, or its display name. */
export function modelMatches(model: Pick<InstalledModel, 'id' | 'name'>, requested: string): boolean {
  return model.id === requested || model.name === requested || model.id.replace(/\.gguf$/i, '') === requested;
}

export async function resolveRequestedModel(engine: OpenAiEngine, library: OpenAiModelLibrary, requested: string): Promise<LoadedModel> {
  const state = engine.state();
  if (state.status === 'ready' && modelMatches(state.model, requested)) return state.model;

  const installed = await library.list();
  const match = installed.find((model) => modelMatches(model, requested));
  if (match === undefined) {
    const usable = installed.filter((model) => model.problem === null).map((model) => `'${model.id}'`);
    const hint =
      usable.length > 0
        ? `Installed models: ${usable.join(', ')}.`
        : 'No models are installed: add a .gguf file in CodeSage (Models view).';
    throw new OpenAiApiError(404, `The model '${requested}' does not exist in CodeSage. ${hint}`, {
      param: 'model',
      code: 'model_not_found',
    });
  }
  if (match.problem !== null) {
    throw new OpenAiApiError(
      409,
      `The model '${match.id}' cannot be loaded: ${match.problem} Replace the file in CodeSage (Models view).`,
      {
        param: 'model',
        code: 'model_unusable',
        retryable: false,
      },
    );
  }

  switch (state.status) {
    case 'ready':
      throw new OpenAiApiError(
        409,
        `The model '${match.id}' is installed but not loaded: '${state.model.id}' is. Load it in CodeSage first (Models view → Load), or send model '${state.model.id}'.`,
        { param: 'model', code: 'model_not_loaded', retryable: false },
      );
    case 'loading':
      if (state.modelId === match.id) {
        throw new OpenAiApiError(503, `The model '${match.id}' is still loading in CodeSage. Retry in a few seconds.`, {
          code: 'model_loading',
          retryable: true,
        });
      }
      throw new OpenAiApiError(
        409,
        `CodeSage is loading '${state.modelId}', not '${match.id}'. Load '${match.id}' in CodeSage first (Models view → Load), or send model '${state.modelId}' once it is ready.`,
        { param: 'model', code: 'model_not_loaded', retryable: false },
      );
    case 'failed':
      throw new OpenAiApiError(
        503,
        `No model is loaded in CodeSage: loading '${state.modelId}' failed (${state.message}). Load '${match.id}' in CodeSage first (Models view → Load), then retry.`,
        { code: 'no_model_loaded', retryable: false },
      );
    case 'idle':
      throw new OpenAiApiError(
        503,
        `No model is loaded in CodeSage. Load '${match.id}' in CodeSage first (Models view → Load), then retry.`,
        { code: 'no_model_loaded', retryable: false },
      );
  }
}
