// The search box over every conversation (chats.search) and its hits, each with the text around
// the match; choosing a hit opens its conversation. Typing waits a moment before asking main, and
// an answer to an older query never replaces a newer one.
import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import type { SearchHit } from '../../../../../common/chat/chatSchema';
import type { Loadable } from '../../../lib/async/Loadable';
import { toErrorInfo } from '../../../lib/errors/toErrorInfo';
import type { ChatActions } from '../hooks/useChatActions';

export interface ChatSearchProps {
  readonly activeId: string | null;
  readonly actions: ChatActions;
  /** The conversation list, shown while there is no query. */
  readonly children: ReactNode;
}

const DEBOUNCE_MS = 150;

function highlight(snippet: string, query: string): ReactNode[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [snippet];
  const parts: ReactNode[] = [];
  const haystack = snippet.toLowerCase();
  let from = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, from)) {
    if (at > from) parts.push(snippet.slice(from, at));
    parts.push(<mark key={at}>{snippet.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
  }
  if (from < snippet.length) parts.push(snippet.slice(from));
  return parts;
}

export function ChatSearch({ activeId, actions, children }: ChatSearchProps) {
  const id = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Loadable<readonly SearchHit[]>>({ status: 'loading' });
  const timer = useRef<number | undefined>(undefined);
  const latest = useRef(0);

  useEffect(
    () => () => {
      window.clearTimeout(timer.current);
    },
    [],
  );

  const search = async (text: string, request: number): Promise<void> => {
    try {
      const hits = await actions.search(text);
      if (latest.current === request) setResults({ status: 'ready', value: hits });
    } catch (error) {
      if (latest.current === request) setResults({ status: 'failed', error: toErrorInfo(error) });
    }
  };

  const change = (text: string): void => {
    setQuery(text);
    window.clearTimeout(timer.current);
    latest.current += 1;
    const request = latest.current;
    setResults({ status: 'loading' });
    if (text.trim() === '') return;
    timer.current = window.setTimeout(() => {
      void search(text.trim(), request);
    }, DEBOUNCE_MS);
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Escape' && query !== '') {
      event.preventDefault();
      change('');
    }
  };

  const searching = query.trim() !== '';

  return (
    <>
      <div className="chat-search" role="search">
        <label htmlFor={`${id}-query`} className="visually-hidden">
          Search chats
        </label>
        <input
          id={`${id}-query`}
          className="input"
          type="search"
          data-testid="chat-search"
          placeholder="Search chats"
          autoComplete="off"
          value={query}
          aria-controls={searching ? `${id}-results` : undefined}
          onChange={(event) => {
            change(event.target.value);
          }}
          onKeyDown={handleKeyDown}
        />
      </div>
      {searching ? (
        <div id={`${id}-results`} className="chat-search-results" aria-label="Search results" role="region">
          <p className="visually-hidden" aria-live="polite">
            {results.status === 'ready' ? `${String(results.value.length)} ${results.value.length === 1 ? 'result' : 'results'}` : ''}
          </p>
          {results.status === 'loading' ? <p className="muted chat-list-note">Searching…</p> : null}
          {results.status === 'failed' ? (
            <p className="chat-list-note field-error" role="alert">
              Search failed: {results.error.message}
            </p>
          ) : null}
          {results.status === 'ready' && results.value.length === 0 ? (
            <p className="muted chat-list-note">No chats match “{query.trim()}”.</p>
          ) : null}
          {results.status === 'ready' && results.value.length > 0 ? (
            <ul className="conversation-list">
              {results.value.map((hit) => (
                <li key={`${hit.conversationId}:${hit.messageId ?? 'title'}`} className="conversation-item">
                  <button
                    type="button"
                    className="conversation-open"
                    data-testid="chat-search-hit"
                    aria-current={hit.conversationId === activeId ? 'true' : undefined}
                    onClick={() => {
                      void actions.open(hit.conversationId);
                    }}
                  >
                    <span className="conversation-title">{hit.title}</span>
                    <span className="chat-search-snippet">{highlight(hit.snippet, query)}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : (
        children
      )}
    </>
  );
}
