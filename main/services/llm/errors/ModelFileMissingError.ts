// Thrown when the file of a model the user picked is gone (deleted, renamed or on a drive that is
// no longer mounted) by the time it is loaded.
export class ModelFileMissingError extends Error {
  override readonly name = 'ModelFileMissingError';
  readonly path: string;

  constructor(modelName: string, path: string) {
    super(
      `Cannot load "${modelName}": its file ${path} no longer exists. ` +
        'It may have been deleted, renamed or be on a drive that is not connected; refresh the model list, or download the model again.',
    );
    this.path = path;
  }
}
