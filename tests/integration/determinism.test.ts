import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { seedDatabase } from "../../seed/run";
import { freshDb } from "../support/db";

const opened: ReturnType<typeof freshDb>[] = [];
afterAll(() => opened.forEach((t) => t.close()));

async function dumpHash(cases: number, seed: number): Promise<string> {
  const t = freshDb("determinism");
  opened.push(t);
  await seedDatabase(t.db.$client, { cases, seed });
  const hash = createHash("sha256");
  // every case column except the upkeep timestamps of the row itself, in id order, plus links
  for (const row of t.db.$client.prepare("select * from cases order by id").raw().iterate()) hash.update(JSON.stringify(row));
  for (const row of t.db.$client.prepare("select * from case_right_holders order by case_id, right_holder_id").raw().iterate()) hash.update(JSON.stringify(row));
  for (const table of ["customs_offices", "right_holders", "campaigns"]) {
    for (const row of t.db.$client.prepare(`select * from ${table} order by id`).raw().iterate()) hash.update(JSON.stringify(row));
  }
  return hash.digest("hex");
}

describe("the demo generator", () => {
  it("produces identical data for the same --cases and --seed, and different data for another seed", async () => {
    const first = await dumpHash(5_000, 42);
    const second = await dumpHash(5_000, 42);
    const other = await dumpHash(5_000, 43);
    expect(second).toBe(first);
    expect(other).not.toBe(first);
  });
});
