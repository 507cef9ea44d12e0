import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, TSX, tempDir } from "../support/db";

const dir = tempDir("cli");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(script: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(TSX, [path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

function expectOneClearSentence(stderr: string, pattern: RegExp) {
  expect(stderr).toMatch(pattern);
  expect(stderr.split("\n")).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |Error:/);
}

describe("npm start with a bad configuration", () => {
  it("stops with one sentence when the database folder cannot be created", () => {
    const file = path.join(dir, "plain-file");
    fs.writeFileSync(file, "not a folder");
    const r = run("scripts/start.ts", [], { DATABASE_URL: `file:${file}/ipr.db`, PORT: "3999" });
    expect(r.status).toBe(1);
    expectOneClearSentence(r.stderr, /^Cannot start: Cannot create the database folder .*plain-file: a part of the path is a file, not a folder\.$/);
  });

  it("stops with one sentence when DATABASE_URL names a file that is not SQLite", () => {
    const file = path.join(dir, "notes.txt");
    fs.writeFileSync(file, "these are not the cases you are looking for\n".repeat(10));
    const r = run("scripts/start.ts", [], { DATABASE_URL: `file:${file}`, PORT: "3999" });
    expect(r.status).toBe(1);
    expectOneClearSentence(r.stderr, /^Cannot start: The file .*notes\.txt is not a SQLite database\.$/);
    expect(fs.readFileSync(file, "utf8")).toMatch(/^these are not/); // untouched
  });

  it("stops with one sentence for a non-SQLite URL and for a bad PORT", () => {
    const url = run("scripts/start.ts", [], { DATABASE_URL: "postgres://localhost/ipr" });
    expect(url.status).toBe(1);
    expectOneClearSentence(url.stderr, /is not a SQLite file URL/);
    const port = run("scripts/start.ts", [], { PORT: "web", DATABASE_URL: `file:${path.join(dir, "p.db")}` });
    expect(port.status).toBe(1);
    expectOneClearSentence(port.stderr, /^Cannot start: PORT must be a number \(got "web"\)\.$/);
  });
});

describe("npm run seed", () => {
  const db = `file:${path.join(dir, "seed.db")}`;

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
    const { openDb } = await import("../../db/open");
    const db = openDb(url());
    const row = db.$client.prepare(`select u.role, a.password from user u join account a on a.user_id = u.id where u.email = 'first.admin@example.cn'`).get() as { role: string; password: string };
    expect(row.role).toBe("admin");
    expect(row.password).not.toContain(password!);
    expect(await (await createAuth(db).$context).password.verify({ password: password!, hash: row.password })).toBe(true);
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
