import { describe, expect, it } from 'vitest';
import { StopSequenceFilter } from './StopSequenceFilter';

function run(sequences: string[], chunks: string[]): { shown: string[]; stopped: boolean; rest: string } {
  const filter = new StopSequenceFilter(sequences);
  const shown = chunks.map((chunk) => filter.push(chunk).text);
  return { shown, stopped: filter.stopped, rest: filter.flush() };
}

describe('StopSequenceFilter', () => {
  it('passes everything through without stop sequences', () => {
    expect(run([], ['a', 'b'])).toEqual({ shown: ['a', 'b'], stopped: false, rest: '' });
  });

  it('cuts before a stop sequence inside one chunk and drops what follows', () => {
    expect(run(['\n\n'], ['one\n\ntwo', 'three'])).toEqual({ shown: ['one', ''], stopped: true, rest: '' });
  });

  it('holds back a tail that may become a stop sequence until it is decided', () => {
    expect(run(['END'], ['go E', 'N', 'D!'])).toEqual({ shown: ['go ', '', ''], stopped: true, rest: '' });
    expect(run(['END'], ['go E', 'N', 'O'])).toEqual({ shown: ['go ', '', 'ENO'], stopped: false, rest: '' });
    expect(run(['END'], ['go E'])).toEqual({ shown: ['go '], stopped: false, rest: 'E' });
  });

  it('stops at the earliest of several sequences', () => {
    expect(run(['bb', 'a'], ['xbbya'])).toEqual({ shown: ['x'], stopped: true, rest: '' });
    expect(run(['ab', 'b'], ['xa', 'b'])).toEqual({ shown: ['x', ''], stopped: true, rest: '' });
  });

  it('holds back the longest possible prefix among sequences', () => {
    const filter = new StopSequenceFilter(['abc', 'bcd']);
    expect(filter.push('xab').text).toBe('x');
    expect(filter.push('c').text).toBe('');
    expect(filter.stopped).toBe(true);
  });
});
