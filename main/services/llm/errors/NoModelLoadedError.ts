// Thrown when an answer or embedding is asked for while no model is ready (none loaded yet, one
// still loading, or the model was unloaded before the request's turn came).
export class NoModelLoadedError extends Error {
  override readonly name = 'NoModelLoadedError';

  constructor(situation: 'none' | 'loading' | 'unloaded' = 'none') {
    super(
      situation === 'loading'
        ? 'The model is still loading. Wait until it is ready, then try again.'
        : situation === 'unloaded'
          ? 'The model was unloaded before this request could run. Load a model and try again.'
          : 'No model is loaded. Pick a model in the Models view and load it, then try again.',
    );
  }
}
