import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase } from "../../db/mutations/cases";
import { drizzleOf, migrateDb, openDb, openSqlite } from "../../db/sqlite/open";
import { sqliteEngine } from "../../db/engine";
import { derivedMismatches } from "../../db/aggregate/check";
import { seedDatabase } from "../../seed/run";
import { ROOT, tempDir } from "../support/db";
import { freshEngine, type FreshEngine } from "../support/engines";
import { searchMismatches } from "../support/written";

// kill -9 of a process in the middle of writing (WAL, synchronous=NORMAL): every write it
// acknowledged (printed after its commit returned) is in the database when it is opened
// again, the file is intact, the derived tables agree with the cases, and writing goes on.
// (synchronous=NORMAL keeps every commit across a process crash; only an OS crash or a power
// cut can lose the last commits before a checkpoint, which kill -9 does not simulate.)

const dir = tempDir("crash");
const file = path.join(dir, "ipr.db");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const db = openDb(`file:${file}`);
  migrateDb(db);
  await seedDatabase(db.$client, { cases: 2_000, seed: 31 });
  db.$client.close();
});

type Round = { acknowledged: number; present: number; walBytes: number; ms: number };

/** Starts the writer, kills it with SIGKILL `afterMs` after its first commit, and returns what it acknowledged. */
/** The commits a writer makes before it may be killed (the tests expect more than 10). */
const MIN_ACKNOWLEDGED = 11;

function writeAndKill(prefix: string, afterMs: number, target = file): Promise<{ acknowledged: number; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    // node itself with tsx's loader, not the tsx binary: that one runs node as a child, which
    // a SIGKILL of the binary would leave running
    const writer = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "tests", "support", "writer.ts"), target, "cases", prefix], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let acknowledged = 0;
    let buffered = "";
    let errors = "";
    let timer: NodeJS.Timeout | undefined;
    let due = false;
    writer.stdout.on("data", (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) acknowledged = Number(/^committed (\d+)$/.exec(line)?.[1] ?? acknowledged);
      // killed `afterMs` after the first commit, but never before MIN_ACKNOWLEDGED commits: on a
      // busy machine fewer writes fit in the time (7 in 800 ms once, beside the browser tests),
      // and the test is of a kill amid a run of commits, not of the machine's speed
      if (acknowledged > 0 && !timer) timer = setTimeout(() => { due = true; if (acknowledged >= MIN_ACKNOWLEDGED) writer.kill("SIGKILL"); }, afterMs);
      if (due && acknowledged >= MIN_ACKNOWLEDGED) writer.kill("SIGKILL");
    });
    writer.stderr.on("data", (d) => (errors += d));
    writer.on("error", reject);
    // "close": the process is gone and its stdout is drained, so every acknowledgement was read
    writer.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal !== "SIGKILL") reject(new Error(`the writer stopped by itself (${code}): ${errors}`));
      else resolve({ acknowledged, signal });
    });
  });
}

describe("kill -9 during writes", () => {
  const rounds: Round[] = [];

  it.each([
    ["CRASH-A", 1000],
    ["CRASH-B", 350],
    ["CRASH-C", 1200],
  ])("keeps every acknowledged case of %s (killed %i ms after the first commit) and restarts cleanly", async (prefix, afterMs) => {
    const started = Date.now();
    const { acknowledged, signal } = await writeAndKill(prefix, afterMs);
    expect(signal).toBe("SIGKILL");
    expect(acknowledged).toBeGreaterThan(10);
    // the killed writer leaves its WAL behind: opening the file again recovers from it
    const walBytes = fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0;

    const sqlite = openSqlite(file);
    try {
      expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(sqlite.pragma("foreign_key_check")).toEqual([]);
      const numbers = (sqlite.prepare("select case_no as caseNo from cases where case_no like ?").all(`${prefix}-%`) as { caseNo: string }[])
        .map((r) => Number(r.caseNo.slice(prefix.length + 1)))
        .sort((a, b) => a - b);
      // 1..acknowledged all present; at most one more (committed, killed before it printed)
      const missing = Array.from({ length: acknowledged }, (_, i) => i + 1).filter((n) => !numbers.includes(n));
      expect(missing).toEqual([]);
      expect(numbers.length).toBeGreaterThanOrEqual(acknowledged);
      expect(numbers.length).toBeLessThanOrEqual(acknowledged + 1);
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
      // each case came with its audit entry and search document (same transaction)
      const audits = (sqlite.prepare("select count(*) as n from audit_log a join cases c on c.id = a.entity_id and a.entity = 'case' where c.case_no like ?").get(`${prefix}-%`) as { n: number }).n;
      expect(audits).toBe(numbers.length);
      expect(await derivedMismatches(sqlite)).toEqual([]);
      // restarts cleanly: the next write works
      const holders = (sqlite.prepare("select id from right_holders order by id limit 1").all() as { id: number }[]).map((r) => r.id);
      const officeId = (sqlite.prepare("select id from customs_offices order by id limit 1").get() as { id: number }).id;
      const { id } = await createCase(sqliteEngine(drizzleOf(sqlite)), {
        caseNo: `${prefix}-AFTER`, officeId, seizedOn: "2024-05-07", infringementType: "copyright", goodsCategory: "apparel_footwear",
        goodsDescription: "Written after the crash", pieces: 3, valueFen: 300, direction: "import", channel: "general_freight",
        transport: "sea", protectionMode: "on_application", originCountry: null, destinationCountry: null, campaignId: null,
        status: "detained", disposal: null, hearingHeld: false, referredToPolice: false, penaltyFen: null, notes: null,
        rightHolderIds: holders,
      }, null);
      expect(id).toBeGreaterThan(0);
      expect(await derivedMismatches(sqlite)).toEqual([]);
      rounds.push({ acknowledged, present: numbers.length, walBytes, ms: Date.now() - started });
    } finally {
      sqlite.close();
    }
  });

  afterAll(() => {
    for (const r of rounds) console.log(`crash round: ${r.acknowledged} acknowledged, ${r.present} present, WAL ${r.walBytes} bytes at reopen, ${r.ms} ms`);
  });
});

// PostgreSQL: a writer killed with -9 loses its connection; the server rolls back what it had
// not committed, and every acknowledged commit stays, each with its audit entry and search document.
describe("kill -9 during writes on PostgreSQL", () => {
  let pg: FreshEngine;
  beforeAll(async () => {
    pg = await freshEngine("postgres", "crash");
    await seedDatabase(pg.e, { cases: 2_000, seed: 31 });
  }, 120_000);
  afterAll(() => pg?.close());

  it("keeps every acknowledged case, and nothing half-written", async () => {
    const prefix = "PGCRASH";
    const { acknowledged, signal } = await writeAndKill(prefix, 800, pg.url);
    expect(signal).toBe("SIGKILL");
    expect(acknowledged).toBeGreaterThan(10);
    const numbers = (await pg.e.all<{ caseNo: string }>(sql`select case_no as "caseNo" from cases where case_no like ${`${prefix}-%`}`))
      .map((r) => Number(r.caseNo.slice(prefix.length + 1)))
      .sort((a, b) => a - b);
    expect(numbers.length).toBeGreaterThanOrEqual(acknowledged);
    expect(numbers.length).toBeLessThanOrEqual(acknowledged + 1);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    const audits = await pg.e.get<{ n: number }>(sql`select count(*) as n from audit_log a join cases c on c.id = a.entity_id and a.entity = 'case' where c.case_no like ${`${prefix}-%`}`);
    expect(Number(audits!.n)).toBe(numbers.length);
    expect(await searchMismatches(pg.e)).toEqual([]);
  });
});
