// Page object for the Chat view: model bar, conversation list, thread and composer.
import type { Locator, Page } from '@playwright/test';

export class ChatPage {
  constructor(readonly page: Page) {}

  get modelPicker(): Locator {
    return this.page.getByTestId('model-picker');
  }
  get loadButton(): Locator {
    return this.page.getByTestId('model-load');
  }
  get modelState(): Locator {
    return this.page.getByTestId('model-state');
  }
  get composer(): Locator {
    return this.page.getByTestId('chat-composer');
  }
  get sendButton(): Locator {
    return this.page.getByTestId('chat-send');
  }
  get stopButton(): Locator {
    return this.page.getByTestId('chat-stop');
  }
  get regenerateButton(): Locator {
    return this.page.getByTestId('chat-regenerate').last();
  }
  get search(): Locator {
    return this.page.getByTestId('chat-search');
  }
  get conversations(): Locator {
    return this.page.getByTestId('chat-conversation-item');
  }
  get assistantMessages(): Locator {
    return this.page.getByTestId('chat-message-assistant');
  }
  get userMessages(): Locator {
    return this.page.getByTestId('chat-message-user');
  }
  get branchPosition(): Locator {
    return this.page.getByTestId('branch-position').last();
  }

  get routeSelect(): Locator {
    return this.page.getByTestId('chat-route-select');
  }

  /** The answer's generated text only (not its route, reason or controls); '' before the first token. */
  answerText(answer: Locator): Promise<string> {
    return answer.evaluate((element) => element.querySelector('.markdown')?.textContent ?? '');
  }

  async loadModel(modelId: string): Promise<void> {
    await this.modelPicker.selectOption(modelId);
    await this.loadButton.click();
  }

  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.sendButton.click();
  }
}
