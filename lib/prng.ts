// A small seeded PRNG (sfc32 seeded through splitmix32) so that the demo data is the same
// for the same --seed on every machine and Node version.

export type Random = {
  next(): number; // [0, 1)
  int(min: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  shuffle<T>(items: T[]): T[];
  chance(p: number): boolean;
};

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRandom(seed: number): Random {
  const init = splitmix32(seed);
  let a = init(), b = init(), c = init(), d = init();
  const nextU32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextU32();
  const next = () => nextU32() / 4294967296;
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: (items) => {
      let total = 0;
      for (const [, w] of items) total += w;
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
    chance: (p) => next() < p,
  };
  return random;
}

/**
 * Splits `total` into `parts` positive integers (each ≥ `min`) with random proportions:
 * how the generator makes published totals come out exactly.
 */
export function splitExactly(random: Random, total: number, parts: number, min = 1, skew = 1.2): number[] {
  if (parts <= 0) throw new RangeError("parts must be positive");
  if (total < parts * min) throw new RangeError(`cannot split ${total} into ${parts} parts of at least ${min}`);
  const weights = Array.from({ length: parts }, () => Math.exp(skew * gaussian(random)));
  const sum = weights.reduce((s, w) => s + w, 0);
  const spare = total - parts * min;
  const out = weights.map((w) => min + Math.floor((spare * w) / sum));
  let rest = total - out.reduce((s, v) => s + v, 0);
  for (let i = 0; rest > 0; i = (i + 1) % parts, rest--) out[i]! += 1;
  return out;
}

export function gaussian(random: Random): number {
  const u = Math.max(random.next(), 1e-12);
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
