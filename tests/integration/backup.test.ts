import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { knownMigrations } from "../../db/sqlite/backup";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { migrateDb, openDb } from "../../db/sqlite/open";
import { derivedMismatches } from "../../db/aggregate/check";
import { seedDatabase } from "../../seed/run";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { copyDatabase } from "../../db/copy";
import { findPgTool } from "../../db/postgres/backup";
import { postgresFigures } from "../../db/postgres/copy";
import { POSTGRES_MIGRATIONS } from "../../db/postgres/open";
import { ROOT, TSX, tempDir } from "../support/db";
import type { Engine } from "../../db/engine";
import { closeEngine } from "../../db/open";
import { ENGINES } from "../support/engines";
import { emptyDatabase, ensurePostgres, freshPostgres } from "../support/postgres";

// npm run backup while another process writes, and npm run restore of good and bad files:
// on SQLite files in a temporary folder (never data/ipr.db), and on PostgreSQL databases of
// the test server (pg_dump / pg_restore), each made for this file and dropped at its end.

const dir = tempDir("backup");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const liveFile = path.join(dir, "live", "ipr.db");
const targetFile = path.join(dir, "target", "ipr.db");
const backupFile = path.join(dir, "backups", "during-writes.db");
let committedBeforeBackup = -1;
let writerTotal = 0;

async function seeded(file: string, cases: number, seed: number): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true }); // only the default database's folder is made by openDb
  const db = openDb(`file:${file}`);
  migrateDb(db);
  await seedDatabase(db.$client, { cases, seed });
  db.$client.close();
}

function cli(script: "backup" | "restore", args: string[], databaseFile: string) {
  const result = spawnSync(TSX, [path.join(ROOT, "scripts", `${script}.ts`), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${databaseFile}` },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

/** The same, without blocking this process (so the writer's reports keep coming in). */
function cliAsync(script: "backup" | "restore", args: string[], databaseFile: string) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(TSX, [path.join(ROOT, "scripts", `${script}.ts`), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${databaseFile}` },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr: stderr.trim() }));
  });
}

function expectOneClearSentence(stderr: string, pattern: RegExp) {
  expect(stderr).toMatch(pattern);
  expect(stderr.split("\n")).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |Error:/);
}

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");
function caseCount(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("select count(*) as n from cases").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A writer in another process: creates cases through createCase, printing "committed N" after each commit. */
const WRITER = `
import { createCase } from ${JSON.stringify(path.join(ROOT, "db", "mutations", "cases.ts"))};
import { drizzleOf, openSqlite } from ${JSON.stringify(path.join(ROOT, "db", "sqlite", "open.ts"))};
import { sqliteEngine } from ${JSON.stringify(path.join(ROOT, "db", "engine.ts"))};
const sqlite = openSqlite(process.argv[2]);
const e = sqliteEngine(drizzleOf(sqlite));
const one = (q) => sqlite.prepare(q).get();
const officeId = one("select id from customs_offices where code = '8601'").id;
const holders = sqlite.prepare("select id from right_holders order by id limit 2").all().map((r) => r.id);
const deadline = Date.now() + 30_000;
void (async () => { for (let n = 1; Date.now() < deadline; n++) {
  await createCase(e, {
    caseNo: "WRITER-" + n, officeId, seizedOn: "2024-05-06", infringementType: "trademark", goodsCategory: "toys",
    goodsDescription: "Toys written during a backup", pieces: n, valueFen: 100 * n, direction: "export", channel: "postal",
    transport: "post", protectionMode: "ex_officio", originCountry: "CN", destinationCountry: "MM", campaignId: null,
    status: "detained", disposal: null, hearingHeld: false, referredToPolice: false, penaltyFen: null, notes: null,
    rightHolderIds: holders,
  }, null);
  process.stdout.write("committed " + n + "\\n");
} })();
`;

beforeAll(async () => {
  await seeded(liveFile, 3_000, 21);
  await seeded(targetFile, 1_000, 22);
  fs.mkdirSync(path.dirname(backupFile), { recursive: true });
  const writerFile = path.join(dir, "writer.ts");
  fs.writeFileSync(writerFile, WRITER);

  const writer = spawn(TSX, [writerFile, liveFile], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let committed = 0;
  let errors = "";
  let buffered = "";
  writer.stdout.on("data", (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) committed = Number(/^committed (\d+)$/.exec(line)?.[1] ?? committed);
  });
  writer.stderr.on("data", (d) => (errors += d));
  const exited = new Promise<void>((resolve) => writer.on("close", () => resolve()));
  const waitFor = async (condition: () => boolean, what: string) => {
    const deadline = Date.now() + 60_000;
    while (!condition()) {
      if (writer.exitCode !== null) throw new Error(`the writer stopped (${writer.exitCode}) before ${what}: ${errors}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${errors}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    await waitFor(() => committed >= 100, "100 commits");
    committedBeforeBackup = committed;
    const result = await cliAsync("backup", [backupFile], liveFile);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Backed up .*live\/ipr\.db to .*during-writes\.db: [\d.]+ (MB|KB), [\d,]+ cases, in [\d.]+ s\.$/m);
    const afterBackup = committed;
    await waitFor(() => committed >= afterBackup + 50, "50 commits after the backup");
  } finally {
    writer.kill("SIGTERM");
    await exited;
  }
  writerTotal = committed;
}, 180_000);

describe("npm run backup while another process writes", () => {
  it("makes a file that opens, passes the integrity check and holds every case committed before it began", async () => {
    expect(committedBeforeBackup).toBeGreaterThanOrEqual(100);
    const db = new Database(backupFile, { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(db.pragma("journal_mode", { simple: true })).toBe("delete"); // one self-contained file
      const written = (db.prepare("select count(*) as n from cases where case_no like 'WRITER-%'").get() as { n: number }).n;
      const highest = (db.prepare("select max(cast(substr(case_no, 8) as integer)) as n from cases where case_no like 'WRITER-%'").get() as { n: number }).n;
      expect(written).toBeGreaterThanOrEqual(committedBeforeBackup);
      expect(written).toBe(highest); // a snapshot: cases 1…N, none missing in between
      expect(written).toBeLessThan(writerTotal); // taken in the middle of the writing
      expect((db.prepare("select count(*) as n from cases").get() as { n: number }).n).toBe(3_000 + written);
      // every case came with its right holders, audit entry and derived tables: one consistent snapshot
      expect((db.prepare("select count(*) as n from audit_log where entity = 'case' and action = 'create'").get() as { n: number }).n).toBeGreaterThanOrEqual(written);
      expect(await derivedMismatches(db)).toEqual([]);
    } finally {
      db.close();
    }
    expect(fs.readdirSync(path.dirname(backupFile))).toEqual(["during-writes.db"]); // no temporary or -wal files left
  });

  it("refuses to overwrite an existing file unless --force, and needs a file name", () => {
    const before = sha256(backupFile);
    const again = cli("backup", [backupFile], liveFile);
    expect(again.status).toBe(1);
    expectOneClearSentence(again.stderr, /^backup: The file .*during-writes\.db exists already; add --force to overwrite it\.$/);
    expect(sha256(backupFile)).toBe(before);

    const forced = cli("backup", [backupFile, "--force"], liveFile);
    expect(forced.status).toBe(0);
    expect(caseCount(backupFile)).toBeGreaterThanOrEqual(3_000 + writerTotal);

    const none = cli("backup", [], liveFile);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^usage: npm run backup -- FILE\.db \[--force\]$/m);
    const missing = cli("backup", [path.join(dir, "x.db")], path.join(dir, "nowhere", "ipr.db"));
    expect(missing.status).toBe(1);
    expectOneClearSentence(missing.stderr, /^backup: There is no database at .*nowhere\/ipr\.db to back up\.$/);
  });
});

describe("npm run restore", () => {
  const badFiles = () => {
    const random = path.join(dir, "random.db");
    fs.writeFileSync(random, Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251)));

    const other = path.join(dir, "other-schema.db");
    const foo = new Database(other);
    foo.exec("create table foo (id integer primary key, name text); insert into foo (name) values ('bar');");
    foo.close();

    // a backup with a stretch of its pages overwritten
    const corrupt = path.join(dir, "corrupt.db");
    fs.copyFileSync(backupFile, corrupt);
    const size = fs.statSync(corrupt).size;
    const fd = fs.openSync(corrupt, "r+");
    fs.writeSync(fd, Buffer.alloc(256 * 1024, 0x5a), 0, 256 * 1024, Math.floor(size / 2 / 4096) * 4096);
    fs.closeSync(fd);

    // a backup made by a newer version of the application: one migration this code does not know
    const newer = path.join(dir, "newer.db");
    fs.copyFileSync(backupFile, newer);
    const n = new Database(newer);
    n.prepare("insert into __drizzle_migrations (hash, created_at) values (?, ?)").run("f".repeat(64), Date.now() + 86_400_000);
    n.close();

    return { random, other, corrupt, newer };
  };

  it("refuses a random file, another schema, a corrupt file and a newer schema, leaving the current database untouched", () => {
    const files = badFiles();
    const before = { sha: sha256(targetFile), cases: caseCount(targetFile) };
    const cases: [string, RegExp][] = [
      [files.random, /^restore: The file .*random\.db is not a SQLite database\.$/],
      [files.other, /^restore: The file .*other-schema\.db is a SQLite database, but not one of this application: it has no migrations table\.$/],
      [files.corrupt, /^restore: The file .*corrupt\.db is a damaged SQLite database/],
      [files.newer, /^restore: The file .*newer\.db was made by a newer version of this application .*; update the application first\.$/],
      [path.join(dir, "missing.db"), /^restore: The file .*missing\.db does not exist\.$/],
    ];
    for (const [file, message] of cases) {
      const r = cli("restore", [file, "--yes"], targetFile);
      expect(r.status, file).toBe(1);
      expectOneClearSentence(r.stderr, message);
      expect(sha256(targetFile)).toBe(before.sha);
    }
    expect(caseCount(targetFile)).toBe(before.cases);
    expect(fs.readdirSync(path.dirname(targetFile)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses while another process has the database open, and without --yes when nobody can be asked", () => {
    const before = sha256(targetFile);
    const server = new Database(targetFile); // like a running server: WAL, open, has read
    server.prepare("select count(*) from cases").get();
    try {
      const busy = cli("restore", [backupFile, "--yes"], targetFile);
      expect(busy.status).toBe(1);
      expectOneClearSentence(busy.stderr, /^restore: The database .*target\/ipr\.db is in use \(is the server running\?\); stop the server first, then restore\.$/);
    } finally {
      server.close();
    }
    const unasked = cli("restore", [backupFile], targetFile);
    expect(unasked.status).toBe(1);
    expectOneClearSentence(unasked.stderr, /^restore: Restoring replaces .*; add --yes to do it without a question\.$/);
    expect(sha256(targetFile)).toBe(before);

    const usage = cli("restore", ["--colour"], targetFile);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^usage: npm run restore -- FILE\.db \[--yes\]$/m);
  });

  it("restores a good backup: the current database then holds the backup's cases, checked and migrated", () => {
    const expected = caseCount(backupFile);
    expect(caseCount(targetFile)).not.toBe(expected);
    fs.writeFileSync(`${targetFile}-wal`, Buffer.alloc(0)); // a stale -wal of the old file goes too
    const r = cli("restore", [backupFile, "--yes"], targetFile);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(fs.readdirSync(path.dirname(targetFile)).sort()).toEqual(["ipr.db"]); // no temporary, old -wal or -shm file
    expect(r.stdout).toMatch(new RegExp(`^Restored .*during-writes\\.db to .*target/ipr\\.db: ${expected.toLocaleString("en-US")} cases, in [\\d.]+ s\\.$`, "m"));
    expect(caseCount(targetFile)).toBe(expected);
    const db = new Database(targetFile, { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      expect((db.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number }).n).toBe(knownMigrations().length);
    } finally {
      db.close();
    }
    // the backup itself is unchanged and the live database was not touched by the restore
    expect(caseCount(backupFile)).toBe(expected);
  });

  it("brings a backup of an older version up to date: the missing migrations are applied", () => {
    // a database as an older version left it: only the first migrations of db/sqlite/migrations
    const folder = path.join(dir, "old-migrations");
    fs.cpSync(path.join(ROOT, "db", "sqlite", "migrations"), folder, { recursive: true });
    const journalFile = path.join(folder, "meta", "_journal.json");
    const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: unknown[] };
    const all = journal.entries.length;
    journal.entries = journal.entries.slice(0, all - 2);
    fs.writeFileSync(journalFile, JSON.stringify(journal));
    const old = path.join(dir, "old-version.db");
    const db = openDb(`file:${old}`);
    migrate(db, { migrationsFolder: folder });
    db.$client.close();

    const r = cli("restore", [old, "--yes"], targetFile);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/: 0 cases, 2 newer migrations applied, in [\d.]+ s\.$/m);
    const restored = new Database(targetFile, { readonly: true });
    try {
      expect((restored.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number }).n).toBe(all);
      expect(restored.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      restored.close();
    }
  });
});

// ---- PostgreSQL: npm run backup is pg_dump -Fc, npm run restore is pg_restore into an empty database ----

describe("on PostgreSQL: npm run backup (pg_dump -Fc) while another connection writes, and npm run restore (pg_restore)", () => {
  const WRITER_ENTITY = "backup-writer";
  const dumpFile = path.join(dir, "backups", "pg-during-writes.dump");
  let source: Awaited<ReturnType<typeof freshPostgres>>;
  const dropLater: (() => Promise<void>)[] = [];
  let reportedCases = -1;
  let writtenBefore = -1;
  let writtenTotal = 0;

  /** An empty database on the test server (not migrated), dropped at the end. */
  async function empty(): Promise<string> {
    const db = await emptyDatabase();
    dropLater.push(db.drop);
    return db.url;
  }

  function pgCli(script: "backup" | "restore", args: string[], url: string) {
    const result = spawnSync(TSX, [path.join(ROOT, "scripts", `${script}.ts`), ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, encoding: "utf8", timeout: 60_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
  }

  async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  const writerRows = (url: string) =>
    withClient(url, async (c) => (await c.query<{ n: number; top: number | null }>(`select count(*)::int as n, max(entity_id) as top from audit_log where entity = $1`, [WRITER_ENTITY])).rows[0]!);

  beforeAll(async () => {
    await ensurePostgres();
    // the source: a migrated database of its own, holding a seeded deployment (copied from SQLite by db:copy)
    source = await freshPostgres();
    const seededFile = path.join(dir, "pg-source", "ipr.db");
    await seeded(seededFile, 1_500, 31);
    await copyDatabase({ from: `file:${seededFile}`, to: source.url });

    // a writer on its own connection appends audit rows 1, 2, 3… while the dump runs
    const writer = new pg.Client({ connectionString: source.url });
    await writer.connect();
    let committed = 0;
    let stop = false;
    const writing = (async () => {
      for (let n = 1; !stop; n++) {
        await writer.query(`insert into audit_log (at, action, entity, entity_id) values ($1, 'create', $2, $3)`, [Date.now(), WRITER_ENTITY, n]);
        committed = n;
      }
    })();
    try {
      while (committed < 100) await new Promise((r) => setTimeout(r, 10));
      writtenBefore = committed;
      const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(TSX, [path.join(ROOT, "scripts", "backup.ts"), dumpFile], { cwd: ROOT, env: { ...process.env, DATABASE_URL: source.url } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr: stderr.trim() }));
      });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      const match = /^Backed up the PostgreSQL database postgres:\/\/\S+ to .*pg-during-writes\.dump \(pg_dump -Fc\): [\d.]+ (MB|KB), ([\d,]+) cases, in [\d.]+ s\.$/m.exec(result.stdout);
      expect(match, result.stdout).toBeTruthy();
      reportedCases = Number(match![2]!.replace(/,/g, ""));
      const afterBackup = committed;
      while (committed < afterBackup + 50) await new Promise((r) => setTimeout(r, 10));
    } finally {
      stop = true;
      await writing;
      await writer.end();
    }
    writtenTotal = committed;
  }, 180_000);

  afterAll(async () => {
    for (const drop of dropLater) await drop();
    await source?.close();
  });

  it("writes a pg_dump custom-format file whose restore holds one snapshot: every row committed before it began, none missing in between", async () => {
    expect(fs.readFileSync(dumpFile).subarray(0, 5).toString("latin1")).toBe("PGDMP");
    expect(reportedCases).toBe(1_500);
    const target = await empty();
    const r = pgCli("restore", [dumpFile, "--yes"], target);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Restored .*pg-during-writes\.dump into the PostgreSQL database postgres:\/\/\S+: 1,500 cases, in [\d.]+ s\.$/m);
    const written = await writerRows(target);
    expect(written.n).toBeGreaterThanOrEqual(writtenBefore);
    expect(written.n).toBeLessThan(writtenTotal); // taken in the middle of the writing
    expect(written.top).toBe(written.n); // rows 1…N, none missing
    // every table, the search documents and the dashboard totals as in the source, the writer's rows aside
    const [restored, original] = await Promise.all([target, source.url].map((url) => withClient(url, (c) => postgresFigures(c))));
    expect({ ...restored, rows: { ...restored!.rows, audit_log: 0 } }).toEqual({ ...original!, rows: { ...original!.rows, audit_log: 0 } });
    // the migrations, the triggers of the change log and the id sequences came along: a new case goes on past the old ids
    const migrations = await withClient(target, async (c) => (await c.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations")).rows[0]!.n);
    expect(migrations).toBe(knownMigrations(POSTGRES_MIGRATIONS).length);
    await withClient(target, async (c) => {
      const before = (await c.query<{ n: number }>("select count(*)::int as n from case_changes")).rows[0]!.n;
      await c.query("update cases set pieces = pieces + 1 where id = (select min(id) from cases)");
      expect((await c.query<{ n: number }>("select count(*)::int as n from case_changes")).rows[0]!.n).toBeGreaterThan(before);
      const next = await c.query<{ id: number }>(`insert into audit_log (at, action, entity, entity_id) values (0, 'create', 'probe', 0) returning id`);
      expect(next.rows[0]!.id).toBeGreaterThan((await c.query<{ n: number }>("select max(id)::int as n from audit_log where entity <> 'probe'")).rows[0]!.n);
    });
  });

  it("refuses to overwrite an existing dump unless --force", () => {
    const before = sha256(dumpFile);
    const again = pgCli("backup", [dumpFile], source.url);
    expect(again.status).toBe(1);
    expectOneClearSentence(again.stderr, /^backup: The file .*pg-during-writes\.dump exists already; add --force to overwrite it\.$/);
    expect(sha256(dumpFile)).toBe(before);
    const unreachable = pgCli("backup", [path.join(dir, "x.dump")], "postgres://postgres@127.0.0.1:1/ipr");
    expect(unreachable.status).toBe(1);
    expectOneClearSentence(unreachable.stderr, /^backup: Cannot connect to the PostgreSQL database postgres:\/\/postgres@127\.0\.0\.1:1\/ipr: .*ECONNREFUSED.*\.$/);
  });

  it("refuses what it cannot restore, with one sentence, changing nothing: another engine's backup, a random file, a database that is not empty, a dump of another schema or of a newer version", async () => {
    const target = await empty();
    const random = path.join(dir, "random.bin");
    fs.writeFileSync(random, Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 251)));
    // a dump of a database that is not this application's
    const foreign = await empty();
    await withClient(foreign, (c) => c.query("create table foo (id int primary key, name text); insert into foo values (1, 'bar')"));
    const foreignDump = path.join(dir, "foreign.dump");
    expect(pgCli("backup", [foreignDump], foreign).status).toBe(1); // npm run backup counts cases: not an app database
    const dumped = spawnSync(findPgTool("pg_dump")!, ["-Fc", "-f", foreignDump, foreign], { encoding: "utf8" });
    expect(dumped.status, dumped.stderr).toBe(0);
    // a dump made by a newer version of the application: a migration this code does not know
    const newer = await empty();
    await copyDatabase({ from: `file:${path.join(dir, "pg-source", "ipr.db")}`, to: newer });
    await withClient(newer, (c) => c.query("insert into drizzle.__drizzle_migrations (hash, created_at) values ($1, $2)", ["f".repeat(64), Date.now() + 86_400_000]));
    const newerDump = path.join(dir, "newer.dump");
    expect(pgCli("backup", [newerDump], newer).status).toBe(0);

    const cases: [string, string, RegExp][] = [
      [backupFile, target, /^restore: The file .*during-writes\.db is a SQLite backup, but DATABASE_URL names a PostgreSQL database: restore it into a SQLite file \(.*\), then copy that into an empty PostgreSQL database with npm run db:copy -- --from file:… --to postgres:\/\/…\.$/],
      [random, target, /^restore: The file .*random\.bin is neither a PostgreSQL dump in pg_dump's custom format \(pg_dump -Fc\) nor a SQLite backup\.$/],
      [dumpFile, source.url, /^restore: The PostgreSQL database postgres:\/\/\S+ is not empty \(it has \d+ tables or sequences, such as [\w.]+\); a dump is restored only into an empty database: create one \(createdb\) and point DATABASE_URL at it\.$/],
      [foreignDump, target, /^restore: The file .*foreign\.dump is a PostgreSQL dump, but not one of this application: it has no migrations table\.$/],
      [newerDump, target, /^restore: The file .*newer\.dump was made by a newer version of this application .*; update the application first\.$/],
      [path.join(dir, "missing.dump"), target, /^restore: The file .*missing\.dump does not exist\.$/],
    ];
    const sourceBefore = await withClient(source.url, (c) => postgresFigures(c));
    for (const [file, url, message] of cases) {
      const r = pgCli("restore", [file, "--yes"], url);
      expect(r.status, file).toBe(1);
      expectOneClearSentence(r.stderr, message);
    }
    const tables = await withClient(target, async (c) => (await c.query<{ n: number }>("select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')")).rows[0]!.n);
    expect(tables).toBe(0); // nothing was half restored
    expect(await withClient(source.url, (c) => postgresFigures(c))).toEqual(sourceBefore);

    // and without --yes when nobody can be asked
    const unasked = pgCli("restore", [dumpFile], target);
    expect(unasked.status).toBe(1);
    expectOneClearSentence(unasked.stderr, /^restore: Restoring fills the PostgreSQL database .*; add --yes to do it without a question\.$/);
  });

  it("refuses a pg dump where DATABASE_URL names a SQLite file, leaving the file untouched", () => {
    const before = sha256(targetFile);
    const r = cli("restore", [dumpFile, "--yes"], targetFile);
    expect(r.status).toBe(1);
    expectOneClearSentence(r.stderr, /^restore: The file .*pg-during-writes\.dump is a PostgreSQL dump \(pg_dump\), but DATABASE_URL names a SQLite database: restore it into an empty PostgreSQL database \(.*\), then copy that with npm run db:copy -- --from postgres:\/\/… --to file:…\.$/);
    expect(sha256(targetFile)).toBe(before);
  });

  it("brings a dump of an older version up to date: the missing migrations are applied", async () => {
    const folder = path.join(dir, "old-pg-migrations");
    fs.cpSync(POSTGRES_MIGRATIONS, folder, { recursive: true });
    const journalFile = path.join(folder, "meta", "_journal.json");
    const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: unknown[] };
    const all = journal.entries.length;
    journal.entries = journal.entries.slice(0, all - 1);
    fs.writeFileSync(journalFile, JSON.stringify(journal));
    const old = await empty();
    await withClient(old, (c) => migratePg(drizzlePg(c), { migrationsFolder: folder }));
    const oldDump = path.join(dir, "old-version.dump");
    expect(spawnSync(findPgTool("pg_dump")!, ["-Fc", "-f", oldDump, old]).status).toBe(0);
    const target = await empty();
    const r = pgCli("restore", [oldDump, "--yes"], target);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/: 0 cases, 1 newer migration applied, in [\d.]+ s\.$/m);
    expect(await withClient(target, async (c) => (await c.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations")).rows[0]!.n)).toBe(all);
  });
});

describe.each(ENGINES)("the admin's download (db/repo/backup.ts, GET /api/admin/backup) on %s", (dialect) => {
  it("is a fresh backup of the engine's own kind, named by the day, with its case count", async () => {
    const file = path.join(dir, `download-${dialect}`, "ipr.db");
    await seeded(file, 1_000, 41);
    let url = `file:${file}`;
    let drop: (() => Promise<void>) | undefined;
    if (dialect === "postgres") {
      const db = await emptyDatabase();
      url = db.url;
      drop = db.drop;
      await copyDatabase({ from: `file:${file}`, to: url });
    }
    const saved = process.env.DATABASE_URL;
    const processEngine = globalThis as { iprEngine?: Engine };
    const tmp = tempDir("download");
    process.env.DATABASE_URL = url;
    try {
      const { backupDatabaseToTemp, backupUnavailable } = await import("../../db/repo/backup");
      expect(backupUnavailable()).toBeNull(); // pg_dump is installed here
      const result = await backupDatabaseToTemp(tmp, new Date("2026-05-01T10:00:00Z"));
      expect(processEngine.iprEngine?.dialect).toBe(dialect); // the process's engine, by DATABASE_URL
      expect(result.cases).toBe(1_000);
      expect(result.fileName).toBe(dialect === "sqlite" ? "ipr-backup-2026-05-01.db" : "ipr-backup-2026-05-01.dump");
      expect(result.contentType).toBe(dialect === "sqlite" ? "application/vnd.sqlite3" : "application/octet-stream");
      expect(fs.readFileSync(result.file).subarray(0, 5).toString("latin1")).toBe(dialect === "sqlite" ? "SQLit" : "PGDMP");
      expect(result.bytes).toBe(fs.statSync(result.file).size);
    } finally {
      if (processEngine.iprEngine) await closeEngine(processEngine.iprEngine);
      delete processEngine.iprEngine;
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
      fs.rmSync(tmp, { recursive: true, force: true });
      await drop?.();
    }
  });
});
