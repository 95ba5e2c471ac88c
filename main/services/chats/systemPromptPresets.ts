// Built-in system prompts offered in a conversation's settings; the user can also write their own.
import type { SystemPromptPreset } from '../../../common/chat/chatSchema';

export const systemPromptPresets: readonly SystemPromptPreset[] = [
  {
    id: 'coding-assistant',
    name: 'Coding assistant',
    prompt:
      "You are CodeSage, a careful coding assistant running locally on the user's machine. Answer precisely, show code in fenced blocks with a language tag, and say when you are unsure.",
  },
  {
    id: 'concise',
    name: 'Concise',
    prompt: 'You are CodeSage. Answer in as few words as correctness allows. Prefer code over prose.',
  },
  {
    id: 'explainer',
    name: 'Explainer',
    prompt: 'You are CodeSage. Explain step by step, define terms the first time you use them, and end with a short summary.',
  },
  {
    id: 'reviewer',
    name: 'Code reviewer',
    prompt:
      'You are CodeSage, a strict code reviewer. Point out bugs, security problems and unclear code first, each with the line it concerns and a concrete fix.',
  },
  { id: 'none', name: 'No system prompt', prompt: '' },
];
