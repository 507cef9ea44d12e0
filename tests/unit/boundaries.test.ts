import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The data layer's boundary (issue 14, first cut): SQL, the SQLite driver and drizzle live in
// db/ only, and lib/ (pure domain code) imports nothing from db/. Read from the files
// themselves, so a new page that writes a query of its own fails here.

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");

function sources(...entries: string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const full = path.join(ROOT, rel);
    if (!fs.existsSync(full)) return;
    if (fs.statSync(full).isDirectory()) {
      for (const name of fs.readdirSync(full)) walk(path.join(rel, name));
    } else if (/\.(ts|tsx|mjs|js)$/.test(rel)) out.push(rel);
  };
  for (const e of entries) walk(e);
  return out;
}

/** The lines of `text` that match `pattern`, as "name:line: text". */
function matching(name: string, text: string, pattern: RegExp): string[] {
  return text.split("\n").flatMap((line, i) => (pattern.test(line) ? [`${name}:${i + 1}: ${line.trim()}`] : []));
}

/** The lines of `files` that match `pattern`. */
function offending(files: string[], pattern: RegExp): string[] {
  return files.flatMap((file) => matching(file, fs.readFileSync(path.join(ROOT, file), "utf8"), pattern));
}

const SQL = /\.prepare\(|\bsql`|\.exec\(\s*["'`]/;
const DRIVER = /from\s+["'](better-sqlite3|drizzle-orm[^"']*)["']|require\(["']better-sqlite3["']\)/;
const FROM_DB = /from\s+["'](\.\.\/)+db\/|from\s+["']@\/db\//;

const OUTSIDE_DB = sources("app", "components", "lib", "proxy.ts", "instrumentation.ts");

describe("the data layer's boundary", () => {
  it("finds the files it checks", () => {
    expect(OUTSIDE_DB.length).toBeGreaterThan(50);
    expect(OUTSIDE_DB).toContain("app/api/health/route.ts");
  });

  it("no SQL outside db/: no prepared statement, no sql`` template", () => {
    expect(offending(OUTSIDE_DB, SQL)).toEqual([]);
  });

  it("no SQLite driver or drizzle import outside db/", () => {
    expect(offending(OUTSIDE_DB, DRIVER)).toEqual([]);
  });

  it("lib/ imports nothing from db/", () => {
    expect(offending(sources("lib"), FROM_DB)).toEqual([]);
  });

  it("the checks find what they look for (a control on known text)", () => {
    const probe = 'import type { Db } from "../db/open";\nimport Database from "better-sqlite3";\nconst q = sql`select 1`;\ndb.prepare("select 1");\n';
    expect(matching("probe", probe, FROM_DB)).toHaveLength(1);
    expect(matching("probe", probe, DRIVER)).toHaveLength(1);
    expect(matching("probe", probe, SQL)).toHaveLength(2);
  });
});
