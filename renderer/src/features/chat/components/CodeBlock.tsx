// A fenced code block of an answer: its language, a Copy button and the code, highlighted by
// rehype-highlight (token colours in styles/highlight.css follow the theme).
import type { JSX } from 'react';
import type { ExtraProps } from 'react-markdown';
import { CopyButton } from './CopyButton';

/** The parts of a hast node this needs; hast's Element and Text fit it. */
interface HastNode {
  readonly type: string;
  readonly value?: string;
  readonly tagName?: string;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly children?: readonly HastNode[];
}

function textOf(node: HastNode): string {
  if (node.type === 'text') return node.value ?? '';
  return (node.children ?? []).map(textOf).join('');
}

function languageOf(code: HastNode | undefined): string | null {
  const className = code?.properties?.className;
  if (!Array.isArray(className)) return null;
  for (const name of className) {
    if (typeof name === 'string' && name.startsWith('language-')) return name.slice('language-'.length);
  }
  return null;
}

export function CodeBlock({ children, node }: JSX.IntrinsicElements['pre'] & ExtraProps) {
  const code = (node as HastNode | undefined)?.children?.find((child) => child.type === 'element' && child.tagName === 'code');
  const language = languageOf(code);
  const text = code === undefined ? '' : textOf(code).replace(/\n$/, '');
  return (
    <div className="code-block">
      <div className="code-block-header">
        <span className="code-block-language">{language ?? 'code'}</span>
        <CopyButton text={text} label={language === null ? 'Copy code' : `Copy ${language} code`} testId="chat-copy-code" />
      </div>
      <pre>{children}</pre>
    </div>
  );
}
