import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The data layer's boundary (issue 14, first cut): SQL, the SQLite driver and drizzle live in
// db/ only, and lib/ (pure domain code) imports nothing from db/. Pages, layouts, route
// handlers, server actions and the proxy reach the database only through the async functions
// of db/repo/*; components import only types from db/ (the page hands them data or a
// promise). Read from the files themselves, so a new page that writes a query of its own, or
// a component that fetches, fails here.

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
const ENTRY_POINTS = sources("app", "proxy.ts");
const COMPONENTS = sources("components");

/** A value import (not `import type`) from db/ internals: the connection, queries, budget, writes, driver. */
const DB_INTERNALS = /\bgetDb\b|@\/db\/(client|queries|budget|mutations|open|auth|import|bulk|backup|case-filters)\b|["']better-sqlite3["']|["']drizzle-orm/;
/** An import from db/ of values (an `import type` line is not one). */
const VALUE_FROM_DB = /^\s*import\s+(?!type\b)[^;]*from\s+["'](@\/db\/|(\.\.\/)+db\/)|^\s*export\s+(?!type\b)[^;]*from\s+["'](@\/db\/|(\.\.\/)+db\/)/;
/** An import from db/ other than db/repo/* (types aside). */
const NOT_REPO = /^\s*import\s+(?!type\b)[^;]*from\s+["'](@\/db\/(?!repo\/)|(\.\.\/)+db\/(?!repo\/))/;

/**
 * SQLite's own SQL and driver calls (the next engine says them differently): they are written
 * in db/sqlite/ (the connection, schema, migrations, search indexes, change log, backup and
 * engine.ts) and nowhere else. Comment lines are not code.
 */
const SQLITE_ONLY = /\bindexed by\b|data_version|total_changes|\.immediate\(|\bfts5|\bjson_each\b|sqlite_master|\.pragma\(|\.backup\(|\bmatch \$\{/i;
/** PostgreSQL's own SQL and driver (the second engine): in db/postgres/ alone, like SQLite's in db/sqlite/. */
const POSTGRES_ONLY = /pg_advisory|::tsquery|\bto_tsvector\b|\bsetval\(|from stdin|no scroll cursor|from\s+["'](pg|pg-copy-streams|drizzle-orm\/node-postgres[^"']*|drizzle-orm\/pg-core)["']/i;
const codeLines = (file: string) =>
  fs.readFileSync(path.join(ROOT, file), "utf8").split("\n").map((line) => (/^\s*(\/\/|\*|\/\*)/.test(line) ? "" : line)).join("\n");

describe("the data layer's boundary", () => {
  it("finds the files it checks", () => {
    expect(OUTSIDE_DB.length).toBeGreaterThan(50);
    expect(OUTSIDE_DB).toContain("app/api/health/route.ts");
  });

  it("no SQL outside db/: no prepared statement, no sql`` template", () => {
    expect(offending(OUTSIDE_DB, SQL)).toEqual([]);
  });

  it("no SQLite driver or drizzle import outside db/ (the seed and the scripts included)", () => {
    expect(offending([...OUTSIDE_DB, ...sources("seed", "scripts")], DRIVER)).toEqual([]);
  });

  it("lib/ imports nothing from db/", () => {
    expect(offending(sources("lib"), FROM_DB)).toEqual([]);
  });

  it("pages, routes, actions and the proxy use no db/ internal: getDb, queries, budget, mutations, driver", () => {
    expect(ENTRY_POINTS.length).toBeGreaterThan(30);
    expect(offending([...ENTRY_POINTS, ...COMPONENTS], DB_INTERNALS)).toEqual([]);
  });

  it("pages, routes, actions and the proxy import from db/ only db/repo/*", () => {
    expect(offending(ENTRY_POINTS, NOT_REPO)).toEqual([]);
  });

  it("components import only types from db/ (their data comes from the page)", () => {
    expect(COMPONENTS).toContain("components/filters/Facets.tsx");
    expect(offending(COMPONENTS, VALUE_FROM_DB)).toEqual([]);
  });

  it("SQLite-only SQL and driver calls are in db/sqlite/ alone", () => {
    const elsewhere = sources("db", "lib", "app", "components", "seed", "scripts", "proxy.ts").filter((f) => !f.startsWith("db/sqlite/"));
    expect(elsewhere).toContain("db/writer.ts");
    expect(elsewhere.flatMap((file) => matching(file, codeLines(file), SQLITE_ONLY))).toEqual([]);
    expect(sources("db/sqlite").flatMap((file) => matching(file, codeLines(file), SQLITE_ONLY)).length).toBeGreaterThan(5);
  });

  it("PostgreSQL-only SQL and driver imports are in db/postgres/ alone (scripts call its functions)", () => {
    const elsewhere = sources("db", "lib", "app", "components", "seed", "proxy.ts").filter((f) => !f.startsWith("db/postgres/"));
    expect(elsewhere.flatMap((file) => matching(file, codeLines(file), POSTGRES_ONLY))).toEqual([]);
    expect(sources("db/postgres").flatMap((file) => matching(file, codeLines(file), POSTGRES_ONLY)).length).toBeGreaterThan(5);
  });

  it("every db/repo module is server-only", () => {
    const repo = sources("db/repo");
    expect(repo.length).toBeGreaterThan(5);
    expect(repo.filter((file) => !fs.readFileSync(path.join(ROOT, file), "utf8").startsWith('import "server-only";'))).toEqual([]);
  });

  it("the checks find what they look for (a control on known text)", () => {
    const probe = 'import type { Db } from "../db/open";\nimport Database from "better-sqlite3";\nconst q = sql`select 1`;\ndb.prepare("select 1");\n';
    expect(matching("probe", probe, FROM_DB)).toHaveLength(1);
    expect(matching("probe", probe, DRIVER)).toHaveLength(1);
    expect(matching("probe", probe, SQL)).toHaveLength(2);
    const imports = [
      'import { getDb } from "@/db/client";',
      'import { budgetedRead } from "@/db/budget";',
      'import { caseNumberOf } from "@/db/queries/admin";',
      'import type { CaseRow } from "@/db/queries/cases";',
      'import { listCases } from "@/db/repo/cases";',
      'import type { FacetData } from "@/db/repo/dashboard";',
    ].join("\n");
    expect(matching("probe", imports, DB_INTERNALS).map((l) => l.split(":")[1])).toEqual(["1", "2", "3", "4"]);
    expect(matching("probe", imports, NOT_REPO).map((l) => l.split(":")[1])).toEqual(["1", "2", "3"]);
    expect(matching("probe", imports, VALUE_FROM_DB).map((l) => l.split(":")[1])).toEqual(["1", "2", "3", "5"]);
    const engine = [
      "sqlite.transaction(work).immediate();",
      "select rowid from cases_fts where cases_fts match ${match}",
      "select value from json_each(?)",
      "// PRAGMA data_version moves on a commit",
      "select name from sqlite_master",
      "db.pragma('journal_mode = WAL')",
      "select * from cases where status = 'closed'",
    ].join("\n");
    expect(matching("probe", engine, SQLITE_ONLY).map((l) => l.split(":")[1])).toEqual(["1", "2", "3", "4", "5", "6"]);
  });
});
