import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { POSTGRES_MIGRATIONS } from "../../db/postgres/open";
import { knownMigrations } from "../../db/sqlite/backup";
import { ROOT, TSX, tempDir } from "../support/db";
import { databaseUrl, emptyDatabase, ensurePostgres } from "../support/postgres";

const dir = tempDir("cli");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeAll(() => ensurePostgres());

function run(script: string, args: string[], env: Record<string, string>) {
  // npm start is `node scripts/start.mjs`; the other scripts run through tsx
  const command = script.endsWith(".mjs") ? [process.execPath, path.join(ROOT, script)] : [TSX, path.join(ROOT, script)];
  const result = spawnSync(command[0]!, [...command.slice(1), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

/** The same, without blocking this process (so that several run at once). */
function runAsync(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(TSX, [path.join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr: stderr.trim() }));
  });
}

/** Migrations applied, cases and accounts of a PostgreSQL database. */
async function pgCounts(url: string): Promise<{ migrations: number; cases: number; users: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const one = async (q: string) => (await client.query<{ n: number }>(q)).rows[0]!.n;
    return {
      migrations: await one("select count(*)::int as n from drizzle.__drizzle_migrations"),
      cases: await one("select count(*)::int as n from cases"),
      users: await one(`select count(*)::int as n from "user"`),
    };
  } finally {
    await client.end();
  }
}

function expectOneClearSentence(stderr: string, pattern: RegExp) {
  expect(stderr).toMatch(pattern);
  expect(stderr.split("\n")).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |Error:/);
}

describe("npm start with a bad configuration", () => {
  it("stops with one sentence when the database folder is a file", () => {
    const file = path.join(dir, "plain-file");
    fs.writeFileSync(file, "not a folder");
    const r = run("scripts/start.mjs", [], { DATABASE_URL: `file:${file}/ipr.db`, PORT: "3999" });
    expect(r.status).toBe(1);
    expectOneClearSentence(r.stderr, /^Cannot start: The database folder .*plain-file is not a folder\.$/);
  });

  it("stops with one sentence for a mistyped location, and creates nothing there", () => {
    const missing = path.join(dir, "nonexistent-dir", "x");
    const r = run("scripts/start.mjs", [], { DATABASE_URL: `file:${missing}/y.db`, PORT: "3999" });
    expect(r.status).toBe(1);
    expectOneClearSentence(
      r.stderr,
      /^Cannot start: The database folder .*nonexistent-dir\/x does not exist: create it first, or leave DATABASE_URL unset for the default database\.$/,
    );
    expect(fs.existsSync(path.join(dir, "nonexistent-dir"))).toBe(false);
  });

  it("stops with one sentence when DATABASE_URL names a file that is not SQLite", () => {
    const file = path.join(dir, "notes.txt");
    fs.writeFileSync(file, "these are not the cases you are looking for\n".repeat(10));
    const r = run("scripts/start.mjs", [], { DATABASE_URL: `file:${file}`, PORT: "3999" });
    expect(r.status).toBe(1);
    expectOneClearSentence(r.stderr, /^Cannot start: The file .*notes\.txt is not a SQLite database\.$/);
    expect(fs.readFileSync(file, "utf8")).toMatch(/^these are not/); // untouched
  });

  it("stops with one sentence for a URL of another engine and for a bad PORT", () => {
    const url = run("scripts/start.mjs", [], { DATABASE_URL: "mysql://localhost/ipr" });
    expect(url.status).toBe(1);
    expectOneClearSentence(url.stderr, /^Cannot start: DATABASE_URL "mysql:\/\/localhost\/ipr" is neither a SQLite file nor a PostgreSQL URL: use file:path\/to\/ipr\.db or postgres:\/\/user@host:5432\/database\.$/);
    const port = run("scripts/start.mjs", [], { PORT: "web", DATABASE_URL: `file:${path.join(dir, "p.db")}` });
    expect(port.status).toBe(1);
    expectOneClearSentence(port.stderr, /^Cannot start: PORT must be a number \(got "web"\)\.$/);
  });

  it("with a PostgreSQL URL: stops with one sentence when the server does not answer, the database does not exist or the URL does not parse, without the password", async () => {
    const missing = databaseUrl(`ipr_missing_${process.pid}`);
    for (const [url, sentence] of [
      ["postgres://app:s3cret@127.0.0.1:1/ipr", /^Cannot start: Cannot connect to the PostgreSQL database postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/ipr: connect ECONNREFUSED 127\.0\.0\.1:1\.$/],
      [missing, new RegExp(`^Cannot start: Cannot connect to the PostgreSQL database .*: database "ipr_missing_${process.pid}" does not exist\\.$`)],
      ["postgresql://app:s3cret@db.example.cn:99999/ipr", /^Cannot start: DATABASE_URL "postgresql:\/\/app:\*\*\*@db\.example\.cn:99999\/ipr" is not a valid PostgreSQL URL: use postgres:\/\/user:password@host:5432\/database\.$/],
    ] as const) {
      const r = run("scripts/start.mjs", [], { DATABASE_URL: url, PORT: "3999" });
      expect(r.status, url).toBe(1);
      expectOneClearSentence(r.stderr, sentence);
      expect(r.stderr + r.stdout).not.toContain("s3cret");
    }
  });

  it("stops with one sentence for a bad value of any variable of the README's table (lib/env.ts), before touching the database", () => {
    const database = path.join(dir, "never.db");
    for (const [env, sentence] of [
      [{ BETTER_AUTH_URL: "ipr.example.cn" }, /^Cannot start: BETTER_AUTH_URL must be an http or https address such as https:\/\/ipr\.example\.cn \(got "ipr\.example\.cn"\)\.$/],
      [{ AUTH_SECURE_COOKIES: "yes" }, /^Cannot start: AUTH_SECURE_COOKIES must be 1 \(behind HTTPS\) or unset \(got "yes"\)\.$/],
      [{ QUERY_READERS: "0" }, /^Cannot start: QUERY_READERS must be a whole number from 1 to 32 \(got "0"\)\.$/],
    ] as const) {
      const r = run("scripts/start.mjs", [], { ...env, DATABASE_URL: `file:${database}`, PORT: "3999" });
      expect(r.status).toBe(1);
      expectOneClearSentence(r.stderr, sentence);
    }
    expect(fs.existsSync(database)).toBe(false);
  });
});

describe("which database start-up creates and fills", () => {
  // the rule, not the size: npm start seeds DEFAULT_DEMO (100,000 cases), this a smaller demo
  const SMALL_DEMO = { cases: 2_000, seed: 1 };
  /** prepareDatabase as npm start calls it, with DATABASE_URL and the working folder given. */
  async function prepare(url: string | undefined, cwd = ROOT): Promise<string[]> {
    const { prepareDatabase } = await import("../../scripts/prepare-db");
    const saved = { url: process.env.DATABASE_URL, cwd: process.cwd() };
    const lines: string[] = [];
    if (url === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = url;
    process.chdir(cwd);
    try {
      await prepareDatabase({ seed: true, log: (line) => lines.push(line), demo: SMALL_DEMO });
    } finally {
      process.chdir(saved.cwd);
      if (saved.url === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved.url;
    }
    return lines;
  }
  const tables = (file: string) => {
    const sqlite = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const cases = (sqlite.prepare("select count(*) as n from cases").get() as { n: number }).n;
      const users = (sqlite.prepare("select count(*) as n from user").get() as { n: number }).n;
      return { cases, users };
    } finally {
      sqlite.close();
    }
  };

  it("another database in an existing folder: created and migrated, not seeded; npm run seed fills it", async () => {
    const file = path.join(dir, "other.db");
    const lines = await prepare(`file:${file}`);
    expect(tables(file)).toEqual({ cases: 0, users: 0 });
    expect(lines.join("\n")).toMatch(/other\.db is empty: `npm run seed` fills it with demo data, `npm run user:create` makes the first account\./);
    // an empty file there is the same
    const empty = path.join(dir, "empty.db");
    fs.writeFileSync(empty, "");
    await prepare(`file:${empty}`);
    expect(tables(empty)).toEqual({ cases: 0, users: 0 });
    // demo data only through the seed
    const seeded = run("seed/cli.ts", ["--cases", "1000", "--seed", "3"], { DATABASE_URL: `file:${file}` });
    expect(seeded.status).toBe(0);
    expect(tables(file).cases).toBe(1000);
  });

  it("a PostgreSQL database: migrated, never seeded; an empty one is served empty and the start says to run npm run seed", async () => {
    const db = await emptyDatabase();
    try {
      const lines = await prepare(db.url);
      expect(lines.join("\n")).toMatch(/^The PostgreSQL database postgres:\/\/\S+ is empty: `npm run seed` \(with the same DATABASE_URL\) fills it with demo data, `npm run user:create` makes the first account\.$/);
      const counts = await pgCounts(db.url);
      expect(counts).toEqual({ migrations: knownMigrations(POSTGRES_MIGRATIONS).length, cases: 0, users: 0 });
      // a second start finds it migrated (nothing to apply) and still empty: the same sentence, nothing written
      expect(await prepare(db.url)).toEqual(lines);
      expect(await pgCounts(db.url)).toEqual(counts);
    } finally {
      await db.drop();
    }
  });

  it("two servers starting together on one PostgreSQL database: both start, the migrations are applied once (the advisory lock)", async () => {
    const db = await emptyDatabase();
    try {
      const starts = await Promise.all([0, 1].map(() => runAsync("scripts/prepare-db.ts", ["--no-seed"], { DATABASE_URL: db.url })));
      for (const r of starts) {
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
      }
      expect(await pgCounts(db.url)).toEqual({ migrations: knownMigrations(POSTGRES_MIGRATIONS).length, cases: 0, users: 0 });
    } finally {
      await db.drop();
    }
  });

  it("the default database (data/ipr.db): its folder and file are created and filled with the demo data and accounts", async () => {
    const cwd = tempDir("default-db");
    try {
      const lines = await prepare(undefined, cwd);
      const file = path.join(cwd, "data", "ipr.db");
      expect(tables(file)).toEqual({ cases: 2_000, users: 3 });
      expect(lines.join("\n")).toMatch(/The database is empty: seeding 2,000 demo cases/);
      // named explicitly, it is the same database: nothing more happens on the next start
      expect(await prepare("file:data/ipr.db", cwd)).toEqual([]);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe("npm run seed", () => {
  const db = `file:${path.join(dir, "seed.db")}`;

  it("refuses a database in a folder that does not exist", () => {
    const r = run("seed/cli.ts", ["--cases", "1000"], { DATABASE_URL: `file:${path.join(dir, "no-such-folder", "x.db")}` });
    expect(r.status).toBe(1);
    expectOneClearSentence(r.stderr, /^seed: The database folder .*no-such-folder does not exist/);
    expect(fs.existsSync(path.join(dir, "no-such-folder"))).toBe(false);
  });

  it.each([
    [["--cases", "abc"], /--cases must be a whole number, got "abc"/],
    [["--cases", "-5"], /--cases must be a whole number, got "-5"/],
    [["--colour", "blue"], /unknown argument "--colour"/],
  ])("exits non-zero with a usage line for %j", (args, message) => {
    const r = run("seed/cli.ts", args, { DATABASE_URL: db });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^usage: npm run seed -- \[--cases N\] \[--seed S\] \[--reset\]$/m);
  });

  it("seeds an empty database, refuses to mix data into a full one, and replaces it with --reset", () => {
    const first = run("seed/cli.ts", ["--cases", "1000", "--seed", "5"], { DATABASE_URL: db });
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/seeded 1,000 cases \(seed 5\)/);

    const again = run("seed/cli.ts", ["--cases", "2000"], { DATABASE_URL: db });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already holds data; run the seed with --reset/);

    const reset = run("seed/cli.ts", ["--cases", "2000", "--reset"], { DATABASE_URL: db });
    expect(reset.status).toBe(0);
    expect(reset.stdout).toMatch(/seeded 2,000 cases/);
  });
});

describe("npm run user:create", () => {
  const url = () => `file:${path.join(dir, "accounts.db")}`;

  it("creates the first admin on a fresh database, printing a generated password once, and it verifies", async () => {
    const r = run("scripts/user-create.ts", ["--email", "First.Admin@Example.cn", "--role", "admin"], { DATABASE_URL: url() });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Created admin account first\.admin@example\.cn\.$/m);
    const password = /password \(shown once\): (\S+)/.exec(r.stdout)?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(10);
    // the stored hash is better-auth's and verifies against the printed password
    const { createAuth } = await import("../../db/auth");
    const { sqliteEngine } = await import("../../db/engine");
    const { openDb } = await import("../../db/sqlite/open");
    const db = openDb(url());
    const row = db.$client.prepare(`select u.role, a.password from user u join account a on a.user_id = u.id where u.email = 'first.admin@example.cn'`).get() as { role: string; password: string };
    expect(row.role).toBe("admin");
    expect(row.password).not.toContain(password!);
    expect(await (await (await createAuth(sqliteEngine(db))).$context).password.verify({ password: password!, hash: row.password })).toBe(true);
    db.$client.close();
  });

  it.each([
    [["--email", "a@b.cn"], 2, /--role is required/],
    [["--email", "a@b.cn", "--role", "root"], 2, /--role must be one of admin, analyst, member, not "root"/],
    [["--email", "a@b.cn", "--role", "member"], 1, /A member account needs the right holder it belongs to\./],
    [["--email", "a@b.cn", "--role", "analyst", "--holder", "3"], 1, /Only member accounts belong to a right holder\./],
    [["--email", "not-an-email", "--role", "analyst"], 1, /"not-an-email" is not an email address\./],
    [["--email", "first.admin@example.cn", "--role", "analyst"], 1, /An account for first\.admin@example\.cn exists already\./],
    [["--email", "b@b.cn", "--role", "analyst", "--password", "short"], 1, /A password needs 10 to 128 characters\./],
  ])("refuses %j with a clear message (exit %i)", (args, status, message) => {
    const r = run("scripts/user-create.ts", args as string[], { DATABASE_URL: url() });
    expect(r.status).toBe(status);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
