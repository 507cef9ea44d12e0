import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, restoreCase, softDeleteCase, type CaseInput } from "../../db/mutations/cases";
import { drizzleOf, migrateDb, openDb, openSqlite, type Db } from "../../db/open";
import { listCases } from "../../db/queries/cases";
import { getDashboardStats } from "../../db/queries/stats";
import { rollupMismatches } from "../../db/rollup";
import { classifyDbError, DB_FAULT_MESSAGES, retryingBusy, sqliteCode } from "../../lib/db-errors";
import { EMPTY_FILTERS } from "../../lib/filters";
import { seedDatabase } from "../../seed/run";
import { ROOT, tempDir } from "../support/db";

// Another process holding the write lock (BEGIN IMMEDIATE … COMMIT, as an import, a restore or
// a second server would): in WAL mode readers never wait for it and see the last committed
// state; writers wait for it (busy_timeout 5000 in db/open.ts), and a write that waited out
// the timeout becomes "busy, try again" rather than an error page.

const dir = tempDir("busy");
const file = path.join(dir, "ipr.db");
let db: Db;
let officeId: number;
let holders: number[];
const children: ChildProcess[] = [];

beforeAll(() => {
  const seeding = openDb(`file:${file}`);
  migrateDb(seeding);
  seedDatabase(seeding.$client, { cases: 5_000, seed: 41 });
  seeding.$client.close();
  db = drizzleOf(openSqlite(file));
  officeId = (db.$client.prepare("select id from customs_offices order by id limit 1").get() as { id: number }).id;
  holders = (db.$client.prepare("select id from right_holders order by id limit 2").all() as { id: number }[]).map((r) => r.id);
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const input = (caseNo: string): CaseInput => ({
  caseNo, officeId, seizedOn: "2024-05-06", infringementType: "trademark", goodsCategory: "toys",
  goodsDescription: "Toys written while another process writes", pieces: 2, valueFen: 200, direction: "export", channel: "postal",
  transport: "post", protectionMode: "ex_officio", originCountry: "CN", destinationCountry: "MM", campaignId: null,
  status: "detained", disposal: null, hearingHeld: false, referredToPolice: false, penaltyFen: null, notes: null,
  rightHolderIds: holders,
});
const exists = (caseNo: string) => db.$client.prepare("select 1 from cases where case_no = ?").get(caseNo) !== undefined;

/** Process A: BEGIN IMMEDIATE, a case written inside, then holding the lock `ms`; resolves once it holds the lock. */
async function holdWriteLock(ms: number, caseNo: string): Promise<{ released: Promise<number> }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "tests", "support", "writer.ts"), file, "hold", String(ms), caseNo], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  let errors = "";
  child.stderr.on("data", (d) => (errors += d));
  let onReleased: (at: number) => void;
  const released = new Promise<number>((resolve) => (onReleased = resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("locked\n")) resolve();
      if (out.includes("released\n")) onReleased(Date.now());
    });
    child.on("close", (code) => (code === 0 ? onReleased(Date.now()) : reject(new Error(`holder stopped (${code}): ${errors}`))));
  });
  return { released };
}

const query = { filters: EMPTY_FILTERS, page: 1, size: 50, sort: { key: "caseNo", dir: "asc" } } as const;

describe("another process holds the write lock for 1.5 s", () => {
  it("reads answer at once with the committed state, and a write waits for the lock and succeeds", async () => {
    const before = listCases(db, query).total;
    const lock = await holdWriteLock(1500, "HOLD-1");
    const t0 = performance.now();
    const page = listCases(db, query);
    const stats = getDashboardStats(db, EMPTY_FILTERS);
    const readMs = performance.now() - t0;
    // readers do not wait for the writer, and do not see its uncommitted case
    expect(readMs).toBeLessThan(500);
    expect(page.total).toBe(before);
    expect(stats.kpis.cases).toBe(before);
    expect(exists("HOLD-1")).toBe(false);

    const t1 = performance.now();
    const { id } = createCase(db.$client, input("BUSY-WAITED"), null); // waits on busy_timeout (5 s)
    const writeMs = performance.now() - t1;
    await lock.released;
    expect(id).toBeGreaterThan(0);
    expect(writeMs).toBeGreaterThan(500); // it did wait for the other process…
    expect(writeMs).toBeLessThan(5000); // …and got the lock when it was released, before busy_timeout
    expect(exists("HOLD-1")).toBe(true);
    expect(exists("BUSY-WAITED")).toBe(true);
    expect(listCases(db, query).total).toBe(before + 2);
    expect(rollupMismatches(db.$client)).toEqual([]);
    console.log(`busy: reads during the lock ${readMs.toFixed(1)} ms; write waited ${writeMs.toFixed(0)} ms`);
  });

  it("a write that waits out busy_timeout fails as 'busy' (nothing written), not as a crash", async () => {
    const short = openSqlite(file);
    short.pragma("busy_timeout = 300"); // this test's connection only: the server keeps 5000
    try {
      const lock = await holdWriteLock(1500, "HOLD-2");
      const t0 = performance.now();
      let caught: unknown;
      try {
        createCase(short, input("BUSY-REFUSED"), null);
      } catch (error) {
        caught = error;
      }
      const waitedMs = performance.now() - t0;
      expect(sqliteCode(caught)).toBe("SQLITE_BUSY");
      expect(classifyDbError(caught)).toBe("busy");
      expect(DB_FAULT_MESSAGES.busy).toMatch(/busy.*try again/i);
      expect(waitedMs).toBeGreaterThanOrEqual(250);
      // retryingBusy does not repeat a write that already waited the whole timeout
      let calls = 0;
      await expect(
        retryingBusy(() => {
          calls++;
          return createCase(short, input("BUSY-REFUSED"), null);
        }, 300),
      ).rejects.toMatchObject({ code: "SQLITE_BUSY" });
      expect(calls).toBe(1);
      await lock.released;
      expect(exists("BUSY-REFUSED")).toBe(false);
      createCase(short, input("BUSY-REFUSED"), null); // and works once the lock is free
      expect(exists("BUSY-REFUSED")).toBe(true);
    } finally {
      short.close();
    }
  });

  it("delete and restore wait for the other writer (immediate transactions) instead of failing", async () => {
    const victim = (db.$client.prepare("select id from cases where deleted_at is null order by id limit 1").get() as { id: number }).id;
    let lock = await holdWriteLock(1200, "HOLD-3");
    const t0 = performance.now();
    softDeleteCase(db.$client, victim, null);
    const deleteMs = performance.now() - t0;
    await lock.released;
    expect((db.$client.prepare("select deleted_at as d from cases where id = ?").get(victim) as { d: number | null }).d).not.toBeNull();
    lock = await holdWriteLock(1200, "HOLD-4");
    const t1 = performance.now();
    restoreCase(db.$client, victim, null);
    const restoreMs = performance.now() - t1;
    await lock.released;
    expect((db.$client.prepare("select deleted_at as d from cases where id = ?").get(victim) as { d: number | null }).d).toBeNull();
    expect(deleteMs).toBeLessThan(5000);
    expect(restoreMs).toBeLessThan(5000);
    expect(rollupMismatches(db.$client)).toEqual([]);
    console.log(`busy: delete waited ${deleteMs.toFixed(0)} ms, restore ${restoreMs.toFixed(0)} ms for the other writer`);
  });

  it("a deferred read-then-write transaction gets SQLITE_BUSY at once; retryingBusy tries it again until it succeeds", async () => {
    const lock = await holdWriteLock(1200, "HOLD-5");
    // reads, then writes, in a deferred transaction: SQLite cannot wait on busy_timeout for the
    // upgrade from a read to a write transaction, so it answers SQLITE_BUSY at once
    const deferred = db.$client.transaction(() => {
      const n = (db.$client.prepare("select count(*) as n from app_meta").get() as { n: number }).n;
      db.$client.prepare("insert into app_meta (key, value) values (?, ?) on conflict(key) do update set value = excluded.value").run("busy_probe", String(n));
    });
    let caught: unknown;
    const t0 = performance.now();
    try {
      deferred();
    } catch (error) {
      caught = error;
    }
    expect(classifyDbError(caught)).toBe("busy");
    expect(performance.now() - t0).toBeLessThan(1000);
    let attempts = 0;
    await retryingBusy(() => {
      attempts++;
      deferred();
    });
    await lock.released;
    expect(attempts).toBeGreaterThan(1);
    expect(db.$client.prepare("select value from app_meta where key = 'busy_probe'").get()).toBeTruthy();
  });
});
