// Puts text on the system clipboard. Resolves false (never throws) when the browser refuses, e.g. a
// page without focus or a shell that denies clipboard access, so callers can say it did not work.

export async function copyText(text: string): Promise<boolean> {
  try {
    // Absent on insecure origins, whatever the DOM types claim.
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (clipboard === undefined) return false;
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
