// Chat: conversations with local models. The local LLM engine is not in this build yet, so the view
// says what will appear here instead of showing controls that cannot work.
import { EmptyState } from '../../../components/EmptyState';
import { Icon } from '../../../components/Icon';
import { ViewFrame } from '../../../components/ViewFrame';

export function ChatView() {
  return (
    <ViewFrame testId="view-chat" title="Chat" lead="Ask about your code and get answers from models running on this machine.">
      <EmptyState title="No chats yet" icon={<Icon paths={['M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z']} />}>
        <p>
          Chat with local models arrives with the local LLM engine. You&apos;ll be able to stream answers from GGUF models running on your
          CPU or GPU.
        </p>
        <p>Your conversations will stay on this machine.</p>
      </EmptyState>
    </ViewFrame>
  );
}
