// Thrown when a change to a conversation cannot be written to its journal (disk full, folder not
// writable). The change is not applied in memory either, so what the user sees matches the disk.
export class ChatStoreWriteError extends Error {
  override readonly name = 'ChatStoreWriteError';
  readonly path: string;

  constructor(path: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `CodeSage could not save the conversation to ${path} (${reason}). ` +
        'Check that the disk has free space and the folder is writable, then try again.',
      { cause },
    );
    this.path = path;
  }
}
