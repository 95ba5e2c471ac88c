// Chat: conversations with the local model. Conversations on the left; on the right the model bar,
// the open conversation's thread and the message box. Main owns conversations and the model; the
// view shows the store (fed by bindChatApi) and asks main through useChatActions.
import { ViewFrame } from '../../../components/ViewFrame';
import { useAppStore } from '../../../app/store/useAppStore';
import { useChatActions } from '../hooks/useChatActions';
import { generationBlockReason } from '../utils/generationBlockReason';
import { ChatErrorBanner } from './ChatErrorBanner';
import { ChatThread } from './ChatThread';
import { Composer } from './Composer';
import { ConversationSidebar } from './ConversationSidebar';
import { ModelBar } from './ModelBar';

export function ChatView() {
  const actions = useChatActions();
  const llm = useAppStore((state) => state.llmState);
  const models = useAppStore((state) => state.installedModels);
  const blockReason = generationBlockReason(llm, models);

  return (
    <ViewFrame
      testId="view-chat"
      className="view-chat"
      title="Chat"
      lead="Ask about your code and get answers from models running on this machine."
    >
      <div className="chat-layout">
        <ConversationSidebar actions={actions} />
        <div className="chat-main">
          <ModelBar actions={actions} />
          <ChatErrorBanner />
          <ChatThread blockReason={blockReason} actions={actions} />
          <Composer blockReason={blockReason} actions={actions} />
        </div>
      </div>
    </ViewFrame>
  );
}
