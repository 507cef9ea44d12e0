import { describe, expect, it } from "vitest";
import { createRandom, splitExactly } from "../../lib/prng";

describe("seeded random numbers", () => {
  it("repeats the same sequence for the same seed and differs for another", () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });

  it("draws whole numbers within the bounds, both ends reachable", () => {
    const r = createRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(r.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });
});

describe("splitExactly", () => {
  it("splits a published total into parts that add up to it exactly", () => {
    const r = createRandom(99);
    for (const [total, parts, min] of [[544_000, 96, 20], [6_250_000, 63, 2_000], [847, 10, 1]] as const) {
      const split = splitExactly(r, total, parts, min);
      expect(split).toHaveLength(parts);
      expect(split.reduce((s, v) => s + v, 0)).toBe(total);
      for (const v of split) {
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(min);
      }
    }
  });

  it("refuses a split that cannot meet the minimum", () => {
    expect(() => splitExactly(createRandom(1), 10, 5, 3)).toThrow(/cannot split/);
  });
});
