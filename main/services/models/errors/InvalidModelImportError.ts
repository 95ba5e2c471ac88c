// Thrown when a file offered for import is not a complete GGUF model (or cannot be placed).
export class InvalidModelImportError extends Error {
  override readonly name = 'InvalidModelImportError';
  readonly sourcePath: string;

  constructor(sourcePath: string, problem: string) {
    super(`Cannot import ${sourcePath}: ${problem}`);
    this.sourcePath = sourcePath;
  }
}
