// Thrown when a conversation id is not in the chat store: it was deleted (perhaps in another window)
// or never existed. The UI can branch on the name and refresh its list.
export class ConversationNotFoundError extends Error {
  override readonly name = 'ConversationNotFoundError';
  readonly conversationId: string;

  constructor(conversationId: string) {
    super(`The conversation ${conversationId} does not exist; it may have been deleted. Refresh the chat list and pick another one.`);
    this.conversationId = conversationId;
  }
}
