// A SystemProbe for tests: describes a machine and records which commands were run.
import type { SystemProbe } from './SystemProbe';

export interface FakeSystemProbe extends SystemProbe {
  readonly commands: string[];
}

export function fakeSystemProbe(machine: {
  platform: NodeJS.Platform;
  arch?: NodeJS.Architecture;
  logicalCores?: number;
  files?: Readonly<Record<string, string>>;
  commandOutput?: Readonly<Record<string, string>>;
}): FakeSystemProbe {
  const commands: string[] = [];
  return {
    platform: machine.platform,
    arch: machine.arch ?? 'x64',
    commands,
    logicalCoreCount: () => machine.logicalCores ?? 8,
    readTextFile: (path) => {
      const text = machine.files?.[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    runCommand: (file, args) => {
      const command = [file, ...args].join(' ');
      commands.push(command);
      const output = machine.commandOutput?.[command];
      if (output === undefined) throw new Error(`Command failed: ${command}`);
      return output;
    },
  };
}
