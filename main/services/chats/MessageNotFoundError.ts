// Thrown when a message id is not part of the conversation it was asked for in, usually because the
// view is out of date.
export class MessageNotFoundError extends Error {
  override readonly name = 'MessageNotFoundError';
  readonly conversationId: string;
  readonly messageId: string;

  constructor(conversationId: string, messageId: string) {
    super(
      `The message ${messageId} is not part of the conversation ${conversationId}; it may have been removed. ` +
        'Reopen the conversation and try again.',
    );
    this.conversationId = conversationId;
    this.messageId = messageId;
  }
}
