// Honours OpenAI's `stop` over a stream of text chunks: passes text through until a stop sequence
// appears, cuts the answer just before it, and meanwhile holds back any tail that could still grow
// into one (so a streamed delta never shows part of a stop sequence that is then taken back).

export interface StopSequenceStep {
  /** Text that is safe to show now. */
  readonly text: string;
  /** True once a stop sequence has been seen; everything after it is dropped. */
  readonly stopped: boolean;
}

export class StopSequenceFilter {
  private pending = '';
  private done = false;

  constructor(private readonly sequences: readonly string[]) {}

  get stopped(): boolean {
    return this.done;
  }

  push(chunk: string): StopSequenceStep {
    if (this.done) return { text: '', stopped: true };
    if (this.sequences.length === 0) return { text: chunk, stopped: false };
    const buffer = this.pending + chunk;
    let cut = -1;
    for (const sequence of this.sequences) {
      const index = buffer.indexOf(sequence);
      if (index !== -1 && (cut === -1 || index < cut)) cut = index;
    }
    if (cut !== -1) {
      this.done = true;
      this.pending = '';
      return { text: buffer.slice(0, cut), stopped: true };
    }
    const held = this.heldBackLength(buffer);
    this.pending = buffer.slice(buffer.length - held);
    return { text: buffer.slice(0, buffer.length - held), stopped: false };
  }

  /** At the end of the answer: the held-back tail turned out not to be a stop sequence. */
  flush(): string {
    const rest = this.done ? '' : this.pending;
    this.pending = '';
    return rest;
  }

  /** Length of the longest tail of `buffer` that is a proper prefix of some stop sequence. */
  private heldBackLength(buffer: string): number {
    let longest = 0;
    for (const sequence of this.sequences) {
      for (let length = Math.min(sequence.length - 1, buffer.length); length > longest; length--) {
        if (buffer.endsWith(sequence.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
