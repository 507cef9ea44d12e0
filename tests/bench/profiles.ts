// Risk profiles' cost in the writer (issue 18, item 4): a batch of 10,000 new cases written
// through the one writer with no profile, then with 10 active profiles drawn from every kind of
// filter; and matchProfiles alone over those 10,000 ids. On SQLite (a 50,000-case seed) and,
// with --postgres, on a PostgreSQL copy of it (the tests' server, a database of its own,
// dropped at the end). Run: npx tsx tests/bench/profiles.ts [--postgres]
import pg from "pg";
import { sql } from "drizzle-orm";
import { copyDatabase } from "../../db/copy";
import { postgresEngine, sqliteEngine, type Engine } from "../../db/engine";
import { migratePostgres, openPostgres } from "../../db/postgres/open";
import { createProfile, matchProfiles } from "../../db/risk-profiles";
import { loadStoredCase, writeCases, type CaseWrite } from "../../db/writer";
import { CASE_INPUT_KEYS, type CaseInput } from "../../lib/case-definition";
import { serializeFilters } from "../../lib/filters";
import { seedDatabase } from "../../seed/run";
import { freshDb } from "../support/db";
import { combinedFilters, filterKinds, type FilterKind } from "../support/filter-combinations";
import { databaseUrl, serverUrl, uniqueName } from "../support/postgres";

const BATCH = 10_000;

async function measure(e: Engine, kinds: FilterKind[]) {
  const now = new Date();
  await e.db.insert(e.t.users).values({ id: "bench", name: "Bench", email: "bench@example.test", role: "analyst", holderId: null, createdAt: now, updatedAt: now });
  const batch = async (prefix: number) => {
    const writes: CaseWrite[] = [];
    for (let i = 0; i < BATCH; i++) {
      const stored = (await loadStoredCase(e, 1 + (i % 40_000)))!;
      const copy = Object.fromEntries(CASE_INPUT_KEYS.map((k) => [k, stored[k]])) as CaseInput;
      writes.push({ op: "create", input: { ...copy, caseNo: `${prefix}-0000-${String(i).padStart(4, "0")}`, recordationIds: [] } });
    }
    const started = performance.now();
    const result = await writeCases(e, writes, { userId: "bench", audit: "import", validated: true });
    return { ms: performance.now() - started, ids: result.cases.map((c) => c.id) };
  };
  const plain = await batch(9700);
  for (let i = 0; i < 10; i++) {
    const filters = combinedFilters([kinds[(i * 2) % kinds.length]!, kinds[(i * 2 + 1) % kinds.length]!]);
    await createProfile(e, { id: "bench" }, { name: `p${i}`, ownerId: "bench", query: serializeFilters(filters).toString(), validFrom: "2099-01-01", validTo: null, reason: "bench" });
  }
  await e.run(sql`update risk_profiles set valid_from = '2000-01-01'`);
  const matched = await batch(9800);
  const hits = Number((await e.get<{ n: number }>(sql`select count(*) as n from profile_hits`))!.n);
  const started = performance.now();
  await e.transaction(async (tx) => {
    await tx.run(sql`delete from profile_hits`);
    await matchProfiles(tx, matched.ids);
  });
  return { batch: BATCH, withoutProfiles: Math.round(plain.ms), with10Profiles: Math.round(matched.ms), hits, matchProfilesAlone: Math.round(performance.now() - started) };
}

const source = freshDb("profiles-bench");
await seedDatabase(source.db.$client, { cases: 50_000, seed: 3 });
const kinds = filterKinds(source.db.$client);
try {
  if (process.argv.includes("--postgres")) {
    const name = uniqueName("db");
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = databaseUrl(name);
    try {
      await migratePostgres(url);
      await copyDatabase({ from: `file:${source.file}`, to: url });
      const db = openPostgres(url);
      try {
        console.log("postgres", JSON.stringify(await measure(postgresEngine(db), kinds)));
      } finally {
        await db.$client.end();
      }
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  } else {
    console.log("sqlite", JSON.stringify(await measure(sqliteEngine(source.db), kinds)));
  }
} finally {
  source.close();
}
