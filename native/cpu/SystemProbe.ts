// The few facts and system calls the CPU checks read, behind an interface so tests can describe a
// Linux server, an Intel Mac or a Windows laptop without running on one.
export interface SystemProbe {
  readonly platform: NodeJS.Platform;
  readonly arch: NodeJS.Architecture;
  /** Logical CPUs this process may use (affinity and container limits included). */
  logicalCoreCount(): number;
  /** Reads a whole text file; throws when it cannot. */
  readTextFile(path: string): string;
  /** Runs a program without a shell and returns its stdout; throws when it fails. */
  runCommand(file: string, args: readonly string[]): string;
}
