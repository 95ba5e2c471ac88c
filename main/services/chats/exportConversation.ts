// Turns a conversation into a file the user can keep or share: Markdown of the visible branch for
// reading, or JSON of everything (every branch, metrics, statuses) for tools and re-import.
import { activeBranch } from '../../../common/chat/chatSchema';
import type { ChatMessage, Conversation } from '../../../common/chat/chatSchema';
import type { AnswerMetrics } from '../../../common/llm/llmSchema';

export interface ChatExport {
  /** Safe on Windows, macOS and Linux: letters, digits and hyphens, then the date. */
  readonly fileName: string;
  readonly mimeType: string;
  readonly content: string;
}

/** Lets a reader of an exported JSON file tell the layout apart from future ones. */
export const CHAT_EXPORT_FORMAT = 'codesage.conversation';
export const CHAT_EXPORT_VERSION = 1;

const STATUS_NOTES: Partial<Record<ChatMessage['status'], string>> = {
  streaming: '_This answer was still being written when the chat was exported._',
  stopped: '_Stopped before the end; the answer may be incomplete._',
  incomplete: '_Incomplete: CodeSage stopped before this answer was finished._',
};

export function exportConversation(conversation: Conversation, format: 'markdown' | 'json', exportedAt: Date): ChatExport {
  const baseName = `${slugify(conversation.title)}-${conversation.updatedAt.slice(0, 10)}`;
  if (format === 'json') {
    const document = { format: CHAT_EXPORT_FORMAT, version: CHAT_EXPORT_VERSION, exportedAt: exportedAt.toISOString(), conversation };
    return { fileName: `${baseName}.json`, mimeType: 'application/json', content: `${JSON.stringify(document, null, 2)}\n` };
  }
  return { fileName: `${baseName}.md`, mimeType: 'text/markdown', content: toMarkdown(conversation, exportedAt) };
}

function toMarkdown(conversation: Conversation, exportedAt: Date): string {
  const branch = activeBranch(conversation);
  const blocks: string[] = [`# ${oneLine(conversation.title)}`];
  const otherBranches = conversation.messages.length > branch.length;
  blocks.push(
    `_Exported from CodeSage on ${exportedAt.toISOString().slice(0, 10)}` +
      (otherBranches ? ' · only the branch shown in the app is included; export as JSON to keep every branch' : '') +
      '._',
  );
  if (conversation.systemPrompt.trim() !== '') blocks.push('## System prompt', closeFences(conversation.systemPrompt));
  for (const message of branch) {
    blocks.push('---', message.role === 'user' ? '**You**' : '**Assistant**');
    if (message.content !== '') blocks.push(closeFences(message.content));
    const note = STATUS_NOTES[message.status];
    if (note !== undefined) blocks.push(note);
    if (message.status === 'error') blocks.push(`_The answer failed: ${oneLine(message.error ?? 'unknown error')}_`);
    for (const notice of message.notices) blocks.push(`_${oneLine(notice)}_`);
    if (message.metrics !== null) blocks.push(`<sub>${formatMetrics(message.metrics)}</sub>`);
  }
  return `${blocks.join('\n\n')}\n`;
}

function formatMetrics(metrics: AnswerMetrics): string {
  const parts = [`${String(metrics.completionTokens)} tokens`];
  if (metrics.tokensPerSecond !== null) parts.push(`${metrics.tokensPerSecond.toFixed(1)} tok/s`);
  if (metrics.timeToFirstTokenMs !== null) parts.push(`first token ${String(Math.round(metrics.timeToFirstTokenMs))} ms`);
  parts.push(`prompt ${String(metrics.promptTokens)} tokens`, metrics.backend.toUpperCase(), metrics.model);
  return parts.join(' · ');
}

/**
 * The text verbatim, plus a closing fence when a code block was left open (typically an answer
 * stopped mid-code): otherwise the rest of the document would render as code.
 */
function closeFences(text: string): string {
  let open: { char: string; length: number } | null = null;
  for (const line of text.split('\n')) {
    const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/u.exec(line);
    if (fence === null) continue;
    const marker = fence[1] ?? '';
    const char = marker.charAt(0);
    if (open === null) open = { char, length: marker.length };
    else if (char === open.char && marker.length >= open.length && (fence[2] ?? '').trim() === '') open = null;
  }
  const trimmed = text.replace(/\s+$/u, '');
  return open === null ? trimmed : `${trimmed}\n${open.char.repeat(open.length)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** Letters and digits of any script, lower-cased, joined by hyphens; accents dropped. */
function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/gu, '');
  // Cut at a hyphen so the name does not end mid-word (slugs hold letters and digits only, so code points are safe).
  const codePoints = Array.from(slug);
  const short =
    codePoints.length > 50
      ? codePoints
          .slice(0, 50)
          .join('')
          .replace(/-[^-]*$/u, '')
      : slug;
  return short === '' ? 'chat' : short;
}
