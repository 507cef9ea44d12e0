import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { HolderNames } from "../../lib/redact";
import { ConfigError } from "../../lib/env";
import { COPY_TABLES, figuresOf, IDENTITY_COLUMNS, PAUSE_KEY, PER_DISTRICT_SQL, PER_YEAR_SQL, SEARCH_TABLE, TOTALS_SQL, type CopyTable, type Figures, type Row } from "../copy-plan";
import { migratePostgres, POSTGRES_MIGRATIONS, redactUrl } from "./open";
import { searchVectors } from "./search-index";
import { CASE_PARTY_INDEX_SQL, groupParties, type PartyIndexEntry } from "../search-document";

// PostgreSQL's side of `npm run db:copy` (db/copy.ts): rows read through a cursor in batches,
// in SQLite's forms (booleans 0/1, JSON as its text, bigints as numbers); or written with COPY
// into an empty, migrated database in one transaction, the search table built from the
// copied cases, the id sequences moved past the copied ids.

const quoted = (name: string) => `"${name}"`;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new ConfigError(`Cannot connect to the PostgreSQL database ${redactUrl(url)}: ${(error as Error).message.replace(/\.$/, "")}.`);
  }
  return client;
}

export async function postgresFigures(client: pg.Client): Promise<Figures> {
  const rows: Record<string, number> = {};
  for (const t of COPY_TABLES) rows[t.name] = Number((await client.query(`select count(*) as n from ${quoted(t.name)}`)).rows[0].n);
  rows[SEARCH_TABLE] = Number((await client.query("select count(*) as n from cases_search")).rows[0].n);
  return figuresOf(rows, (await client.query(TOTALS_SQL)).rows[0], (await client.query(PER_YEAR_SQL)).rows, (await client.query(PER_DISTRICT_SQL)).rows);
}

export class PostgresCopySource {
  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<PostgresCopySource> {
    const client = await connect(url);
    const journal = JSON.parse(fs.readFileSync(path.join(POSTGRES_MIGRATIONS, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    const { rows } = await client.query("select case when to_regclass('drizzle.__drizzle_migrations') is null then 0 else (select count(*) from drizzle.__drizzle_migrations) end as n");
    if (Number(rows[0].n) < journal.entries.length) {
      await client.end();
      throw new ConfigError(`The source ${redactUrl(url)} has ${rows[0].n} of the ${journal.entries.length} migrations: db:copy reads only a migrated database.`);
    }
    // one snapshot: every table and figure from the same moment, while the app may write
    await client.query("begin isolation level repeatable read read only");
    return new PostgresCopySource(client);
  }

  async *batches(table: CopyTable, size: number): AsyncGenerator<Row[]> {
    const columns = table.columns
      .map((c) => (c.kind === "boolean" ? `${quoted(c.name)}::int` : c.kind === "json" ? `${quoted(c.name)}::text` : quoted(c.name)))
      .join(", ");
    await this.client.query(`declare copy_rows no scroll cursor for select ${columns} from ${quoted(table.name)} order by ${table.order}`);
    try {
      for (;;) {
        const result = await this.client.query({ text: `fetch ${size} from copy_rows`, rowMode: "array" });
        if (!result.rows.length) break;
        yield result.rows as Row[];
      }
    } finally {
      await this.client.query("close copy_rows");
    }
  }

  figures(): Promise<Figures> {
    return postgresFigures(this.client);
  }

  async close(): Promise<void> {
    await this.client.query("rollback").catch(() => {});
    await this.client.end();
  }
}

/** A value in COPY's text format. */
function copyText(value: string | number | Uint8Array | null): string {
  if (value === null) return "\\N";
  if (typeof value === "number") return String(value);
  // bytea in its hex form, the backslash doubled as COPY's text format escapes it
  if (value instanceof Uint8Array) return `\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`;
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
}

export class PostgresCopyTarget {
  private constructor(
    private readonly client: pg.Client,
    private readonly url: string,
  ) {}

  /** Migrates the database (under the migration lock) and refuses one that holds data, with one sentence. */
  static async open(url: string): Promise<PostgresCopyTarget> {
    await migratePostgres(url);
    const client = await connect(url);
    for (const t of [...COPY_TABLES.map((t) => t.name), "cases_search"]) {
      if ((await client.query(`select 1 from ${quoted(t)} limit 1`)).rowCount) {
        await client.end();
        throw new ConfigError(`The target ${redactUrl(url)} is not empty (its table ${t} holds rows): db:copy copies only into an empty database.`);
      }
    }
    return new PostgresCopyTarget(client, url);
  }

  private skippedChecks = false;
  private deferredIndexes: string[] = [];

  /** `rowChecks`: keep the per-row triggers and foreign-key checks even as a superuser. */
  async begin(options: { rowChecks?: boolean } = {}): Promise<void> {
    await this.client.query("begin");
    // As a superuser, the copy writes without firing triggers row by row (the change log's and
    // the foreign keys' checks: most of the time of a million cases); the references are then
    // checked all at once before the commit (checkReferences).
    const { rows } = await this.client.query<{ rolsuper: boolean }>("select rolsuper from pg_roles where rolname = current_user");
    if (rows[0]?.rolsuper && !options.rowChecks) {
      await this.client.query("set local session_replication_role = replica");
      this.skippedChecks = true;
    }
    // The indexes that back no constraint are built after the rows are in, in one sorted pass
    // each, instead of a million inserts into each (the same definitions, read back here).
    const indexes = await this.client.query<{ name: string; definition: string }>(`
      select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
      from pg_index i join pg_class t on t.oid = i.indrelid
      where t.relnamespace = 'public'::regnamespace
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`);
    this.deferredIndexes = indexes.rows.map((r) => r.definition);
    for (const r of indexes.rows) await this.client.query(`drop index ${r.name}`);
    await this.client.query("set local maintenance_work_mem = '256MB'");
    // the triggers log nothing while the copy writes cases and links (migration change_log)
    await this.client.query("insert into app_meta (key, value) values ($1, 'paused')", [PAUSE_KEY]);
  }

  /** Writes every batch of `table` with one COPY. */
  async copy(table: CopyTable, batches: AsyncIterable<Row[]>): Promise<number> {
    let count = 0;
    async function* lines() {
      for await (const batch of batches) {
        count += batch.length;
        yield batch.map((row) => row.map(copyText).join("\t")).join("\n") + "\n";
      }
    }
    const columns = table.columns.map((c) => quoted(c.name)).join(", ");
    await pipeline(Readable.from(lines()), this.client.query(copyFrom(`copy ${quoted(table.name)} (${columns}) from stdin`)));
    return count;
  }

  /** The search table, written from the copied live cases, their right holders and parties (db/postgres/search-index.ts). */
  async rebuildSearch(batchSize: number): Promise<void> {
    const holders = new Map<number, HolderNames>();
    for (const h of (await this.client.query<{ id: number; name: string; name_zh: string | null }>("select id, name, name_zh from right_holders")).rows) {
      holders.set(h.id, { name: h.name, nameZh: h.name_zh });
    }
    const links = new Map<number, HolderNames[]>();
    for (const l of (await this.client.query({ text: "select case_id, right_holder_id from case_right_holders order by case_id, right_holder_id", rowMode: "array" })).rows as [number, number][]) {
      const list = links.get(l[0]) ?? [];
      list.push(holders.get(l[1])!);
      links.set(l[0], list);
    }
    const { rows: partyRows } = await this.client.query<PartyIndexEntry & { caseId: number }>(CASE_PARTY_INDEX_SQL);
    const parties = groupParties(partyRows);
    const table: CopyTable = { name: "cases_search", order: "case_id", columns: [{ name: "case_id", kind: "integer" }, { name: "doc", kind: "text" }, { name: "redacted_doc", kind: "text" }] };
    // a batch read through a cursor, then written with a COPY of its own: one connection
    // cannot read while a COPY waits for its data (the rows are visible to this transaction only)
    await this.client.query("declare search_rows no scroll cursor for select id, case_no, goods_description from cases where deleted_at is null order by id");
    for (;;) {
      const result = await this.client.query({ text: `fetch ${batchSize} from search_rows`, rowMode: "array" });
      if (!result.rows.length) break;
      const batch = (result.rows as [number, string, string][]).map(([caseId, caseNo, goods]): Row => {
        const v = searchVectors({ caseId, caseNo, goods, holders: links.get(caseId) ?? [], parties: parties.get(caseId) ?? [] });
        return [caseId, v.doc, v.redactedDoc];
      });
      await this.copy(table, (async function* () {
        yield batch;
      })());
    }
    await this.client.query("close search_rows");
  }

  /** Every foreign key of the schema, checked over the copied rows in one query each (when begin skipped the per-row checks). */
  async checkReferences(): Promise<void> {
    if (!this.skippedChecks) return;
    const { rows: keys } = await this.client.query<{ child: string; column: string; parent: string; key: string }>(`
      select c.conrelid::regclass::text as child, a.attname as column, c.confrelid::regclass::text as parent, pa.attname as key
      from pg_constraint c
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      join pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = c.confkey[1]
      where c.contype = 'f' and c.connamespace = 'public'::regnamespace and array_length(c.conkey, 1) = 1`);
    for (const k of keys) {
      const { rows } = await this.client.query(
        `select count(*) as n from ${k.child} x where x.${quoted(k.column)} is not null and not exists (select 1 from ${k.parent} p where p.${quoted(k.key)} = x.${quoted(k.column)})`,
      );
      if (Number(rows[0].n) > 0) throw new ConfigError(`The source's ${k.child}.${k.column} names ${rows[0].n} rows of ${k.parent} that do not exist: nothing was copied.`);
    }
  }

  /** Moves the id sequences past the copied ids, lifts the pause and commits. */
  async commit(): Promise<void> {
    for (const definition of this.deferredIndexes) await this.client.query(definition);
    await this.checkReferences();
    for (const [table, column] of IDENTITY_COLUMNS) {
      await this.client.query(
        `select setval(pg_get_serial_sequence('${quoted(table)}', '${column}'), coalesce((select max(${quoted(column)}) from ${quoted(table)}), 0) + 1, false)`,
      );
    }
    await this.client.query("delete from app_meta where key = $1", [PAUSE_KEY]);
    await this.client.query("commit");
    await this.client.query("analyze");
  }

  async rollback(): Promise<void> {
    await this.client.query("rollback").catch(() => {});
  }

  figures(): Promise<Figures> {
    return postgresFigures(this.client);
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  toString(): string {
    return redactUrl(this.url);
  }
}
