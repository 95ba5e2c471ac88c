// The local LLM engine as main last reported it: installed models, the models folder and the load
// state of the one model that can be loaded at a time. Shared by every view that shows models.
import type { StateCreator } from 'zustand';
import type { InstalledModel, LlmState } from '../../../../common/llm/llmSchema';
import type { Loadable } from '../../lib/async/Loadable';
import type { ErrorInfo } from '../../lib/errors/toErrorInfo';
import type { AppState } from './AppState';

export interface LlmSlice {
  readonly llmState: Loadable<LlmState>;
  readonly installedModels: Loadable<readonly InstalledModel[]>;
  readonly modelsFolder: Loadable<string>;
  readonly llmStateReceived: (state: LlmState) => void;
  readonly llmStateFailed: (error: ErrorInfo) => void;
  readonly installedModelsReceived: (models: readonly InstalledModel[]) => void;
  readonly installedModelsFailed: (error: ErrorInfo) => void;
  readonly modelsFolderReceived: (folder: string) => void;
  readonly modelsFolderFailed: (error: ErrorInfo) => void;
}

export const createLlmSlice: StateCreator<AppState, [], [], LlmSlice> = (set, get) => ({
  llmState: { status: 'loading' },
  installedModels: { status: 'loading' },
  modelsFolder: { status: 'loading' },
  llmStateReceived: (state) => {
    set({ llmState: { status: 'ready', value: state } });
  },
  llmStateFailed: (error) => {
    if (get().llmState.status !== 'ready') set({ llmState: { status: 'failed', error } });
  },
  installedModelsReceived: (models) => {
    set({ installedModels: { status: 'ready', value: models } });
  },
  installedModelsFailed: (error) => {
    // A failed refresh keeps the list the user already sees.
    if (get().installedModels.status !== 'ready') set({ installedModels: { status: 'failed', error } });
  },
  modelsFolderReceived: (folder) => {
    set({ modelsFolder: { status: 'ready', value: folder } });
  },
  modelsFolderFailed: (error) => {
    if (get().modelsFolder.status !== 'ready') set({ modelsFolder: { status: 'failed', error } });
  },
});
