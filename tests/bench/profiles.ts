// Risk profiles' cost in the writer (issue 18, item 4): a batch of 10,000 new cases written
// through the one writer with no profile, then with 10 active profiles drawn from every kind of
// filter; and matchProfiles alone over those 10,000 ids. Run: npx tsx tests/bench/profiles.ts
import { sql } from "drizzle-orm";
import { sqliteEngine } from "../../db/engine";
import { createProfile, matchProfiles } from "../../db/risk-profiles";
import { loadStoredCase, writeCases, type CaseWrite } from "../../db/writer";
import { CASE_INPUT_KEYS, type CaseInput } from "../../lib/case-definition";
import { serializeFilters } from "../../lib/filters";
import { seedDatabase } from "../../seed/run";
import { freshDb } from "../support/db";
import { combinedFilters, filterKinds } from "../support/filter-combinations";

const BATCH = 10_000;
const { db, close } = freshDb("profiles-bench");
const e = sqliteEngine(db);
await seedDatabase(db.$client, { cases: 50_000, seed: 3 });
const now = new Date();
await e.db.insert(e.t.users).values({ id: "a", name: "A", email: "a@example.test", role: "analyst", holderId: null, createdAt: now, updatedAt: now });
const kinds = filterKinds(db.$client);

async function batch(prefix: number): Promise<{ ms: number; ids: number[] }> {
  const writes: CaseWrite[] = [];
  for (let i = 0; i < BATCH; i++) {
    const stored = (await loadStoredCase(e, 1 + (i % 40_000)))!;
    const copy = Object.fromEntries(CASE_INPUT_KEYS.map((k) => [k, stored[k]])) as CaseInput;
    writes.push({ op: "create", input: { ...copy, caseNo: `${prefix}-0000-${String(i).padStart(4, "0")}`, recordationIds: [] } });
  }
  const started = performance.now();
  const result = await writeCases(e, writes, { userId: "a", audit: "import", validated: true });
  return { ms: performance.now() - started, ids: result.cases.map((c) => c.id) };
}
const plain = await batch(9700);
for (let i = 0; i < 10; i++) {
  const filters = combinedFilters([kinds[(i * 2) % kinds.length]!, kinds[(i * 2 + 1) % kinds.length]!]);
  await createProfile(e, { id: "a" }, { name: `p${i}`, ownerId: "a", query: serializeFilters(filters).toString(), validFrom: "2030-01-01", validTo: null, reason: "bench" });
}
await e.run(sql`update risk_profiles set valid_from = '2000-01-01'`);
const matched = await batch(9800);
const hits = Number((await e.get<{ n: number }>(sql`select count(*) as n from profile_hits`))!.n);
const started = performance.now();
await e.transaction(async (tx) => {
  await tx.run(sql`delete from profile_hits`);
  await matchProfiles(tx, matched.ids);
});
const alone = performance.now() - started;
console.log(JSON.stringify({ batch: BATCH, withoutProfiles: Math.round(plain.ms), with10Profiles: Math.round(matched.ms), hits, matchProfilesAlone: Math.round(alone) }));
close();
