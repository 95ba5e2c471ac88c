// Thrown before LanceDB is imported on an x64 CPU without AVX2: its native code would die with an
// illegal instruction, taking the whole process with it, so we refuse up front instead.
export class LanceDbUnsupportedCpuError extends Error {
  override readonly name = 'LanceDbUnsupportedCpuError';

  constructor() {
    super(
      'LanceDB needs a CPU with AVX2 instructions, which this processor does not have, so repository search is ' +
        'unavailable on this machine; chat and review still work.',
    );
  }
}
