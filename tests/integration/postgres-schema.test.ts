import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { getTableColumns, getTableName, is, Table } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATION_LOCK, migratePostgres, POSTGRES_MIGRATIONS } from "../../db/postgres/open";
import * as sqliteSchema from "../../db/sqlite/schema";
import { channels, directions, industries, goodsCategories, infringementTypes, protectionModes, transports, caseStatuses } from "../../lib/enums";
import { freshDb } from "../support/db";
import { emptyDatabase, freshPostgres } from "../support/postgres";

// The PostgreSQL dialect against the SQLite one: its migrations apply, every table and column
// of a migrated SQLite file is there with a matching type and nullability, two servers that
// migrate at once migrate once, and the change-log triggers log what SQLite's log.

type Column = { table: string; column: string; family: string; notNull: boolean };

/** The SQLite side, read from a migrated file (pragma table_info), its families from the drizzle schema's modes. */
function sqliteColumns(sqlite: Database.Database): Column[] {
  const modes = new Map<string, string>();
  for (const value of Object.values(sqliteSchema)) {
    if (!is(value, Table)) continue;
    for (const col of Object.values(getTableColumns(value))) modes.set(`${getTableName(value)}.${col.name}`, col.columnType);
  }
  const tables = sqlite
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' and sql not like 'CREATE VIRTUAL%' and name not like '%_fts_%'")
    .pluck()
    .all() as string[];
  return tables.flatMap((table) =>
    (sqlite.prepare(`select name, type, "notnull" as nn, pk from pragma_table_info(?)`).all(table) as { name: string; type: string; nn: number; pk: number }[]).map((c) => {
      const mode = modes.get(`${table}.${c.name}`);
      const family = mode === "SQLiteBoolean" ? "boolean" : mode === "SQLiteTextJson" ? "json" : c.type.toLowerCase() === "integer" ? "integer" : c.type.toLowerCase() === "blob" ? "bytes" : "text";
      return { table, column: c.name, family, notNull: c.nn === 1 || c.pk > 0 };
    }),
  );
}

const FAMILY: Record<string, string> = { integer: "integer", bigint: "integer", smallint: "integer", boolean: "boolean", text: "text", json: "json", tsvector: "tsvector", bytea: "bytes" };

async function postgresColumns(client: pg.Client | pg.Pool): Promise<Column[]> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    "select table_name, column_name, data_type, is_nullable from information_schema.columns where table_schema = 'public'",
  );
  return rows.map((r) => ({ table: r.table_name, column: r.column_name, family: FAMILY[r.data_type] ?? r.data_type, notNull: r.is_nullable === "NO" }));
}

/** What the SQLite side has that PostgreSQL lacks or holds differently, one line each. */
function parityProblems(sqlite: Column[], postgres: Column[]): string[] {
  const byKey = new Map(postgres.map((c) => [`${c.table}.${c.column}`, c]));
  return sqlite.flatMap((c) => {
    const other = byKey.get(`${c.table}.${c.column}`);
    if (!other) return [`${c.table}.${c.column} is missing`];
    const out: string[] = [];
    if (other.family !== c.family) out.push(`${c.table}.${c.column} is ${other.family}, not ${c.family}`);
    if (other.notNull !== c.notNull) out.push(`${c.table}.${c.column} ${c.notNull ? "may be null" : "may not be null"}`);
    return out;
  });
}

const journal = JSON.parse(fs.readFileSync(path.join(POSTGRES_MIGRATIONS, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };

let sqlite: ReturnType<typeof freshDb>;
let postgres: Awaited<ReturnType<typeof freshPostgres>>;
beforeAll(async () => {
  sqlite = freshDb("pg-schema");
  postgres = await freshPostgres();
});
afterAll(async () => {
  sqlite?.close();
  await postgres?.close();
});

describe("PostgreSQL migrations", () => {
  it("apply on a fresh database, and a second run finds nothing to do", async () => {
    const empty = await emptyDatabase();
    try {
      await migratePostgres(empty.url);
      await migratePostgres(empty.url);
      const client = new pg.Client({ connectionString: empty.url });
      await client.connect();
      try {
        const applied = await client.query("select hash from drizzle.__drizzle_migrations");
        expect(applied.rowCount).toBe(journal.entries.length);
        const tables = await client.query("select count(*)::int as n from information_schema.tables where table_schema = 'public'");
        expect(tables.rows[0].n).toBeGreaterThanOrEqual(15);
      } finally {
        await client.end();
      }
    } finally {
      await empty.drop();
    }
  });

  it("hold every table and column of the SQLite schema, with the same type family and nullability", async () => {
    const expected = sqliteColumns(sqlite.db.$client);
    expect(new Set(expected.map((c) => c.table)).size).toBeGreaterThanOrEqual(14);
    expect(expected.find((c) => c.table === "cases" && c.column === "value_fen")).toEqual({ table: "cases", column: "value_fen", family: "integer", notNull: true });
    const actual = await postgresColumns(postgres.db.$client);
    expect(parityProblems(expected, actual)).toEqual([]);
    // PostgreSQL's tables are SQLite's, and the search table in place of the FTS5 ones
    const sqliteTables = new Set(expected.map((c) => c.table));
    expect([...new Set(actual.map((c) => c.table))].filter((t) => !sqliteTables.has(t))).toEqual(["cases_search"]);
  });

  it("hold the SQLite schema's indexes by name (sort, filter and partial ones)", async () => {
    const names = sqlite.db.$client
      .prepare("select name from sqlite_master where type = 'index' and name not like 'sqlite_autoindex%' and sql is not null")
      .pluck()
      .all() as string[];
    expect(names).toContain("cases_value_idx");
    const { rows } = await postgres.db.$client.query<{ indexname: string; indexdef: string }>("select indexname, indexdef from pg_indexes where schemaname = 'public'");
    const pgIndexes = new Map(rows.map((r) => [r.indexname, r.indexdef]));
    expect(names.filter((n) => !pgIndexes.has(n))).toEqual([]);
    expect(pgIndexes.get("cases_seized_idx")).toMatch(/WHERE \(deleted_at IS NULL\)/);
    expect(pgIndexes.get("cases_search_doc_idx")).toMatch(/USING gin/);
  });

  it("the parity check notices a missing column, a changed type and a changed nullability (a control)", async () => {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      await client.query("begin");
      await client.query("alter table cases drop column notes");
      await client.query("alter table audit_log alter column entity type integer using 0");
      await client.query("alter table session alter column ip_address set not null");
      const problems = parityProblems(sqliteColumns(sqlite.db.$client), await postgresColumns(client));
      expect(problems.sort()).toEqual(["audit_log.entity is integer, not text", "cases.notes is missing", "session.ip_address may not be null"]);
    } finally {
      await client.query("rollback");
      await client.end();
    }
  });

  it("two migrators started together both succeed and apply the migrations once; the second waits for the first's lock", async () => {
    const empty = await emptyDatabase();
    const watcher = new pg.Client({ connectionString: empty.url });
    await watcher.connect();
    try {
      // a third connection holds the lock, so both migrators are seen waiting on it
      await watcher.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
      const both = Promise.all([migratePostgres(empty.url), migratePostgres(empty.url)]);
      for (;;) {
        const waiting = await watcher.query("select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())");
        if (waiting.rows[0].n === 2) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const before = await watcher.query("select to_regclass('public.cases') as t");
      expect(before.rows[0].t).toBeNull(); // nobody migrated while the lock was held
      await watcher.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]);
      await both;
      const applied = await watcher.query("select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash");
      expect(applied.rows.map((r) => r.n)).toEqual(journal.entries.map(() => 1));
    } finally {
      await watcher.end();
      await empty.drop();
    }
  });
});

describe("the change log on PostgreSQL", () => {
  /** One script of writes, run on both engines statement by statement. */
  const caseRow = (id: number, no: string): string[] => [
      `insert into cases (id, case_no, office_id, seized_on, infringement_type, goods_category, goods_description, pieces, value_fen, direction, channel, transport, protection_mode, status, created_at, updated_at)
       values (${id}, '${no}', 1, '2024-03-01', '${infringementTypes.values[0]}', '${goodsCategories.values[0]}', 'bags', 10, 12345, '${directions.values[0]}', '${channels.values[0]}', '${transports.values[0]}', '${protectionModes.values[0]}', '${caseStatuses.values[0]}', 1700000000000, 1700000000000)`,
  ];
  const script = (yes: string): string[] => [
    "insert into customs_offices (id, code, name_en, name_zh, province) values (1, '0100', 'Beijing', '北京', 'Beijing')",
    `insert into right_holders (id, name, country, industry) values (1, 'Acme', 'CN', '${industries.values[0]}'), (2, 'Bolt', 'US', '${industries.values[0]}')`,
    ...caseRow(10, "C-10"),
    ...caseRow(11, "C-11"),
    "insert into case_right_holders (case_id, right_holder_id) values (10, 1), (11, 2)",
    "update cases set notes = 'seen' where id = 10", // no column the aggregates read: not logged
    "update cases set value_fen = 999 where id = 11",
    "update case_right_holders set right_holder_id = 2 where case_id = 10",
    "update case_right_holders set case_id = 11, right_holder_id = 1 where case_id = 10",
    "delete from case_right_holders where case_id = 11 and right_holder_id = 1",
    `update cases set deleted_at = 1700000001000, hearing_held = ${yes} where id = 10`,
    "delete from cases where id = 11",
    // a paused log logs nothing
    "insert into app_meta (key, value) values ('case_changes', 'paused')",
    ...caseRow(12, "C-12"),
    "delete from app_meta where key = 'case_changes'",
  ];

  it("logs inserts, updates and deletes of cases and links as SQLite's triggers do", async () => {
    const s = sqlite.db.$client;
    for (const statement of script("1")) s.prepare(statement).run();
    const expected = s.prepare("select case_id from case_changes order by seq").pluck().all() as number[];
    expect(expected.length).toBeGreaterThan(8);
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      for (const statement of script("true")) await client.query(statement);
      const { rows } = await client.query<{ case_id: number }>("select case_id from case_changes order by seq");
      // and, on PostgreSQL only, each statement that writes reference data logs one row with case
      // id -1: the change counter of every server (db/postgres/change-counter.ts); SQLite's
      // counter is PRAGMA data_version
      expect(rows.map((r) => r.case_id)).toEqual([-1, -1, ...expected]);
    } finally {
      await client.end();
    }
  });
});

