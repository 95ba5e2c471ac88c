// Thrown when text is appended to a message that is no longer being written (finished, stopped or
// cut off by a restart): appending then would silently change an answer the user has already seen.
export class MessageNotStreamingError extends Error {
  override readonly name = 'MessageNotStreamingError';
  readonly conversationId: string;
  readonly messageId: string;

  constructor(conversationId: string, messageId: string, status: string) {
    super(
      `The message ${messageId} in conversation ${conversationId} is ${status}, not being written, so no text can be added to it. ` +
        'Regenerate the answer to get a new one.',
    );
    this.conversationId = conversationId;
    this.messageId = messageId;
  }
}
