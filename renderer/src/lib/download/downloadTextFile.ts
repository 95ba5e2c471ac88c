// Saves text as a file through the browser's own download (a Blob URL on an <a download>), which
// works the same in the Electron window and in serve mode's browser tab.

export interface DownloadTextFileOptions {
  readonly fileName: string;
  readonly mimeType: string;
  readonly content: string;
}

export function downloadTextFile({ fileName, mimeType, content }: DownloadTextFileOptions): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  anchor.hidden = true;
  document.body.append(anchor);
  try {
    anchor.click();
  } finally {
    anchor.remove();
    // The download has taken its copy once click() returns; later is only belt and braces.
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 1000);
  }
}
