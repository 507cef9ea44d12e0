import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteEngine } from "../../db/engine";
import { createCase, type CaseInput } from "../../db/mutations/cases";
import { drizzleOf, migrateDb, openDb, openSqlite, type Db } from "../../db/sqlite/open";
import { listCases } from "../../db/queries/cases";
import { getDashboardStats } from "../../db/queries/stats";
import { derivedMismatches } from "../../db/aggregate/check";
import { classifyDbError, DB_FAULT_MESSAGES, retryingBusy, sqliteCode } from "../../lib/db-errors";
import { EMPTY_FILTERS } from "../../lib/filters";
import { seedDatabase } from "../../seed/run";
import { ROOT, tempDir } from "../support/db";

// Another process holding the write lock (BEGIN IMMEDIATE … COMMIT, as an import, a restore or
// a second server would): in WAL mode readers never wait for it and see the last committed
// state; writers wait for it (busy_timeout 5000 in db/sqlite/open.ts), and a write that waited out
// the timeout becomes "busy, try again" rather than an error page.
//
// No durations are measured: the holder keeps the lock until the test tells it to let go, so
// "a reader did not wait" is "it answered while the lock was held", and "a writer waited" is
// "it had not committed while the lock was held, and committed after".

const dir = tempDir("busy");
const file = path.join(dir, "ipr.db");
let db: Db;
let officeId: number;
let holders: number[];
const children: ChildProcess[] = [];

beforeAll(async () => {
  const seeding = openDb(`file:${file}`);
  migrateDb(seeding);
  await seedDatabase(seeding.$client, { cases: 5_000, seed: 41 });
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

type Child = { lines: string[]; waitFor: (line: string) => Promise<void>; exited: Promise<number | null>; stdin: ChildProcess["stdin"] };

/** A tests/support/writer.ts process; `waitFor` resolves once it has printed that line. */
function writer(args: string[]): Child {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "tests", "support", "writer.ts"), file, ...args], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.push(child);
  const lines: string[] = [];
  let out = "";
  let errors = "";
  const waiting: { line: string; resolve: () => void }[] = [];
  child.stderr.on("data", (d) => (errors += d));
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    const parts = out.split("\n");
    out = parts.pop()!;
    lines.push(...parts);
    for (const w of waiting) if (lines.includes(w.line)) w.resolve();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const waitFor = (line: string) =>
    new Promise<void>((resolve, reject) => {
      if (lines.includes(line)) return resolve();
      waiting.push({ line, resolve });
      void exited.then((code) => reject(new Error(`writer ${args.join(" ")} ended (${code}) before "${line}": ${errors}`)));
    });
  return { lines, waitFor, exited, stdin: child.stdin };
}

/** Process A: BEGIN IMMEDIATE and a case written inside; resolves once it holds the lock, which it keeps until `release()`. */
async function holdWriteLock(caseNo: string): Promise<{ release: () => Promise<void> }> {
  const holder = writer(["hold", caseNo]);
  await holder.waitFor("locked");
  return {
    release: async () => {
      holder.stdin!.end("release\n");
      await holder.waitFor("released");
      expect(await holder.exited).toBe(0);
    },
  };
}

/** Process B: one write as the app makes it; resolves once it is about to write. */
async function startWrite(what: "create" | "delete" | "restore", target: string | number): Promise<Child> {
  const w = writer(["write", what, String(target)]);
  await w.waitFor("writing");
  return w;
}

const deletedAt = (id: number) => (db.$client.prepare("select deleted_at as d from cases where id = ?").get(id) as { d: number | null }).d;
const query = { filters: EMPTY_FILTERS, page: 1, size: 50, sort: { key: "caseNo", dir: "asc" } } as const;

describe("another process holds the write lock", () => {
  it("reads answer while it is held, with the committed state; a write waits for the lock and succeeds after it", async () => {
    const before = (await listCases(sqliteEngine(db), query)).total;
    const lock = await holdWriteLock("HOLD-1");
    // readers answer while the lock is held (it is never let go without the test), and do not see the uncommitted case
    const page = await listCases(sqliteEngine(db), query);
    const stats = await getDashboardStats(sqliteEngine(db), EMPTY_FILTERS);
    expect(page.total).toBe(before);
    expect(stats.kpis.cases).toBe(before);
    expect(exists("HOLD-1")).toBe(false);

    // the app's connections wait up to 5 s for the lock
    expect(db.$client.pragma("busy_timeout", { simple: true })).toBe(5000);
    const write = await startWrite("create", "BUSY-WAITED");
    // while the lock is held the write cannot have committed
    expect(exists("BUSY-WAITED")).toBe(false);
    expect(write.lines).not.toContain("written");
    await lock.release();
    await write.waitFor("written");
    expect(await write.exited).toBe(0);
    expect(exists("HOLD-1")).toBe(true);
    expect(exists("BUSY-WAITED")).toBe(true);
    expect((await listCases(sqliteEngine(db), query)).total).toBe(before + 2);
    expect(await derivedMismatches(db.$client)).toEqual([]);
  });

  it("a write that waits out busy_timeout fails as 'busy' (nothing written), not as a crash", async () => {
    const shortConnection = openSqlite(file);
    shortConnection.pragma("busy_timeout = 300"); // this test's connection only: the server keeps 5000
    const short = sqliteEngine(drizzleOf(shortConnection));
    try {
      const lock = await holdWriteLock("HOLD-2");
      let caught: unknown;
      try {
        await createCase(short, input("BUSY-REFUSED"), null); // the lock stays held, however long this takes
      } catch (error) {
        caught = error;
      }
      expect(sqliteCode(caught)).toBe("SQLITE_BUSY");
      expect(classifyDbError(caught)).toBe("busy");
      expect(DB_FAULT_MESSAGES.busy).toMatch(/busy.*try again/i);
      // retryingBusy does not repeat a write that already waited the whole timeout
      let calls = 0;
      await expect(
        retryingBusy(() => {
          calls++;
          return createCase(short, input("BUSY-REFUSED"), null);
        }, 300),
      ).rejects.toMatchObject({ code: "SQLITE_BUSY" });
      expect(calls).toBe(1);
      await lock.release();
      expect(exists("BUSY-REFUSED")).toBe(false);
      await createCase(short, input("BUSY-REFUSED"), null); // and works once the lock is free
      expect(exists("BUSY-REFUSED")).toBe(true);
    } finally {
      shortConnection.close();
    }
  });

  it("delete and restore wait for the other writer (immediate transactions) instead of failing", async () => {
    const victim = (db.$client.prepare("select id from cases where deleted_at is null order by id limit 1").get() as { id: number }).id;
    for (const [what, hold] of [["delete", "HOLD-3"], ["restore", "HOLD-4"]] as const) {
      const lock = await holdWriteLock(hold);
      const write = await startWrite(what, victim);
      expect(deletedAt(victim) === null).toBe(what === "delete"); // not yet changed while the lock is held
      await lock.release();
      await write.waitFor("written");
      expect(await write.exited).toBe(0);
      expect(deletedAt(victim) === null).toBe(what === "restore");
    }
    expect(await derivedMismatches(db.$client)).toEqual([]);
  });

  it("a deferred read-then-write transaction gets SQLITE_BUSY at once; retryingBusy tries it again until it succeeds", async () => {
    const lock = await holdWriteLock("HOLD-5");
    // reads, then writes, in a deferred transaction: SQLite cannot wait on busy_timeout for the
    // upgrade from a read to a write transaction, so it answers SQLITE_BUSY at once. "At once":
    // this connection would wait 10 minutes for a lock it could wait for.
    const patient = openSqlite(file);
    patient.pragma("busy_timeout = 600000");
    try {
      const deferred = patient.transaction(() => {
        const n = (patient.prepare("select count(*) as n from app_meta").get() as { n: number }).n;
        patient.prepare("insert into app_meta (key, value) values (?, ?) on conflict(key) do update set value = excluded.value").run("busy_probe", String(n));
      });
      let caught: unknown;
      try {
        deferred();
      } catch (error) {
        caught = error;
      }
      expect(classifyDbError(caught)).toBe("busy");
      // tried again until the holder lets go: the first attempt is refused (the lock is held
      // until the second attempt lets it go), a later one succeeds
      let attempts = 0;
      let released: Promise<void> | undefined;
      await retryingBusy(() => {
        attempts++;
        if (attempts === 2) released = lock.release();
        deferred();
      }, 600_000);
      await released;
      expect(attempts).toBeGreaterThanOrEqual(2);
      expect(patient.prepare("select value from app_meta where key = 'busy_probe'").get()).toBeTruthy();
    } finally {
      patient.close();
    }
  });
});
