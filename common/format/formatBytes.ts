// Sizes as the UI shows them: memory in GiB with one decimal ("15.6 GiB"); below 1 GiB (small
// model files) in MiB or KiB so a 900 KB model does not read "0.0 GiB".

const KIB = 1024;
const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

export function formatBytes(bytes: number): string {
  if (bytes >= GIB || bytes === 0) return `${(bytes / GIB).toFixed(1)} GiB`;
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(1)} MiB`;
  return `${(bytes / KIB).toFixed(1)} KiB`;
}
