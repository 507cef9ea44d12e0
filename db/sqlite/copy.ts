import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { ConfigError } from "../../lib/env";
import { COPY_TABLES, figuresOf, PAUSE_KEY, PER_DISTRICT_SQL, PER_YEAR_SQL, SEARCH_TABLE, TOTALS_SQL, type CopyTable, type Figures, type Row } from "../copy-plan";
import { drizzleOf, migrateDb, openSqlite } from "./open";
import { fillSearchIndexes } from "./search-index";

// SQLite's side of `npm run db:copy` (db/copy.ts): rows read in batches as SQLite stores them,
// or written into an empty, migrated file in one transaction, with the search indexes built
// from the copied cases.

const quoted = (name: string) => `"${name}"`;

export class SqliteCopySource {
  constructor(private readonly sqlite: Database.Database) {}

  static open(file: string): SqliteCopySource {
    if (!fs.existsSync(file)) throw new ConfigError(`The SQLite database ${file} does not exist.`);
    const sqlite = openSqlite(file, { readonly: true });
    const journal = JSON.parse(fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), "migrations", "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    const applied = sqlite.prepare("select count(*) from sqlite_master where name = '__drizzle_migrations'").pluck().get()
      ? (sqlite.prepare("select count(*) from __drizzle_migrations").pluck().get() as number)
      : 0;
    if (applied < journal.entries.length) {
      sqlite.close();
      throw new ConfigError(`The source ${file} has ${applied} of the ${journal.entries.length} migrations: migrate it first with DATABASE_URL=file:${file} npm run db:migrate.`);
    }
    // one read transaction: every table and figure from the same moment, while the app may write
    sqlite.exec("begin");
    return new SqliteCopySource(sqlite);
  }

  async *batches(table: CopyTable, size: number): AsyncGenerator<Row[]> {
    const columns = table.columns.map((c) => quoted(c.name)).join(", ");
    const rows = this.sqlite.prepare(`select ${columns} from ${quoted(table.name)} order by ${table.order}`).raw();
    let batch: Row[] = [];
    for (const row of rows.iterate() as Iterable<Row>) {
      batch.push(row);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }

  figures(): Figures {
    return sqliteFigures(this.sqlite);
  }

  close(): void {
    if (this.sqlite.inTransaction) this.sqlite.exec("rollback");
    this.sqlite.close();
  }
}

export function sqliteFigures(sqlite: Database.Database): Figures {
  const rows: Record<string, number> = {};
  for (const t of COPY_TABLES) rows[t.name] = sqlite.prepare(`select count(*) from ${quoted(t.name)}`).pluck().get() as number;
  rows[SEARCH_TABLE] = Math.min(
    sqlite.prepare("select count(*) from cases_fts").pluck().get() as number,
    sqlite.prepare("select count(*) from cases_redacted_fts").pluck().get() as number,
  );
  return figuresOf(rows, sqlite.prepare(TOTALS_SQL).get() as never, sqlite.prepare(PER_YEAR_SQL).all() as never, sqlite.prepare(PER_DISTRICT_SQL).all() as never);
}

/** The key app_meta holds after migrating an empty file (ensureSearchIndexes): not data. */
const MIGRATION_META = "redacted_search_version";

export class SqliteCopyTarget {
  private inserts = new Map<string, Database.Statement>();
  constructor(private readonly sqlite: Database.Database) {}

  /** Opens (creating) the file and migrates it; refuses a file that holds data, with one sentence. */
  static open(file: string): SqliteCopyTarget {
    const db = drizzleOf(openSqlite(file));
    migrateDb(db);
    const target = new SqliteCopyTarget(db.$client);
    const full = COPY_TABLES.find((t) =>
      t.name === "app_meta"
        ? (db.$client.prepare("select count(*) from app_meta where key <> ?").pluck().get(MIGRATION_META) as number) > 0
        : db.$client.prepare(`select 1 from ${quoted(t.name)} limit 1`).get() !== undefined,
    );
    if (full) {
      db.$client.close();
      throw new ConfigError(`The target ${file} is not empty (its table ${full.name} holds rows): db:copy copies only into an empty database.`);
    }
    return target;
  }

  begin(): void {
    this.sqlite.exec("begin immediate");
    // the copy inserts parents before children, but a customs office may name a district of a higher id
    this.sqlite.pragma("defer_foreign_keys = on");
    this.sqlite.prepare("delete from app_meta where key = ?").run(MIGRATION_META);
    this.sqlite.prepare("insert into app_meta (key, value) values (?, 'paused')").run(PAUSE_KEY);
  }

  insert(table: CopyTable, rows: Row[]): void {
    let statement = this.inserts.get(table.name);
    if (!statement) {
      const columns = table.columns.map((c) => quoted(c.name));
      statement = this.sqlite.prepare(`insert into ${quoted(table.name)} (${columns.join(", ")}) values (${columns.map(() => "?").join(", ")})`);
      this.inserts.set(table.name, statement);
    }
    for (const row of rows) statement.run(row);
  }

  /** Both search indexes, written from the copied live cases, their right holders and parties. */
  rebuildSearch(): void {
    fillSearchIndexes(this.sqlite);
  }

  /** Lifts the pause (nothing to tell: no store has read this database yet) and commits. */
  commit(): void {
    this.sqlite.prepare("delete from app_meta where key = ?").run(PAUSE_KEY);
    this.sqlite.exec("commit");
  }

  rollback(): void {
    if (this.sqlite.inTransaction) this.sqlite.exec("rollback");
  }

  figures(): Figures {
    return sqliteFigures(this.sqlite);
  }

  close(): void {
    this.sqlite.close();
  }
}
