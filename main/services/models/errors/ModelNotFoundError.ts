// Thrown when a model id names no model file in the models folder (or is not a plain file name).
export class ModelNotFoundError extends Error {
  override readonly name = 'ModelNotFoundError';
  readonly modelId: string;

  constructor(modelId: string, reason: 'missing' | 'invalidId', folder: string) {
    super(
      reason === 'invalidId'
        ? `"${modelId}" is not a model id: ids are .gguf file names in the models folder (${folder}), without folders. Pick a model from the list.`
        : `There is no model "${modelId}" in the models folder (${folder}). It may have been deleted or renamed; refresh the model list or download it again.`,
    );
    this.modelId = modelId;
  }
}
