// The one API contract between main and every client (Electron preload, serve mode, CLI).
// Add a domain here when a feature lands; main implements it in main/services/api/createApiHandlers.ts.
import { z } from 'zod';
import { defineContract, event, method } from './contractKit';
import type { ApiClient, ApiEventPayloads, ApiHandlers, RawApi } from './contractKit';
import { settingsPatchSchema, settingsSchema } from '../settings/settingsSchema';
import { systemInfoSchema } from '../system/systemInfoSchema';

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Which shell hosts the services: the Electron window or serve mode in a browser. */
  shell: z.enum(['electron', 'serve']),
  dataDir: z.string(),
  versions: z.object({ node: z.string(), electron: z.string().nullable() }),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

const noInput = z.undefined();

export const apiContract = defineContract({
  app: {
    getInfo: method(noInput, appInfoSchema),
    /** Resolves once compute detection has finished (the first call may take a second or two). */
    getSystemInfo: method(noInput, systemInfoSchema),
    onSystemInfoChanged: event(systemInfoSchema),
  },
  settings: {
    get: method(noInput, settingsSchema),
    update: method(settingsPatchSchema, settingsSchema),
    reset: method(noInput, settingsSchema),
    onChanged: event(settingsSchema),
  },
});

export type ApiContract = typeof apiContract;
export type CodesageApi = ApiClient<ApiContract>;
export type CodesageRawApi = RawApi<ApiContract>;
export type CodesageHandlers = ApiHandlers<ApiContract>;
export type CodesageEvents = ApiEventPayloads<ApiContract>;
