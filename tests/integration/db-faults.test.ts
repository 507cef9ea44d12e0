import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guarded } from "../../app/api/respond";
import { sqliteEngine } from "../../db/engine";
import { createCase, type CaseInput } from "../../db/mutations/cases";
import { drizzleOf, migrateDb, openDb, openSqlite } from "../../db/sqlite/open";
import { derivedMismatches } from "../../db/aggregate/check";
import { customsOffices } from "../../db/sqlite/schema";
import { classifyDbError, sqliteCode } from "../../lib/db-errors";
import { ConfigError } from "../../lib/env";
import { seedDatabase } from "../../seed/run";
import { tempDir } from "../support/db";

// A database that cannot be written — read-only, or a full disk — and one that cannot be
// opened: real better-sqlite3 errors, their kind (lib/db-errors.ts), the API's 503 answer,
// and that a refused write leaves nothing half-written behind. The last part mounts a real
// tmpfs, filled up and then made read-only: it needs root, as CI and `npm test` run.

const dir = tempDir("faults");
const file = path.join(dir, "ipr.db");
let officeId: number;
let holders: number[];

beforeAll(async () => {
  const db = openDb(`file:${file}`);
  migrateDb(db);
  await seedDatabase(db.$client, { cases: 1_000, seed: 51 });
  officeId = (db.$client.prepare("select id from customs_offices order by id limit 1").get() as { id: number }).id;
  holders = (db.$client.prepare("select id from right_holders order by id limit 2").all() as { id: number }[]).map((r) => r.id);
  db.$client.close();
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const input = (caseNo: string, description = "Toys"): CaseInput => ({
  caseNo, officeId, seizedOn: "2024-05-06", infringementType: "trademark", goodsCategory: "toys",
  goodsDescription: description, pieces: 2, valueFen: 200, direction: "export", channel: "postal",
  transport: "post", protectionMode: "ex_officio", originCountry: "CN", destinationCountry: "MM", campaignId: null,
  status: "detained", disposal: null, hearingHeld: false, referredToPolice: false, penaltyFen: null, notes: null,
  rightHolderIds: holders,
});
const caught = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
};
/** The same error, from a write that returns a promise. */
const caughtAsync = async (fn: () => Promise<unknown>): Promise<unknown> => {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
};
/** The connection as its engine (the writer takes one). */
const engineOf = (sqlite: Database.Database) => sqliteEngine(drizzleOf(sqlite));
const count = (sqlite: Database.Database) => (sqlite.prepare("select count(*) as n from cases").get() as { n: number }).n;

/** What guarded() answers for an error thrown by a route handler. */
async function apiAnswer(error: unknown) {
  const response = await guarded(() => {
    throw error;
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get("retry-after"), text, body: JSON.parse(text) as { error: string; message: string } };
}

describe("a read-only database", () => {
  it("refuses a write with SQLITE_READONLY, classified read_only, and nothing written", async () => {
    const ro = openSqlite(file, { readonly: true });
    try {
      const before = count(ro);
      const error = await caughtAsync(() => createCase(engineOf(ro), input("RO-1"), null));
      expect(sqliteCode(error)).toBe("SQLITE_READONLY");
      expect(classifyDbError(error)).toBe("read_only");
      expect(count(ro)).toBe(before);
      // through drizzle too (which may wrap the SqliteError as its cause)
      const viaDrizzle = caught(() => drizzleOf(ro).update(customsOffices).set({ nameEn: "x" }).run());
      expect(classifyDbError(viaDrizzle)).toBe("read_only");

      const answer = await apiAnswer(error);
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe("60");
      expect(answer.body).toEqual({ error: "read_only", message: expect.stringMatching(/cannot be written: it is read-only/) });
      expect(answer.text).not.toMatch(/\bat \w|SqliteError|\.ts:\d/);
    } finally {
      ro.close();
    }
  });

  it("PRAGMA query_only (a replica or a maintenance switch) gives the same answer", async () => {
    const sqlite = openSqlite(file);
    try {
      sqlite.pragma("query_only = 1");
      const error = await caughtAsync(() => createCase(engineOf(sqlite), input("RO-2"), null));
      expect(classifyDbError(error)).toBe("read_only");
      sqlite.pragma("query_only = 0");
      await createCase(engineOf(sqlite), input("RO-2"), null);
      expect(await derivedMismatches(sqlite)).toEqual([]);
    } finally {
      sqlite.close();
    }
  });
});

describe("a full disk", () => {
  it("a write past max_page_count fails with SQLITE_FULL, classified disk_full, rolled back whole", async () => {
    const sqlite = openSqlite(file);
    try {
      sqlite.pragma("wal_checkpoint(TRUNCATE)");
      const pages = sqlite.pragma("page_count", { simple: true }) as number;
      sqlite.pragma(`max_page_count = ${pages}`);
      const before = count(sqlite);
      // cases with long descriptions until the file would need to grow
      let error: unknown;
      for (let n = 1; n < 5000 && !error; n++) {
        try {
          await createCase(engineOf(sqlite), input(`FULL-${n}`, "x".repeat(3000)), null);
        } catch (e) {
          error = e;
        }
      }
      expect(sqliteCode(error)).toBe("SQLITE_FULL");
      expect(classifyDbError(error)).toBe("disk_full");
      const written = count(sqlite) - before;
      expect(sqlite.prepare("select count(*) as n from cases where case_no = ?").get(`FULL-${written + 1}`)).toEqual({ n: 0 });
      expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(await derivedMismatches(sqlite)).toEqual([]);
      const answer = await apiAnswer(error);
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({ error: "disk_full", message: expect.stringMatching(/cannot be written: the disk is full/) });
      // room again: writing goes on
      sqlite.pragma(`max_page_count = ${pages * 100}`);
      await createCase(engineOf(sqlite), input("FULL-AFTER"), null);
    } finally {
      sqlite.close();
    }
  });
});

describe("a database that cannot be opened", () => {
  it("SQLITE_CANTOPEN is unavailable; openSqlite makes it a ConfigError the API answers with 503", async () => {
    const error = caught(() => new Database(dir) /* a folder, not a file */);
    expect(classifyDbError(error)).toBe("unavailable");
    const answer = await apiAnswer(error);
    expect(answer.body.error).toBe("unavailable");
    expect((await apiAnswer(new ConfigError("Cannot open the database x: permission denied."))).status).toBe(503);
  });

  it("anything else stays a plain 500 without details", async () => {
    expect(classifyDbError(new Error("boom"))).toBeNull();
    expect(classifyDbError(Object.assign(new Error("x"), { code: "SQLITE_CONSTRAINT_UNIQUE" }))).toBeNull();
    expect(classifyDbError(Object.assign(new Error("x"), { code: "ENOSPC" }))).toBe("disk_full");
    expect(classifyDbError(Object.assign(new Error("x"), { code: "SQLITE_IOERR_WRITE" }))).toBe("unavailable");
    expect(classifyDbError(Object.assign(new Error("x"), { code: "SQLITE_BUSY_SNAPSHOT" }))).toBe("busy");
    const answer = await apiAnswer(new Error("secret detail"));
    expect(answer.status).toBe(500);
    expect(answer.text).not.toMatch(/secret detail/);
  });
});

describe("a real file system: a full tmpfs, then a read-only mount (needs root)", () => {
  const mountPoint = path.join(dir, "mnt");
  let mounted = false;
  const mount = (...args: string[]) => execFileSync("mount", args, { stdio: "pipe" });

  beforeAll(() => {
    if (process.getuid?.() !== 0) throw new Error("These tests mount a tmpfs and need root: run them as root (CI and npm test do).");
    // the seeded test database, checkpointed into one file, on a tmpfs with room for a few cases more
    const source = openSqlite(file);
    source.pragma("wal_checkpoint(TRUNCATE)");
    source.close();
    const room = Math.ceil(fs.statSync(file).size / 4096) * 4096 + 512 * 1024;
    fs.mkdirSync(mountPoint);
    mount("-t", "tmpfs", "-o", `size=${room}`, "tmpfs", mountPoint);
    mounted = true;
    fs.copyFileSync(file, path.join(mountPoint, "ipr.db"));
  });
  afterAll(() => {
    if (mounted) execFileSync("umount", ["-l", mountPoint]);
  });

  it("a full disk: the write that finds no room fails as disk_full, rolled back whole; reads go on; with room again writes do too", async () => {
    const sqlite = openSqlite(path.join(mountPoint, "ipr.db"));
    try {
      const before = count(sqlite);
      let error: unknown;
      let n = 0;
      while (!error && n < 10_000) {
        n++;
        try {
          await createCase(engineOf(sqlite), input(`TMPFS-${n}`, "x".repeat(3000)), null);
        } catch (e) {
          error = e;
        }
      }
      expect(sqliteCode(error)).toBe("SQLITE_FULL");
      expect(classifyDbError(error)).toBe("disk_full");
      expect((await apiAnswer(error)).body.error).toBe("disk_full");
      // the refused case is not there, not even in part; what was committed before is
      expect(count(sqlite)).toBe(before + n - 1);
      expect(sqlite.prepare("select count(*) as n from cases where case_no = ?").get(`TMPFS-${n}`)).toEqual({ n: 0 });
      expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(await derivedMismatches(sqlite)).toEqual([]);
      // room again (the disk grown): the same connection writes
      mount("-o", "remount,size=64m", mountPoint);
      await createCase(engineOf(sqlite), input(`TMPFS-${n}`), null);
      expect(count(sqlite)).toBe(before + n);
    } finally {
      sqlite.close();
    }
  });

  it("a read-only mount: the database is refused at opening with one sentence, which npm start prints and the API answers with 503", async () => {
    mount("-o", "remount,ro", mountPoint);
    let error: unknown;
    try {
      openSqlite(path.join(mountPoint, "ipr.db"));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(`The database folder ${mountPoint} is not writable.`);
    const answer = await apiAnswer(error);
    expect(answer.status).toBe(503);
    expect(answer.body.error).toBe("unavailable");
    // the file itself is intact and readable where it can be written again
    const copy = path.join(dir, "from-read-only.db");
    fs.copyFileSync(path.join(mountPoint, "ipr.db"), copy);
    const sqlite = new Database(copy, { readonly: true });
    try {
      expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      sqlite.close();
    }
  });
});
