// The models folder (`<dataDir>/models`, chosen by the composition root): which GGUF models are installed and whether each can be
// loaded. A model's id is its file name, so ids survive restarts and never point outside the folder.
// Broken files are listed with a `problem` rather than hidden, so the user can see and replace them.
import { copyFile, mkdir, readdir, rename, rm, unlink } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { InstalledModel } from '../../../common/llm/llmSchema';
import { pathExists } from '../fs/pathExists';
import { InvalidModelImportError } from './errors/InvalidModelImportError';
import { ModelNotFoundError } from './errors/ModelNotFoundError';
import { inspectGgufFile } from './inspectGgufFile';
import type { GgufInspection } from './inspectGgufFile';

export interface ModelLibraryOptions {
  /** Where models live, normally `<dataDir>/models`; created on first listing. */
  readonly folder: string;
}

const MODEL_EXTENSION = '.gguf';

export class ModelLibrary {
  private modelsFolder: string;

  constructor(options: ModelLibraryOptions) {
    this.modelsFolder = options.folder;
  }

  get folder(): string {
    return this.modelsFolder;
  }

  /** Points the library at another storage location (the setting changed); nothing is moved. */
  setFolder(folder: string): void {
    this.modelsFolder = folder;
  }

  /** Every *.gguf file directly in the folder (created if missing), sorted by file name. */
  async list(): Promise<InstalledModel[]> {
    await mkdir(this.modelsFolder, { recursive: true });
    const entries = await readdir(this.modelsFolder, { withFileTypes: true });
    const ids = entries
      .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && isModelFileName(entry.name))
      .map((entry) => entry.name)
      .sort((a, b) => a.localeCompare(b));
    const models = await Promise.all(ids.map((id) => this.describe(id)));
    // A file deleted while listing is simply no longer installed.
    return models.filter((model): model is InstalledModel => model !== null);
  }

  /** The model with this id, read afresh; throws ModelNotFoundError when there is none. */
  async resolve(modelId: string): Promise<InstalledModel> {
    if (!isModelFileName(modelId) || modelId !== basename(modelId) || /[\\/]/.test(modelId) || modelId.includes('..')) {
      throw new ModelNotFoundError(modelId, 'invalidId', this.modelsFolder);
    }
    const model = await this.describe(modelId);
    if (model === null) throw new ModelNotFoundError(modelId, 'missing', this.modelsFolder);
    return model;
  }

  /** Deletes an installed model's file; throws ModelNotFoundError when there is none. */
  async delete(modelId: string): Promise<void> {
    const model = await this.resolve(modelId);
    await unlink(model.path);
  }

  /**
   * Copies a GGUF file into the models folder after checking it is a complete model. The copy
   * goes to a hidden temp name first and is renamed into place, so the folder never lists half a
   * model; a file with the same name is never overwritten.
   */
  async import(sourcePath: string, options: { readonly fileName?: string; readonly move?: boolean } = {}): Promise<InstalledModel> {
    const inspection = await inspectGgufFile(sourcePath);
    if (inspection.status === 'missing') throw new InvalidModelImportError(sourcePath, 'There is no file at that path.');
    if (inspection.status === 'invalid') throw new InvalidModelImportError(sourcePath, inspection.problem);
    const name = options.fileName ?? basename(sourcePath);
    const id = isModelFileName(name) ? name : `${basename(name, extname(name))}${MODEL_EXTENSION}`;
    if (id !== basename(id) || id.startsWith('.')) throw new InvalidModelImportError(sourcePath, `"${id}" cannot be a model file name.`);
    await mkdir(this.modelsFolder, { recursive: true });
    const target = join(this.modelsFolder, id);
    if (await pathExists(target)) {
      throw new InvalidModelImportError(sourcePath, `A model named ${id} is already installed: delete it first or rename the file.`);
    }
    const temp = join(this.modelsFolder, `.import-${String(process.pid)}-${String(Date.now())}-${id}`);
    try {
      if (options.move === true) await rename(sourcePath, temp).catch(() => copyFile(sourcePath, temp));
      else await copyFile(sourcePath, temp);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return this.resolve(id);
  }

  private async describe(id: string): Promise<InstalledModel | null> {
    const path = join(this.modelsFolder, id);
    return installedModel(id, path, await inspectGgufFile(path));
  }
}

function installedModel(id: string, path: string, inspection: GgufInspection): InstalledModel | null {
  const fallbackName = basename(id, extname(id));
  switch (inspection.status) {
    case 'missing':
      return null;
    case 'invalid':
      return {
        id,
        name: fallbackName,
        path,
        sizeBytes: inspection.sizeBytes,
        architecture: null,
        contextLength: null,
        problem: inspection.problem,
      };
    case 'ok': {
      const { metadata, architectureMetadata } = inspection.info;
      const name = typeof metadata.general.name === 'string' ? metadata.general.name.trim() : '';
      const contextLength = architectureMetadata.context_length;
      return {
        id,
        name: name === '' ? fallbackName : name,
        path,
        sizeBytes: inspection.sizeBytes,
        architecture: typeof metadata.general.architecture === 'string' ? metadata.general.architecture : null,
        contextLength: typeof contextLength === 'number' && Number.isInteger(contextLength) && contextLength > 0 ? contextLength : null,
        problem: null,
      };
    }
  }
}

function isModelFileName(name: string): boolean {
  return name.toLowerCase().endsWith(MODEL_EXTENSION) && !name.startsWith('.');
}
