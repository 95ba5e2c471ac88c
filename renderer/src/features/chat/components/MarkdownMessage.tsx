// An answer rendered as Markdown (GitHub flavour) while it streams. Raw HTML in the text is shown as
// text, never as HTML; links open outside the app (and only http, https and mailto are links at all);
// images are shown as links rather than fetched, since the app works offline.
import { memo, useDeferredValue } from 'react';
import type { JSX } from 'react';
import Markdown from 'react-markdown';
import type { Components, ExtraProps } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import type { Options as RehypeHighlightOptions } from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { CodeBlock } from './CodeBlock';

const SAFE_LINK = /^(?:https?:|mailto:)/i;

function SafeLink({ href, children, title }: JSX.IntrinsicElements['a'] & ExtraProps) {
  if (href === undefined || !SAFE_LINK.test(href)) {
    return (
      <span className="markdown-link-disabled" title={href === undefined || href === '' ? undefined : `Not opened: ${href}`}>
        {children}
      </span>
    );
  }
  return (
    <a href={href} title={title} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  );
}

function ImageAsLink({ src, alt }: JSX.IntrinsicElements['img'] & ExtraProps) {
  const label = `Image: ${alt === undefined || alt === '' ? 'untitled' : alt}`;
  if (typeof src !== 'string' || !SAFE_LINK.test(src)) return <span className="markdown-image">{label}</span>;
  return (
    <a className="markdown-image" href={src} target="_blank" rel="noreferrer noopener">
      {label}
    </a>
  );
}

const REMARK_PLUGINS = [remarkGfm];
const HIGHLIGHT_OPTIONS: RehypeHighlightOptions = { detect: false };
const REHYPE_PLUGINS: [[typeof rehypeHighlight, RehypeHighlightOptions]] = [[rehypeHighlight, HIGHLIGHT_OPTIONS]];
const COMPONENTS: Components = { a: SafeLink, img: ImageAsLink, pre: CodeBlock };

export interface MarkdownMessageProps {
  readonly content: string;
}

export const MarkdownMessage = memo(function MarkdownMessage({ content }: MarkdownMessageProps) {
  // Re-parsing a long answer on every token must not hold up typing or scrolling.
  const shown = useDeferredValue(content);
  return (
    <div className="markdown">
      <Markdown remarkPlugins={REMARK_PLUGINS} rehypePlugins={REHYPE_PLUGINS} components={COMPONENTS}>
        {shown}
      </Markdown>
    </div>
  );
});
