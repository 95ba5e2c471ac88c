// ipull runs parallel streams as promises it chains with `.then` and never `.catch`es, so when one
// stream fails (a 500, a dropped socket after its retries) the failure reaches us once through
// `engine.download()` and again as unhandled rejections of those chains. In plain Node (serve mode,
// CLI) an unhandled rejection ends the process. While a DownloadManager lives, this listener drops
// ipull's own errors, which the manager has already handled, and rethrows anything else so every
// other unhandled rejection still fails loudly, as it would without a listener. A failed disk write
// takes the same path (see guardDownloadWrites), so a full disk fails the download, not the app.
import { IpullError } from 'ipull';
import { DiskWriteError } from './errors/DownloadError';

let holders = 0;

/**
 * A rejection of a promise ipull's own code awaited, as its (async) stack shows: a connection
 * refused or reset before a response (Node's fetch rejects with a plain `TypeError: fetch failed`)
 * reaches ipull's chains as is, not as an IpullError.
 */
const IPULL_FRAME = /[\\/]ipull[\\/]dist[\\/]/;

/** ipull's own errors, errors thrown through its code, and failed writes that guardDownloadWrites turned into DiskWriteError. */
export function isHandledIpullRejection(reason: unknown): boolean {
  return (
    reason instanceof IpullError || reason instanceof DiskWriteError || (reason instanceof Error && IPULL_FRAME.test(reason.stack ?? ''))
  );
}

function onUnhandledRejection(reason: unknown): void {
  if (isHandledIpullRejection(reason)) return;
  throw reason;
}

/** Installs the listener (reference-counted); call the returned function to release it. */
export function guardIpullRejections(): () => void {
  holders += 1;
  if (holders === 1) process.on('unhandledRejection', onUnhandledRejection);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders -= 1;
    if (holders === 0) process.off('unhandledRejection', onUnhandledRejection);
  };
}
