import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { baseURL, openTestDatabase, sessionCookie } from "./support";

// The backup download of the admin page, over real HTTP against the started server.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ipr-e2e-backup-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const count = (db: Database.Database, query: string) => (db.prepare(query).get() as { n: number }).n;

describe("GET /api/admin/backup", () => {
  it("gives an admin a fresh SQLite copy of the database, named by the day", async () => {
    const response = await fetch(`${baseURL()}/api/admin/backup`, { headers: { cookie: await sessionCookie("admin") } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="ipr-backup-\d{4}-\d{2}-\d{2}\.db"$/);
    // proxy.ts: every API answer, the backup included
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.subarray(0, 16).toString("latin1")).toBe("SQLite format 3\0");
    // the server streams it (chunked); a declared length, if any, must match
    const declared = response.headers.get("content-length");
    if (declared !== null) expect(Number(declared)).toBe(body.length);
    expect(body.length).toBeGreaterThan(1_000_000);

    const file = path.join(dir, "download.db");
    fs.writeFileSync(file, body);
    const backup = new Database(file, { readonly: true, fileMustExist: true });
    const live = openTestDatabase();
    try {
      expect(backup.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(count(backup, "select count(*) as n from __drizzle_migrations")).toBe(count(live, "select count(*) as n from __drizzle_migrations"));
      expect(count(backup, "select count(*) as n from cases")).toBe(count(live, "select count(*) as n from cases"));
      expect(count(backup, "select count(*) as n from user")).toBe(count(live, "select count(*) as n from user"));
    } finally {
      backup.close();
      live.close();
    }
  });

  it("is refused to analysts and members (403) and to anonymous callers (401)", async () => {
    for (const role of ["analyst", "member"] as const) {
      const response = await fetch(`${baseURL()}/api/admin/backup`, { headers: { cookie: await sessionCookie(role) } });
      expect(response.status, role).toBe(403);
      expect(await response.json()).toMatchObject({ error: "forbidden" });
    }
    const anonymous = await fetch(`${baseURL()}/api/admin/backup`, { redirect: "manual" });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: "unauthenticated" });
  });

  it("is linked from the admin page, with its explanation", async () => {
    const cookie = await sessionCookie("admin");
    const response = await fetch(`${baseURL()}/admin`, { headers: { cookie, "accept-language": "en" } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/<a[^>]*href="\/api\/admin\/backup"[^>]*>Download a backup<\/a>/);
    expect(html).toContain("npm run restore -- FILE.db");
    const zh = await (await fetch(`${baseURL()}/admin`, { headers: { cookie: `${cookie}; NEXT_LOCALE=zh` } })).text();
    expect(zh).toMatch(/<a[^>]*href="\/api\/admin\/backup"[^>]*>下载备份<\/a>/);
  });
});
