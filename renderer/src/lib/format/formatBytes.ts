// Memory sizes as the status bar and settings show them: GiB with one decimal ("15.6 GiB").

const BYTES_PER_GIB = 1024 ** 3;

export function formatBytes(bytes: number): string {
  return `${(bytes / BYTES_PER_GIB).toFixed(1)} GiB`;
}
