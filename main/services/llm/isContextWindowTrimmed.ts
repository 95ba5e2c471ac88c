// Tells whether node-llama-cpp's context shift cut the conversation while answering: the context
// window it last evaluated holds fewer items, or less text, than the conversation itself. This is
// how an answer that outgrew the context (the shift happens mid-answer) is noticed.
import type { ChatHistoryItem, LlamaTextJSON } from 'node-llama-cpp';

export function isContextWindowTrimmed(history: readonly ChatHistoryItem[], contextWindow: readonly ChatHistoryItem[] | null): boolean {
  if (contextWindow === null) return false;
  return contextWindow.length < history.length || textLength(contextWindow) < textLength(history);
}

function textLength(items: readonly ChatHistoryItem[]): number {
  let length = 0;
  for (const item of items) {
    if (item.type === 'system') length += typeof item.text === 'string' ? item.text.length : jsonTextLength(item.text);
    else if (item.type === 'user') length += item.text.length;
    else {
      for (const part of item.response) {
        if (typeof part === 'string') length += part.length;
        else if (part.type === 'segment') length += part.text.length;
      }
    }
  }
  return length;
}

/** Plain-text length of a serialized LlamaText (special tokens count as nothing, as they carry no user text). */
function jsonTextLength(text: LlamaTextJSON): number {
  if (typeof text === 'string') return text.length;
  let length = 0;
  for (const value of text) if (typeof value === 'string') length += value.length;
  return length;
}
