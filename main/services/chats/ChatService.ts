// Conversations with the local model: adds the user's message, streams the answer into the store
// (so a crash keeps what was flushed) and to the UI as events, and records metrics and notices.
// Stop keeps the partial answer; regenerate and edit add siblings so earlier branches survive.
import type { ChatMessage, Conversation, GenerationParams, MessageDelta, SystemPromptPreset } from '../../../common/chat/chatSchema';
import { activeBranch } from '../../../common/chat/chatSchema';
import type { LlmState } from '../../../common/llm/llmSchema';
import { Emitter } from '../../../common/base/Emitter';
import type { Event } from '../../../common/base/Emitter';
import type { GenerateRequest, GenerateResult } from '../llm/LlmEngine';
import type { IntentLabel } from '../../../common/intent/intentLabels';
import type { RouteDecision, RouteKind } from '../../../common/router/routeSchema';
import type { FeedbackStore } from '../feedback/FeedbackStore';
import type { ChatStore } from './ChatStore';
import { ConversationNotFoundError } from './ConversationNotFoundError';
import { systemPromptPresets } from './systemPromptPresets';

/** The part of LlmEngine a conversation needs. */
export interface ChatEngine {
  state(): LlmState;
  generate(request: GenerateRequest, callbacks: { onTextChunk?: (text: string) => void; signal?: AbortSignal }): Promise<GenerateResult>;
}

export class NoModelReadyError extends Error {
  override readonly name = 'NoModelReadyError';
  constructor() {
    super('No model is loaded. Pick a model above the chat and press Load, or install one in the Models view.');
  }
}

export class GenerationInProgressError extends Error {
  override readonly name = 'GenerationInProgressError';
  constructor() {
    super('An answer is still being written in this conversation. Stop it or wait for it to finish, then try again.');
  }
}

export class InvalidBranchTargetError extends Error {
  override readonly name = 'InvalidBranchTargetError';
}

/** The router chose a route this build cannot run (it is only offered when available). */
export class RouteUnavailableError extends Error {
  override readonly name = 'RouteUnavailableError';
  constructor(kind: RouteKind) {
    super(`The ${kind} route is not available in this build. Choose another route for the message, or let CodeSage decide.`);
  }
}

/** Decides where a message goes; see MessageRouter. */
export interface ChatRouter {
  route(text: string, override: RouteKind | null, signal?: AbortSignal): Promise<RouteDecision>;
}

export interface SendOptions {
  /** The route the user chose for this message; absent or null lets the router decide. */
  readonly route?: RouteKind | null;
}

export interface ChatServiceOptions {
  readonly store: ChatStore;
  readonly engine: ChatEngine;
  readonly router: ChatRouter;
  /** Where intent corrections are kept. */
  readonly feedback: Pick<FeedbackStore, 'addIntentCorrection' | 'removeForMessage'>;
  /** Where background failures are reported; console.warn by default. */
  readonly warn?: (message: string) => void;
}

const HISTORY_TRIMMED_NOTICE = "Earlier messages were dropped from the model's context to make room; this answer did not see them.";
const MAX_TOKENS_NOTICE = 'The answer reached the maximum length set for this conversation.';
const MODEL_GONE_NOTICE = 'The model was unloaded or switched before this answer finished.';
const NO_REPO_CONTEXT_NOTICE = 'No repository is indexed, so this answer has no repository context.';

export class ChatService {
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  /** Conversations whose next message is being routed: one message at a time per conversation. */
  private readonly routing = new Set<string>();
  private readonly changed = new Emitter<Conversation>();
  private readonly deleted = new Emitter<{ conversationId: string }>();
  private readonly delta = new Emitter<MessageDelta>();
  readonly onDidChangeConversation: Event<Conversation> = this.changed.event;
  readonly onDidDeleteConversation: Event<{ conversationId: string }> = this.deleted.event;
  readonly onDidAppendText: Event<MessageDelta> = this.delta.event;

  constructor(private readonly options: ChatServiceOptions) {}

  private get store(): ChatStore {
    return this.options.store;
  }

  private warn(message: string): void {
    (this.options.warn ?? console.warn)(message);
  }

  list() {
    return this.store.list();
  }

  search(query: string) {
    return this.store.search(query);
  }

  get(conversationId: string): Conversation {
    return this.require(conversationId);
  }

  listPresets(): SystemPromptPreset[] {
    return [...systemPromptPresets];
  }

  create(init: { title?: string; systemPrompt?: string; params?: Partial<GenerationParams> } = {}): Conversation {
    const conversation = this.store.create({ ...init, systemPrompt: init.systemPrompt ?? systemPromptPresets[0]?.prompt ?? '' });
    this.changed.fire(conversation);
    return conversation;
  }

  rename(conversationId: string, title: string): Conversation {
    this.store.rename(conversationId, title);
    return this.announce(conversationId);
  }

  configure(conversationId: string, change: { systemPrompt?: string; params?: Partial<GenerationParams> }): Conversation {
    this.store.configure(conversationId, change);
    return this.announce(conversationId);
  }

  async delete(conversationId: string): Promise<boolean> {
    this.stop(conversationId);
    await this.settled(conversationId);
    const removed = this.store.delete(conversationId);
    if (removed) this.deleted.fire({ conversationId });
    return removed;
  }

  export(conversationId: string, format: 'markdown' | 'json') {
    return format === 'markdown' ? this.store.exportMarkdown(conversationId) : this.store.exportJson(conversationId);
  }

  /** Routes the message, then adds it and its answer (or the refusal that explains itself). */
  async send(conversationId: string, content: string, options: SendOptions = {}): Promise<Conversation> {
    return this.routed(conversationId, content, options.route ?? null, (route) => {
      const conversation = this.require(conversationId);
      const user = this.store.addMessage(conversationId, {
        role: 'user',
        content,
        parentId: conversation.activeLeafId,
        status: 'complete',
      });
      return this.answer(conversationId, user.id, route);
    });
  }

  /**
   * A new answer beside an existing one (also the way to retry after an error), routed afresh. A
   * route the user chose for the old answer is kept unless they choose another.
   */
  async regenerate(conversationId: string, assistantMessageId: string, options: SendOptions = {}): Promise<Conversation> {
    const messages = this.require(conversationId).messages;
    const message = messages.find((m) => m.id === assistantMessageId);
    const question = messages.find((m) => m.id === message?.parentId);
    if (message?.role !== 'assistant' || question === undefined) {
      throw new InvalidBranchTargetError('Only an answer can be regenerated: pick one of the assistant messages.');
    }
    const kept = message.route?.overridden === true ? message.route.kind : null;
    return this.routed(conversationId, question.content, options.route === undefined ? kept : options.route, (route) =>
      this.answer(conversationId, question.id, route),
    );
  }

  /** A new version of a user message beside the old one, routed and answered afresh. */
  async edit(conversationId: string, userMessageId: string, content: string, options: SendOptions = {}): Promise<Conversation> {
    const message = this.require(conversationId).messages.find((m) => m.id === userMessageId);
    if (message?.role !== 'user') throw new InvalidBranchTargetError('Only your own messages can be edited.');
    return this.routed(conversationId, content, options.route ?? null, (route) => {
      const edited = this.store.addMessage(conversationId, { role: 'user', content, parentId: message.parentId, status: 'complete' });
      return this.answer(conversationId, edited.id, route);
    });
  }

  /**
   * Keeps the intent the user says a routed message had, on the answer and as feedback. Choosing the
   * intent the router saw withdraws an earlier correction.
   */
  async correctIntent(conversationId: string, assistantMessageId: string, label: IntentLabel): Promise<Conversation> {
    const messages = this.require(conversationId).messages;
    const answer = messages.find((m) => m.id === assistantMessageId);
    const question = messages.find((m) => m.id === answer?.parentId);
    if (answer?.role !== 'assistant' || answer.route === null || question === undefined) {
      throw new InvalidBranchTargetError('Only a routed answer has an intent to correct: pick an answer that shows its route.');
    }
    const { intent } = answer.route;
    if (label === intent.label) {
      await this.options.feedback.removeForMessage(conversationId, assistantMessageId);
      this.store.correctIntent(conversationId, assistantMessageId, null);
    } else {
      await this.options.feedback.addIntentCorrection({
        text: question.content,
        predicted: intent.label,
        confidence: intent.confidence,
        corrected: label,
        modelVersion: intent.modelVersion,
        conversationId,
        messageId: assistantMessageId,
      });
      this.store.correctIntent(conversationId, assistantMessageId, label);
    }
    return this.announce(conversationId);
  }

  selectBranch(conversationId: string, messageId: string): Conversation {
    if (this.running.has(conversationId)) throw new GenerationInProgressError();
    this.store.setActiveLeaf(conversationId, messageId);
    return this.announce(conversationId);
  }

  stop(conversationId: string): boolean {
    const run = this.running.get(conversationId);
    if (run === undefined) return false;
    run.controller.abort();
    return true;
  }

  /** Resolves when the conversation's current answer (if any) has finished and been saved. */
  async settled(conversationId: string): Promise<void> {
    await this.running.get(conversationId)?.done;
  }

  async dispose(): Promise<void> {
    const runs = [...this.running.values()];
    for (const run of runs) run.controller.abort();
    await Promise.all(runs.map((run) => run.done));
    this.changed.dispose();
    this.deleted.dispose();
    this.delta.dispose();
  }

  /**
   * Routes `text`, checks the route can run, then lets `commit` add the messages. Nothing is added
   * when routing or the checks fail; one message per conversation is routed at a time.
   */
  private async routed(
    conversationId: string,
    text: string,
    override: RouteKind | null,
    commit: (route: RouteDecision) => Conversation,
  ): Promise<Conversation> {
    this.require(conversationId);
    if (this.running.has(conversationId) || this.routing.has(conversationId)) throw new GenerationInProgressError();
    this.routing.add(conversationId);
    try {
      const route = await this.options.router.route(text, override);
      if (route.kind === 'cloud' || route.kind === 'review') throw new RouteUnavailableError(route.kind);
      if (route.kind !== 'refuse' && this.options.engine.state().status !== 'ready') throw new NoModelReadyError();
      this.require(conversationId);
      return commit(route);
    } finally {
      this.routing.delete(conversationId);
    }
  }

  private require(conversationId: string): Conversation {
    const conversation = this.store.get(conversationId);
    if (conversation === undefined) throw new ConversationNotFoundError(conversationId);
    return conversation;
  }

  private announce(conversationId: string): Conversation {
    const conversation = this.require(conversationId);
    this.changed.fire(conversation);
    return conversation;
  }

  /** Adds the answer under `userMessageId`: a refusal at once, or a streaming answer generated in the background. */
  private answer(conversationId: string, userMessageId: string, route: RouteDecision): Conversation {
    if (route.kind === 'refuse') {
      this.store.addMessage(conversationId, {
        role: 'assistant',
        content: refusalText(route),
        parentId: userMessageId,
        status: 'complete',
        route,
      });
      return this.announce(conversationId);
    }
    const assistant = this.store.addMessage(conversationId, {
      role: 'assistant',
      content: '',
      parentId: userMessageId,
      status: 'streaming',
      route,
      notices: route.kind === 'local-repo' ? [NO_REPO_CONTEXT_NOTICE] : [],
    });
    const conversation = this.require(conversationId);
    // Refusals are not part of what the model reads: neither the explanation nor the message it
    // refused (that message still counts when it is the one being answered now, by the user's choice).
    const branch = activeBranch(conversation);
    const isRefusal = (m: ChatMessage | undefined): boolean => m?.route?.kind === 'refuse';
    const history = branch.filter((m, i) => m.id !== assistant.id && !isRefusal(m) && !isRefusal(branch[i + 1]));
    const request: GenerateRequest = {
      systemPrompt: conversation.systemPrompt,
      // Earlier answers that failed or were cut off with no text give the model nothing to read.
      messages: history.filter((m) => m.role === 'user' || m.content !== '').map((m) => ({ role: m.role, content: m.content })),
      temperature: conversation.params.temperature,
      topP: conversation.params.topP,
      maxTokens: conversation.params.maxTokens,
      seed: conversation.params.seed,
    };
    const controller = new AbortController();
    const done = this.generate(conversationId, assistant, request, controller.signal)
      .catch((error: unknown) => {
        // A background failure must never become an unhandled rejection (it would end serve mode).
        this.warn(`An answer in conversation ${conversationId} failed: ${String(error)}`);
      })
      .finally(() => {
        this.running.delete(conversationId);
      });
    this.running.set(conversationId, { controller, done });
    this.changed.fire(conversation);
    return conversation;
  }

  private async generate(
    conversationId: string,
    { id: messageId, notices: initialNotices }: ChatMessage,
    request: GenerateRequest,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      const result = await this.options.engine.generate(request, {
        signal,
        onTextChunk: (text) => {
          this.store.appendText(conversationId, messageId, text);
          this.delta.fire({ conversationId, messageId, text });
        },
      });
      const notices = [...initialNotices];
      if (result.historyTrimmed) notices.push(HISTORY_TRIMMED_NOTICE);
      if (result.stopReason === 'maxTokens') notices.push(MAX_TOKENS_NOTICE);
      if (result.stopReason === 'stopped' && !signal.aborted) notices.push(MODEL_GONE_NOTICE);
      this.store.finishMessage(conversationId, messageId, {
        status: result.stopReason === 'stopped' ? 'stopped' : 'complete',
        content: result.text,
        metrics: result.metrics,
        notices,
      });
    } catch (error) {
      // The conversation may have been deleted while the answer was being written.
      if (this.store.get(conversationId) === undefined) return;
      try {
        this.store.finishMessage(conversationId, messageId, {
          status: signal.aborted ? 'stopped' : 'error',
          error: signal.aborted ? null : error instanceof Error ? error.message : String(error),
        });
      } catch (saveError) {
        // The journal cannot be written (disk full, folder gone): what was flushed stays on disk and
        // reopens as incomplete; say so instead of failing in the background.
        this.warn(`Could not save the end of an answer in conversation ${conversationId}: ${String(saveError)}`);
      }
    }
    if (this.store.get(conversationId) !== undefined) this.announce(conversationId);
  }
}

/** What a refused message gets instead of an answer. */
function refusalText(route: RouteDecision): string {
  if (route.overridden) return `This message was not sent to any model. ${route.reason}`;
  return [
    'CodeSage did not send this message to a model.',
    '',
    route.reason,
    '',
    'If this was a real question, choose a route for it (Answer again with…) or correct its intent.',
  ].join('\n');
}
