// The real SystemProbe: this process's platform, /proc files and commands such as sysctl.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { SystemProbe } from './SystemProbe';

export const nodeSystemProbe: SystemProbe = {
  platform: process.platform,
  arch: process.arch,
  logicalCoreCount: () => availableParallelism(),
  readTextFile: (path) => readFileSync(path, 'utf8'),
  // A short timeout: these probes run while the app starts and must never hang it.
  runCommand: (file, args) =>
    execFileSync(file, args, { encoding: 'utf8', timeout: 2_000, stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true }),
};
