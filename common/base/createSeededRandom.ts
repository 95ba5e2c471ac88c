// A tiny seeded PRNG for everything that must be reproducible bit for bit on every machine:
// generated test models, training shuffles. Only integer ops and one division are used (no
// Math.log/sin), so no platform's libm can change the output.

/** Returns a function giving uniform floats in [0, 1). Mulberry32 after a splitmix-style seed mix. */
export function createSeededRandom(seed: number): () => number {
  if (!Number.isInteger(seed)) throw new RangeError(`Seed must be an integer, got ${seed}.`);
  // Mix the seed so that nearby seeds (1, 2, 3) start from unrelated states.
  let state = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  state = Math.imul(state ^ (state >>> 13), 0xc2b2ae35) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
