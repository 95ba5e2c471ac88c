// The one API contract between main and every client (Electron preload, serve mode, CLI).
// Add a domain here when a feature lands; main implements it in main/services/api/createApiHandlers.ts.
import { z } from 'zod';
import { defineContract, event, method } from './contractKit';
import type { ApiClient, ApiEventPayloads, ApiHandlers, RawApi } from './contractKit';
import { settingsPatchSchema, settingsSchema } from '../settings/settingsSchema';
import { systemInfoSchema } from '../system/systemInfoSchema';
import { installedModelSchema, llmStateSchema, loadedModelSchema, loadModelInputSchema } from '../llm/llmSchema';
import { catalogEntryViewSchema } from '../models/catalogSchema';
import { downloadJobSchema, startDownloadInputSchema } from '../models/downloadSchema';
import { fitEstimateSchema } from '../models/fitSchema';
import {
  conversationSchema,
  conversationSummarySchema,
  generationParamsSchema,
  messageDeltaSchema,
  searchHitSchema,
  systemPromptPresetSchema,
} from '../chat/chatSchema';
import { feedbackEntrySchema } from '../feedback/feedbackSchema';
import { INTENT_LABELS } from '../intent/intentLabels';
import { ROUTE_KINDS, intentStatusSchema, routeDecisionSchema } from '../router/routeSchema';

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
const conversationRef = z.strictObject({ conversationId: z.string().min(1) });
const downloadRef = z.strictObject({ id: z.string().min(1) });
const messageContent = z.string().trim().min(1, 'Type a message first.').max(200_000);
/** The route the user chose for one message; absent or null lets the router decide. */
const routeOverride = z.enum(ROUTE_KINDS).nullable().optional();

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
  models: {
    /** GGUF files in the models folder, with what their headers say. */
    list: method(noInput, z.array(installedModelSchema)),
    /** The folder CodeSage reads models from (drop .gguf files there). */
    getFolder: method(noInput, z.string()),
    /** Curated models with their fit on this machine and a recommended pick per family. */
    catalog: method(noInput, z.array(catalogEntryViewSchema)),
    /** Reads a model's GGUF header (hf: URI, URL or local path) and estimates how it would run here. */
    fit: method(z.strictObject({ target: z.string().trim().min(1).max(4096) }), fitEstimateSchema),
    /** Copies a GGUF file into the models folder after checking it is a complete model. */
    import: method(z.strictObject({ path: z.string().trim().min(1).max(4096) }), installedModelSchema),
    delete: method(z.strictObject({ modelId: z.string().min(1) }), z.boolean()),
    /** The installed models after any change (download finished, import, delete, folder moved). */
    onChanged: event(z.array(installedModelSchema)),
  },
  downloads: {
    list: method(noInput, z.array(downloadJobSchema)),
    /** Checks the address and the disk, then queues the download; the same one paused or failed goes on from its partial file. */
    start: method(startDownloadInputSchema, downloadJobSchema),
    pause: method(downloadRef, downloadJobSchema),
    resume: method(downloadRef, downloadJobSchema),
    cancel: method(downloadRef, downloadJobSchema),
    /** Forgets a finished, failed or cancelled download. */
    remove: method(downloadRef, z.boolean()),
    onChanged: event(downloadJobSchema),
  },
  llm: {
    getState: method(noInput, llmStateSchema),
    /** Unloads the current model first; resolves when the new one is ready. */
    loadModel: method(loadModelInputSchema, loadedModelSchema),
    cancelLoad: method(noInput, z.boolean()),
    unloadModel: method(noInput, z.boolean()),
    onStateChanged: event(llmStateSchema),
  },
  chats: {
    list: method(noInput, z.array(conversationSummarySchema)),
    search: method(z.strictObject({ query: z.string().max(500) }), z.array(searchHitSchema)),
    get: method(conversationRef, conversationSchema),
    create: method(
      z
        .strictObject({
          title: z.string().max(200).optional(),
          systemPrompt: z.string().max(20_000).optional(),
          params: generationParamsSchema.partial().optional(),
        })
        .optional(),
      conversationSchema,
    ),
    rename: method(z.strictObject({ conversationId: z.string().min(1), title: z.string().trim().min(1).max(200) }), conversationSchema),
    configure: method(
      z.strictObject({
        conversationId: z.string().min(1),
        systemPrompt: z.string().max(20_000).optional(),
        params: generationParamsSchema.partial().optional(),
      }),
      conversationSchema,
    ),
    delete: method(conversationRef, z.boolean()),
    listPresets: method(noInput, z.array(systemPromptPresetSchema)),
    /** Adds the user's message and starts the answer; tokens arrive as onMessageDelta. */
    /** Routes the message by its intent (or `route`), adds it and starts the answer; a refusal is added at once. */
    send: method(z.strictObject({ conversationId: z.string().min(1), content: messageContent, route: routeOverride }), conversationSchema),
    /** Stops the answer being generated; its text so far is kept, marked stopped. */
    stop: method(conversationRef, z.boolean()),
    /** A new answer to the same user message, beside the old one. */
    regenerate: method(
      z.strictObject({ conversationId: z.string().min(1), messageId: z.string().min(1), route: routeOverride }),
      conversationSchema,
    ),
    /** A new version of a user message, beside the old one, and a new answer to it. */
    edit: method(
      z.strictObject({ conversationId: z.string().min(1), messageId: z.string().min(1), content: messageContent, route: routeOverride }),
      conversationSchema,
    ),
    /** The intent the user says an answered message had; kept on the answer and as feedback. */
    correctIntent: method(
      z.strictObject({ conversationId: z.string().min(1), messageId: z.string().min(1), label: z.enum(INTENT_LABELS) }),
      conversationSchema,
    ),
    /** Shows the branch that ends in (or passes through) the given message. */
    selectBranch: method(z.strictObject({ conversationId: z.string().min(1), messageId: z.string().min(1) }), conversationSchema),
    export: method(
      z.strictObject({ conversationId: z.string().min(1), format: z.enum(['markdown', 'json']) }),
      z.object({ fileName: z.string(), mimeType: z.string(), content: z.string() }),
    ),
    onMessageDelta: event(messageDeltaSchema),
    /** The whole conversation after any change (message added or finished, rename, branch). */
    onConversationChanged: event(conversationSchema),
    onConversationDeleted: event(z.object({ conversationId: z.string() })),
  },
  intent: {
    getStatus: method(noInput, intentStatusSchema),
    /** Where a message would go now (classification, policy, availability), without sending it. */
    route: method(z.strictObject({ text: z.string().max(200_000), route: routeOverride }), routeDecisionSchema),
  },
  feedback: {
    /** Feedback kept on this machine, newest first. */
    list: method(noInput, z.array(feedbackEntrySchema)),
    delete: method(z.strictObject({ id: z.string().min(1) }), z.boolean()),
    onChanged: event(z.array(feedbackEntrySchema)),
  },
});

export type ApiContract = typeof apiContract;
export type CodesageApi = ApiClient<ApiContract>;
export type CodesageRawApi = RawApi<ApiContract>;
export type CodesageHandlers = ApiHandlers<ApiContract>;
export type CodesageEvents = ApiEventPayloads<ApiContract>;
