// Page object for the Models view: catalog cards with fit badges, downloads, installed models.
import type { Locator, Page } from '@playwright/test';

export class ModelsPage {
  constructor(readonly page: Page) {}

  fitBadge(entryId: string, quant: string): Locator {
    return this.page.getByTestId(`fit-badge-${entryId}-${quant}`);
  }
  downloadButton(entryId: string, quant: string): Locator {
    return this.page.getByTestId(`catalog-download-${entryId}-${quant}`);
  }
  download(fileName: string): Locator {
    return this.page.locator(`[data-testid="download-row"][data-file="${fileName}"]`);
  }
  installed(modelId: string): Locator {
    return this.page.getByTestId(`installed-model-${modelId}`);
  }
}
