// Thrown by a ChatStore used after dispose(), typically a late callback during shutdown; everything
// written before dispose() is already on disk.
export class ChatStoreDisposedError extends Error {
  override readonly name = 'ChatStoreDisposedError';

  constructor() {
    super(
      'The chat store has been closed (CodeSage is shutting down or restarting), so the change was not saved. Reopen the app and try again.',
    );
  }
}
