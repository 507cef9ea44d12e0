import { spawnSync } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJson, type Engine } from "../../db/engine";
import { closeEngine, openEngine } from "../../db/open";
import {
  dailyErasureDone, eraseExpired, expiredCandidates, expiredCount, lastDailyErasure, retentionCutoff, runDailyErasure, setPartyIdRetention,
} from "../../db/party-erasure";
import { loadStoredCase, writeCases } from "../../db/writer";
import { PARTY_FIELDS, type CaseInput } from "../../lib/case-definition";
import { idCheckChar } from "../../lib/parties";
import { seedDatabase } from "../../seed/run";
import { ROOT, TSX } from "../support/db";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";

// The daily PIPL erasure (db/party-erasure.ts runDailyErasure, the entry point of each server's
// job, db/erasure-job.ts) on both engines, each database served by two "servers" (two engines
// over it): with no retention set it erases nothing; with one, it erases as of the given moment's
// date in Beijing, as the system (the audit entry has no user), and records the run the admin
// page shows; a day is done once, whichever server looks; and two erasures at once never put a
// person in two audit entries.

/** 17:00 UTC on 30 November is 01:00 on 1 December in Beijing: the job's "today" is 2026-12-01. */
const DAY1 = new Date("2026-11-30T17:00:00Z");
const DAY1_DATE = "2026-12-01";
const DAY2 = new Date("2026-12-01T17:30:00Z");
const DAY2_DATE = "2026-12-02";
const DAY3 = new Date("2026-12-03T02:00:00Z");
const DAY3_DATE = "2026-12-03";
const DAY4 = new Date("2026-12-04T02:00:00Z");

describe.each(ENGINES)("the daily erasure of identity numbers on %s", (dialect) => {
  let fresh: FreshEngine;
  /** two servers over one database */
  let e: Engine;
  let other: Engine;
  let base: CaseInput;
  let n = 0;

  const count = async (q: ReturnType<typeof sql>) => Number((await e.get<{ n: number }>(q))!.n);
  const audits = () => e.all<{ id: number; userId: string | null; action: string; before: unknown; after: unknown }>(
    sql`select id, user_id as "userId", action, before, after from audit_log where entity = 'party_ids' and action = 'delete' order by id`,
  );
  /** a person's identity number (GB 11643) unique to this test */
  const personId = () => {
    const first17 = `53010219${String(60 + (n % 30)).padStart(2, "0")}0101${String(n).padStart(3, "0")}`;
    return first17 + idCheckChar(first17);
  };
  /** cases naming a new person each as consignee, seized on `seizedOn` */
  async function persons(count: number, seizedOn: string): Promise<number[]> {
    const inputs = Array.from({ length: count }, () => ({
      op: "create" as const,
      input: { ...base, caseNo: `99${dialect === "sqlite" ? 1 : 2}0-2016-${String(++n).padStart(4, "0")}`, seizedOn, consigneeKind: "person" as const, consigneeName: `Person ${n}`, consigneeCode: personId() },
    }));
    const { cases } = await writeCases(e, inputs, { userId: null });
    return cases.map((c) => c!.id);
  }
  /** whether each case's person still has a number */
  const kept = async (caseIds: number[]) => Promise.all(caseIds.map(async (id) => (await loadStoredCase(e, id))!.consigneeCode !== null));

  beforeAll(async () => {
    fresh = await freshEngine(dialect, "erasure-job");
    e = fresh.e;
    other = openEngine(fresh.url);
    await seedDatabase(e, { cases: 1000, seed: 9 });
    const [row] = await e.all<{ id: number }>(sql`select id from cases order by id limit 1`);
    const { version: _v, updatedBy: _u, updatedAt: _a, deletedAt: _d, ...values } = (await loadStoredCase(e, row!.id))!;
    base = { ...values, ...Object.fromEntries(PARTY_FIELDS.map((f) => [f.key, null])), caseNo: "", recordationIds: [] } as CaseInput;
  }, 180_000);
  afterAll(async () => {
    await closeEngine(other);
    await fresh?.close();
  });

  it("erases nothing while no retention is set, and records the day's run", async () => {
    const old = await persons(2, "2015-06-01");
    expect(await lastDailyErasure(e)).toBeNull();
    expect(await dailyErasureDone(e, DAY1)).toBe(false);
    const run = await runDailyErasure(e, DAY1);
    expect(run).toEqual({ ranAt: DAY1.getTime(), date: DAY1_DATE, erased: 0, retentionMonths: null, cutoff: null, source: "job" });
    expect(await kept(old)).toEqual([true, true]);
    expect(await audits()).toEqual([]);
    // the other server sees the day done and its run
    expect(await dailyErasureDone(other, DAY1)).toBe(true);
    expect(await lastDailyErasure(other)).toEqual(run);
    expect(await runDailyErasure(other, new Date(DAY1.getTime() + 3_600_000))).toBeNull();
  });

  it("erases, as of Beijing's date of the given moment and as the system, what the retention no longer allows; newer numbers stay", async () => {
    const old = await persons(3, "2024-11-30"); // the last day before the cutoff of 2026-12-02 at 24 months
    const recent = await persons(2, "2024-12-02"); // the cutoff itself: kept
    // the admin sets 24 months on a day when these were not due yet (its own erasure, by the admin)
    await setPartyIdRetention(e, 24, "admin-1", "2026-11-01");
    expect(await kept(old)).toEqual([true, true, true]);
    const before = (await audits()).length;
    // 17:30 UTC on 1 December is 2 December in Beijing
    expect(await dailyErasureDone(e, DAY2)).toBe(false);
    const run = (await runDailyErasure(e, DAY2))!;
    expect(run).toMatchObject({ date: DAY2_DATE, retentionMonths: 24, cutoff: retentionCutoff(DAY2_DATE, 24), source: "job" });
    expect(run.cutoff).toBe("2024-12-02");
    expect(run.erased).toBeGreaterThanOrEqual(3);
    expect(await kept(old)).toEqual([false, false, false]);
    expect(await kept(recent)).toEqual([true, true]);
    // no person whose last case is before the cutoff keeps a number
    expect(await count(sql`select count(*) as n from parties p where p.kind = 'person' and p.id_sealed is not null and not exists
      (select 1 from case_parties cp join cases c on c.id = cp.case_id where cp.party_id = p.id and c.seized_on >= '2024-12-02')`)).toBe(0);
    // one audit entry, by the system, saying how many and which parties (never a number)
    const entries = await audits();
    expect(entries.length).toBe(before + 1);
    const entry = entries.at(-1)!;
    expect(entry.userId).toBeNull();
    expect(parseJson<{ erased: number; lastCaseBefore: string }>(entry.after)).toMatchObject({ erased: run.erased, lastCaseBefore: "2024-12-02" });
    expect(parseJson<{ partyIds: number[] }>(entry.before).partyIds).toHaveLength(run.erased);
    expect(await lastDailyErasure(other)).toEqual(run);
    // the same day again: nothing, on either server
    expect(await runDailyErasure(e, DAY2)).toBeNull();
    expect(await runDailyErasure(other, DAY2)).toBeNull();
    // a moment of an earlier day never runs again
    expect(await runDailyErasure(e, DAY1)).toBeNull();
    expect((await audits()).length).toBe(before + 1);
  });

  it("of two servers running the day's erasure at once, one erases and writes the audit entry; the other finds the day done", async () => {
    // persons due on day 3 (cutoff 2024-12-03) but not on day 2
    const due = await persons(4, "2024-12-02");
    const before = (await audits()).length;
    let results: (Awaited<ReturnType<typeof runDailyErasure>>)[];
    if (dialect === "postgres") {
      // server A marks the day and erases inside a transaction it holds open; server B's run
      // meanwhile waits for A's row (seen waiting on a lock), then finds the day done
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let marked!: () => void;
      const inside = new Promise<void>((resolve) => (marked = resolve));
      const a = other.transaction(async (tx) => {
        const run = await runDailyErasure(tx, DAY3);
        marked();
        await gate;
        return run;
      });
      await inside;
      const b = runDailyErasure(e, DAY3);
      await waitForLockWait(e);
      release();
      results = await Promise.all([a, b]);
    } else {
      // one SQLite file: two calls at once on one server (its connection orders them), then the other server's
      results = await Promise.all([runDailyErasure(e, DAY3), runDailyErasure(e, DAY3)]);
      results.push(await runDailyErasure(other, DAY3));
    }
    const done = results.filter((r) => r !== null);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ date: DAY3_DATE, cutoff: "2024-12-03" });
    expect(done[0]!.erased).toBeGreaterThanOrEqual(4);
    expect(await kept(due)).toEqual([false, false, false, false]);
    const entries = await audits();
    expect(entries.length).toBe(before + 1);
    expect(entries.at(-1)!.userId).toBeNull();
  });

  it("two erasures at once (the job and an admin's save, or two servers) never put a person in two audit entries", async () => {
    const due = await persons(5, "2024-12-03"); // due on day 4 (cutoff 2024-12-04)
    const before = (await audits()).length;
    const today = "2026-12-04";
    if (dialect === "postgres") {
      // A erases inside a transaction it holds open; B reads the same persons as due (A has not
      // committed), waits for their rows, and then leaves them: A erased them
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let erasedInside!: () => void;
      const inside = new Promise<void>((resolve) => (erasedInside = resolve));
      const a = other.transaction(async (tx) => {
        const result = await eraseExpired(tx, today, null, DAY4.getTime());
        erasedInside();
        await gate;
        return result;
      });
      await inside;
      const b = eraseExpired(e, today, "admin-1", DAY4.getTime());
      await waitForLockWait(e);
      release();
      const [ra, rb] = await Promise.all([a, b]);
      expect(ra.erased).toBeGreaterThanOrEqual(5);
      expect(rb.erased).toBe(0);
    } else {
      const [ra, rb] = await Promise.all([eraseExpired(e, today, null, DAY4.getTime()), eraseExpired(e, today, "admin-1", DAY4.getTime())]);
      expect(ra.erased).toBeGreaterThanOrEqual(5);
      expect(rb.erased).toBe(0);
      expect((await eraseExpired(other, today, null, DAY4.getTime())).erased).toBe(0);
    }
    expect(await kept(due)).toEqual([false, false, false, false, false]);
    const entries = await audits();
    expect(entries.length).toBe(before + 1);
    // over every erasure entry, each party appears once
    const ids = entries.flatMap((x) => parseJson<{ partyIds: number[] }>(x.before).partyIds);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("a failed run is rolled back whole, day mark included, so the next look tries again", async () => {
    const due = await persons(2, "2024-12-04"); // due on day 5 (cutoff 2024-12-05)
    const day5 = new Date("2026-12-05T02:00:00Z");
    const before = (await audits()).length;
    await expect(e.transaction(async (tx) => {
      await runDailyErasure(tx, day5);
      throw new Error("the disk is full");
    })).rejects.toThrow("the disk is full");
    expect(await dailyErasureDone(e, day5)).toBe(false);
    expect(await kept(due)).toEqual([true, true]);
    expect((await audits()).length).toBe(before);
    expect((await lastDailyErasure(e))!.date).toBe(DAY3_DATE);
    // the next look
    const run = (await runDailyErasure(other, day5))!;
    expect(run.erased).toBeGreaterThanOrEqual(2);
    expect(await kept(due)).toEqual([false, false]);
    expect((await audits()).length).toBe(before + 1);
  });

  it("reads the candidates in steps outside the transaction, and the erasure rechecks them: a person given a recent case meanwhile keeps the number", async () => {
    const [stale, still] = await persons(2, "2024-12-05"); // due on day 6 (cutoff 2024-12-06)
    const today = "2026-12-06";
    const cutoff = retentionCutoff(today, 24);
    const candidates = await expiredCandidates(e, cutoff);
    // the steps find what the one query finds
    expect(candidates.length).toBe((await expiredCount(e, today)).due);
    const partyOf = async (caseId: number) => Number((await e.get<{ id: number }>(sql`select party_id as id from case_parties where case_id = ${caseId} and role = 'consignee'`))!.id);
    expect(candidates).toEqual(expect.arrayContaining([await partyOf(stale!), await partyOf(still!)]));
    // the first person is named on a new case of last month before the erasure
    const code = (await loadStoredCase(e, stale!))!.consigneeCode!;
    await writeCases(e, [{ op: "create", input: { ...base, caseNo: `99${dialect === "sqlite" ? 1 : 2}0-2026-${String(++n).padStart(4, "0")}`, seizedOn: "2026-11-02", consigneeKind: "person", consigneeName: "Person again", consigneeCode: code } }], { userId: null });
    const result = await eraseExpired(e, today, null, Date.now(), { cutoff, ids: candidates });
    expect(result.erased).toBe(candidates.length - 1);
    expect(await kept([stale!, still!])).toEqual([true, false]);
  });

  it("the operators' command runs even when the day is done, erasing and auditing nothing twice", async () => {
    const day5 = new Date("2026-12-05T03:00:00Z");
    const before = (await audits()).length;
    const run = (await runDailyErasure(e, day5, { force: true, source: "command" }))!;
    expect(run).toMatchObject({ date: "2026-12-05", erased: 0, source: "command" });
    expect((await audits()).length).toBe(before);
    expect(await lastDailyErasure(other)).toEqual(run);
    // the day stays done for the job; a forced run of an earlier moment does not move the mark back
    await runDailyErasure(e, DAY1, { force: true, source: "command" });
    expect(await dailyErasureDone(e, day5)).toBe(true);
  });

  it("npm run erase-expired: --dry-run says how many are due and erases nothing; without it erases them as the system", async () => {
    const due = await persons(2, "2015-01-01"); // due today, whatever today is
    const before = (await audits()).length;
    const cli = (...args: string[]) => {
      const r = spawnSync(TSX, [path.join(ROOT, "scripts/erase-expired.ts"), ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: fresh.url }, encoding: "utf8", timeout: 60_000 });
      return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
    };
    const dry = cli("--dry-run");
    expect(dry.stderr).toBe("");
    expect(dry.status).toBe(0);
    const dueCount = Number(/^(\d+) persons' identity numbers due for erasure on \d{4}-\d{2}-\d{2} \(retention 24 months: last case before \d{4}-\d{2}-\d{2}\); nothing erased \(--dry-run\)\.$/.exec(dry.stdout)?.[1]);
    expect(dueCount).toBeGreaterThanOrEqual(2);
    expect(await kept(due)).toEqual([true, true]);
    const run = cli();
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${dueCount} persons' identity numbers erased on \\d{4}-\\d{2}-\\d{2} \\(retention 24 months: last case before \\d{4}-\\d{2}-\\d{2}\\), with one audit entry by the system\\.$`));
    expect(await kept(due)).toEqual([false, false]);
    const entries = await audits();
    expect(entries.length).toBe(before + 1);
    expect(entries.at(-1)!.userId).toBeNull();
    expect(await lastDailyErasure(e)).toMatchObject({ erased: dueCount, source: "command" });
    expect(cli("--now").status).toBe(2);
  }, 120_000);
});

/** Waits until a session of this PostgreSQL database waits for a lock (another's open transaction holds its row). */
async function waitForLockWait(e: Engine): Promise<void> {
  for (;;) {
    const row = await e.get<{ n: number | string }>(sql`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
    if (Number(row!.n) > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
