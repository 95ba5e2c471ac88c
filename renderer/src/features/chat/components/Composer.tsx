// The message box: Enter sends, Shift+Enter starts a new line; Stop replaces Send while an answer is
// written. Disabled, with the reason, while no model is ready. The text is cleared only once main has
// accepted it. Also opens the conversation's settings, and lets the user choose the route of the next
// message (by default the router decides from its intent and the routing policy).
import { useId, useRef, useState } from 'react';
import type { KeyboardEvent, SubmitEvent } from 'react';
import { useActiveConversation } from '../hooks/useActiveConversation';
import type { ChatActions } from '../hooks/useChatActions';
import { ConversationSettings } from './ConversationSettings';
import type { RouteKind } from '../../../../../common/router/routeSchema';
import { ChoosableRouteOptions, isChoosableRoute } from './RouteInfo';

export interface ComposerProps {
  readonly blockReason: string | null;
  readonly actions: ChatActions;
}

export function Composer({ blockReason, actions }: ComposerProps) {
  const conversation = useActiveConversation();
  const id = useId();
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [stopping, setStopping] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [route, setRoute] = useState<RouteKind | 'auto'>('auto');
  const settingsToggle = useRef<HTMLButtonElement>(null);
  const streaming = conversation?.messages.some((m) => m.status === 'streaming') ?? false;
  const canSend = blockReason === null && !streaming && !sending && draft.trim() !== '';

  const send = async (): Promise<void> => {
    if (!canSend) return;
    const content = draft;
    setSending(true);
    const sent = await actions.send(content, route === 'auto' ? undefined : route);
    setSending(false);
    // Keep anything typed while the message was on its way; a chosen route applies to one message.
    if (sent) {
      setDraft((current) => (current === content ? '' : current));
      setRoute('auto');
    }
  };

  const stop = async (): Promise<void> => {
    setStopping(true);
    await actions.stop();
    setStopping(false);
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void send();
  };

  const handleSubmit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    void send();
  };

  const hint =
    blockReason ??
    (streaming ? 'An answer is being written. Stop it or wait to send the next message.' : 'Enter to send · Shift+Enter for a new line');

  return (
    <div className="composer-area">
      {settingsOpen ? (
        <ConversationSettings
          key={conversation?.id ?? 'new'}
          id={`${id}-settings`}
          conversation={conversation}
          actions={actions}
          onClose={() => {
            setSettingsOpen(false);
            settingsToggle.current?.focus();
          }}
        />
      ) : null}
      <form className="composer" onSubmit={handleSubmit} aria-label="New message">
        <label htmlFor={`${id}-message`} className="visually-hidden">
          Message
        </label>
        <textarea
          id={`${id}-message`}
          className="composer-input"
          data-testid="chat-composer"
          rows={3}
          placeholder={blockReason === null ? 'Ask about your code…' : undefined}
          value={draft}
          disabled={blockReason !== null}
          aria-describedby={`${id}-hint`}
          onChange={(event) => {
            setDraft(event.target.value);
          }}
          onKeyDown={handleKeyDown}
        />
        <div className="composer-footer">
          <p
            id={`${id}-hint`}
            className={blockReason === null ? 'composer-hint' : 'composer-hint composer-blocked'}
            data-testid="chat-composer-hint"
          >
            {hint}
          </p>
          <label className="composer-route" htmlFor={`${id}-route`}>
            <span>Route</span>
            <select
              id={`${id}-route`}
              className="select select-small"
              data-testid="chat-route-select"
              value={route}
              title="Where this message goes. Auto: CodeSage decides from its intent and your routing policy (Settings)."
              onChange={(event) => {
                const choice = event.target.value;
                setRoute(isChoosableRoute(choice) ? choice : 'auto');
              }}
            >
              <option value="auto">Auto (by intent)</option>
              <ChoosableRouteOptions />
            </select>
          </label>
          <button
            type="button"
            className="button button-quiet"
            data-testid="chat-settings-toggle"
            ref={settingsToggle}
            aria-expanded={settingsOpen}
            aria-controls={settingsOpen ? `${id}-settings` : undefined}
            onClick={() => {
              setSettingsOpen((open) => !open);
            }}
          >
            Chat settings
          </button>
          {streaming ? (
            <button
              type="button"
              className="button button-danger"
              data-testid="chat-stop"
              disabled={stopping}
              onClick={() => {
                void stop();
              }}
            >
              {stopping ? 'Stopping…' : 'Stop'}
            </button>
          ) : (
            <button type="submit" className="button button-primary" data-testid="chat-send" disabled={!canSend}>
              {sending ? 'Sending…' : 'Send'}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
