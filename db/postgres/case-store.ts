import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { CASE_COLUMN_FIELDS, caseFromRow, caseRowArray } from "../../lib/case-definition";
import type { HolderNames } from "../../lib/redact";
import { DuplicateCaseNoError } from "../case-errors";
import type { Engine } from "../engine";
import type { CaseDocument, CaseStore, LinkedRecordation, StoredCase } from "../writer";
import { withPostgresChangeLogPaused } from "./change-log";
import { searchVectors } from "./search-index";
import { CASE_PARTY_INDEX_SQL, groupParties, type PartyIndexEntry } from "../search-document";
import { CASE_PARTIES_SQL, partyFieldValues, partyParams, sealedPartiesOf, UPSERT_PARTY, type PartyRow } from "../parties";

// PostgreSQL's case store for the one writer (db/writer.ts, which holds the rules). New
// cases, their links, their search documents (cases_search) and audit rows are gathered and
// sent with COPY, a chunk at a time, on the transaction's own connection; anything that
// reads sends what is gathered first, so the batch reads its own writes. New cases take
// their ids from the table's identity sequence, a block at a time.
//
// A bulk load into an empty table (the seed) goes further, inside its one transaction: the
// indexes of cases, links and search documents that back no constraint are dropped and built
// again at the end (one pass each; see DEFERRED_METHODS), and as a superuser the per-row triggers (the
// foreign keys' checks, the change log's) are skipped — every foreign key of the written rows
// is then checked at once before the commit, and the change log gets its one "everything
// changed" row (db/postgres/change-log.ts) as from any bulk load.

/** The transaction's own connection (drizzle's node-postgres session client). */
export function pgClientOf(tx: Engine): pg.ClientBase {
  if (tx.dialect !== "postgres" || !tx.inTransaction) throw new Error("The PostgreSQL case store works inside a transaction.");
  const client = (tx.db as unknown as { session?: { client?: pg.ClientBase } }).session?.client;
  if (!client) throw new Error("The PostgreSQL transaction has no connection of its own.");
  return client;
}

type Value = string | number | boolean | null;
type Row = Value[];

const COPY_SPECIAL = /[\\\n\r\t]/;

/** A value in COPY's text format. */
function copyText(value: Value): string {
  if (value === null) return "\\N";
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "t" : "f";
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
}

/** Writes `rows` into `table` with one COPY. */
export async function copyRows(client: pg.ClientBase, table: string, columns: readonly string[], rows: Row[]): Promise<void> {
  if (!rows.length) return;
  const chunk = 2_000;
  function* lines() {
    for (let i = 0; i < rows.length; i += chunk) {
      let text = "";
      for (const row of rows.slice(i, i + chunk)) text += row.map(copyText).join("\t") + "\n";
      yield text;
    }
  }
  await pipeline(Readable.from(lines()), client.query(copyFrom(`copy ${table} (${columns.map((c) => `"${c}"`).join(", ")}) from stdin`)));
}

const CASE_COLUMNS = ["id", ...CASE_COLUMN_FIELDS.map((f) => f.column), "created_at", "created_by", "updated_at", "updated_by", "version"];
const FLAG = CASE_COLUMN_FIELDS.map((f) => f.kind === "flag");
const SELECT = CASE_COLUMN_FIELDS.map((f) => `${f.column} as "${f.key}"`).join(", ");
const SET_COLUMNS = CASE_COLUMN_FIELDS.map((f) => f.column).join(", ");
const SET_VALUES = CASE_COLUMN_FIELDS.map((_, i) => `$${i + 1}`).join(", ");

/** The definition's values with flags as booleans. */
function caseValues(values: Parameters<typeof caseRowArray>[0]): Value[] {
  return caseRowArray(values).map((v, i) => (FLAG[i] ? v === 1 : v));
}

/** A refusal of the unique index on case numbers as DuplicateCaseNoError, naming the number the database names (else `caseNo`). */
function duplicateOf(error: unknown, caseNo: string | null): unknown {
  if (error instanceof DuplicateCaseNoError) return error;
  const e = error as { code?: string; constraint?: string; detail?: string };
  if (e?.code === "23505" && e.constraint === "cases_case_no_unique") {
    const named = /\(case_no\)=\((.*)\) already exists/.exec(e.detail ?? "")?.[1];
    const number = named ?? caseNo;
    if (number !== null) return new DuplicateCaseNoError(number);
  }
  return error;
}

/** How many rows a chunk gathers before it is sent. */
const CHUNK = 10_000;

export function postgresCaseStore(tx: Engine, options: { bulk: boolean; partyKey?: Buffer | null }): CaseStore {
  const client = pgClientOf(tx);
  const q = async <T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> => (await client.query(text, values)).rows as T[];

  let cases: Row[] = [];
  let links: Row[] = [];
  let recordationLinks: Row[] = [];
  let partyLinks: Row[] = [];
  let search: Row[] = [];
  let audit: Row[] = [];
  let explicitMax = 0;
  const ids: number[] = [];
  let block = 1;

  const nextId = async (): Promise<number> => {
    if (!ids.length) {
      const rows = await q<{ id: number }>("select nextval(pg_get_serial_sequence('cases', 'id')) as id from generate_series(1, $1)", [block]);
      ids.push(...rows.map((r) => Number(r.id)));
      block = Math.min(block * 2, 1_024);
    }
    return ids.shift()!;
  };

  // In a bulk load a chunk's COPY runs while the next chunk is made (the server parses and
  // indexes one chunk while this process generates the next); otherwise each send is awaited.
  let sending: Promise<void> = Promise.resolve();
  const flush = async () => {
    const batch = { cases, links, recordationLinks, partyLinks, search, audit, explicitMax };
    cases = [];
    links = [];
    recordationLinks = [];
    partyLinks = [];
    search = [];
    audit = [];
    explicitMax = 0;
    // one COPY in flight at most: the next chunk waits for it (memory stays at two chunks)
    await sending;
    sending = (async () => {
      try {
        await send(batch);
      } catch (error) {
        // a second case number among the gathered rows: the database names it
        throw duplicateOf(error, null);
      }
    })();
    sending.catch(() => {}); // awaited below or by the next read or flush
    if (!options.bulk) await sending;
  };
  /** Everything gathered sent, and every send finished. */
  const settle = async () => {
    if (gathered()) await flush();
    await sending;
  };
  const send = async (b: { cases: Row[]; links: Row[]; recordationLinks: Row[]; partyLinks: Row[]; search: Row[]; audit: Row[]; explicitMax: number }) => {
    if (b.cases.length) await copyRows(client, "cases", CASE_COLUMNS, b.cases);
    if (b.links.length) await copyRows(client, "case_right_holders", ["case_id", "right_holder_id"], b.links);
    if (b.recordationLinks.length) await copyRows(client, "case_recordations", ["case_id", "recordation_id"], b.recordationLinks);
    if (b.partyLinks.length) await copyRows(client, "case_parties", ["case_id", "role", "party_id"], b.partyLinks);
    if (b.search.length) await copyRows(client, "cases_search", ["case_id", "doc", "redacted_doc"], b.search);
    if (b.audit.length) await copyRows(client, "audit_log", ["at", "user_id", "action", "entity", "entity_id", "before", "after"], b.audit);
    if (b.explicitMax > 0) {
      // ids the caller chose (the seed): the sequence moves past them
      await client.query("select setval(pg_get_serial_sequence('cases', 'id'), greatest($1::bigint, (select last_value from cases_id_seq)))", [b.explicitMax]);
    }
  };
  const gathered = () => cases.length + links.length + recordationLinks.length + partyLinks.length + search.length + audit.length > 0;
  // the parties (db/parties.ts): each upserted at once by its match key (a bulk load remembers
  // the ids it met), the links gathered with the cases
  const partyIds = new Map<string, { id: number; name: string }>();
  const partyKey = options.partyKey ?? null;
  const partiesOf = async (caseId: number, values: Parameters<CaseStore["insert"]>[1], at: number): Promise<Row[]> => {
    const sealed = sealedPartiesOf(values, partyKey ?? missingKey());
    const rows: Row[] = [];
    const renamed: number[] = [];
    for (const { role, party } of sealed) {
      const known = options.bulk ? partyIds.get(party.matchKey) : undefined;
      let partyId = known?.id;
      if (known === undefined || known.name !== party.name) {
        // a party met before under another name takes this case's (UPSERT_PARTY): the documents
        // of its other cases hold the old name, and are written again below
        const [row] = await q<{ id: number; was: string | null }>(
          `with was as (select id, name from parties where match_key = $8) ${UPSERT_PARTY.replace("returning id", "returning id, (select name from was) as was")}`,
          partyParams(party, at),
        );
        partyId = Number(row!.id);
        if (row!.was !== null && row!.was !== party.name) renamed.push(partyId);
        if (options.bulk) partyIds.set(party.matchKey, { id: partyId, name: party.name });
      }
      rows.push([caseId, role, partyId!]);
    }
    if (renamed.length) {
      await settle();
      const others = await q<{ id: number }>("select distinct case_id as id from case_parties where party_id = any($1::int[]) and case_id <> $2", [renamed, caseId]);
      await reindexCases(client, others.map((r) => Number(r.id)));
    }
    return rows;
  };
  /** reads see the batch's own writes */
  const read = settle;
  const maybeFlush = async () => {
    if (cases.length >= CHUNK || search.length >= CHUNK || audit.length >= CHUNK) await flush();
  };

  const stored = async (id: number): Promise<StoredCase | undefined> => {
    await read();
    const [row] = await q(`select ${SELECT}, version, updated_by as "updatedBy", updated_at as "updatedAt", deleted_at as "deletedAt" from cases where id = $1`, [id]);
    if (!row) return undefined;
    const holderIds = (await q<{ id: number }>("select right_holder_id as id from case_right_holders where case_id = $1 order by right_holder_id", [id])).map((r) => r.id);
    const recordationIds = (await q<{ id: number }>("select recordation_id as id from case_recordations where case_id = $1 order by recordation_id", [id])).map((r) => r.id);
    Object.assign(row, partyFieldValues(await q<PartyRow>(CASE_PARTIES_SQL, [id]), partyKey));
    return {
      ...caseFromRow(row, holderIds, recordationIds),
      version: row.version as number, updatedBy: row.updatedBy as string | null, updatedAt: Number(row.updatedAt), deletedAt: row.deletedAt === null ? null : Number(row.deletedAt),
    };
  };
  const exists = async (text: string, values: unknown[]) => {
    await read();
    return (await q(text, values)).length > 0;
  };
  const upsertSearch = (rows: Row[]) =>
    q(`insert into cases_search (case_id, doc, redacted_doc)
       select * from unnest($1::int[], $2::tsvector[], $3::tsvector[])
       on conflict (case_id) do update set doc = excluded.doc, redacted_doc = excluded.redacted_doc`,
      [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])]);
  const vectorsOf = (doc: CaseDocument): Row => {
    const v = searchVectors(doc);
    return [doc.caseId, v.doc, v.redactedDoc];
  };

  return {
    stored,
    async holder(id) {
      const [row] = await q<HolderNames>(`select name, name_zh as "nameZh" from right_holders where id = $1`, [id]);
      return row;
    },
    anyCase: () => exists("select 1 from cases limit 1", []),
    caseNoTaken: (caseNo, exceptId) => exists("select 1 from cases where case_no = $1 and id <> $2", [caseNo, exceptId]),
    officeExists: (id) => exists("select 1 from customs_offices where id = $1", [id]),
    campaignExists: (id) => exists("select 1 from campaigns where id = $1", [id]),
    async unknownHolders(holderIds) {
      const rows = await q<{ id: number }>(
        "select j.id from unnest($1::int[]) as j(id) where not exists (select 1 from right_holders h where h.id = j.id) order by j.id",
        [holderIds],
      );
      return rows.map((r) => r.id);
    },
    async recordations(recordationIds) {
      await read();
      return q<LinkedRecordation>(
        `select r.id, r.number, r.holder_id as "holderId", r.valid_from as "validFrom", r.valid_to as "validTo", r.status
         from recordations r where r.id = any($1::bigint[]) order by r.id`,
        [recordationIds],
      );
    },
    async insert(id, values, createdAt, userId) {
      let caseId: number;
      if (id === null) caseId = await nextId();
      else {
        caseId = id;
        if (id > explicitMax) explicitMax = id;
      }
      cases.push([caseId, ...caseValues(values), createdAt, userId, createdAt, userId, 1]);
      for (const holderId of values.rightHolderIds) links.push([caseId, holderId]);
      for (const recordationId of values.recordationIds) recordationLinks.push([caseId, recordationId]);
      // read first: partiesOf may send what is gathered (a renamed party), which starts new lists
      const partyRows = await partiesOf(caseId, values, createdAt);
      partyLinks.push(...partyRows);
      await maybeFlush();
      return caseId;
    },
    async update(id, expectedVersion, values, now, userId) {
      await read();
      const n = CASE_COLUMN_FIELDS.length;
      const result = await client.query(
        `update cases set (${SET_COLUMNS}, updated_at, updated_by, version) = (${SET_VALUES}, $${n + 1}, $${n + 2}, version + 1)
         where id = $${n + 3} and version = $${n + 4} and deleted_at is null`,
        [...caseValues(values), now, userId, id, expectedVersion],
      );
      if (result.rowCount !== 1) return result.rowCount ?? 0;
      await q("delete from case_right_holders where case_id = $1", [id]);
      await q("insert into case_right_holders (case_id, right_holder_id) select $1, h from unnest($2::int[]) as h", [id, values.rightHolderIds]);
      await q("delete from case_recordations where case_id = $1", [id]);
      await q("insert into case_recordations (case_id, recordation_id) select $1, r from unnest($2::int[]) as r", [id, values.recordationIds]);
      await q("delete from case_parties where case_id = $1", [id]);
      for (const row of await partiesOf(id, values, now)) await q("insert into case_parties (case_id, role, party_id) values ($1, $2, $3)", row);
      return 1;
    },
    async setDeleted(id, version, deletedAt, now, userId) {
      await read();
      const result = await client.query(
        "update cases set deleted_at = $1, updated_at = $2, updated_by = $3, version = version + 1 where id = $4 and version = $5",
        [deletedAt, now, userId, id, version],
      );
      return result.rowCount ?? 0;
    },
    async index(doc, fresh) {
      if (fresh) {
        search.push(vectorsOf(doc));
        await maybeFlush();
      } else {
        await read();
        await upsertSearch([vectorsOf(doc)]);
      }
    },
    async unindex(caseId) {
      await read();
      await q("delete from cases_search where case_id = $1", [caseId]);
    },
    async audit(a) {
      audit.push([a.at, a.userId, a.action, a.entity, a.entityId, JSON.stringify(a.before), JSON.stringify(a.after)]);
      await maybeFlush();
    },
    async moveHolderLinks(from, to) {
      await read();
      const affected = (await q<{ id: number }>("select case_id as id from case_right_holders where right_holder_id = $1", [from])).map((r) => r.id);
      await q(`insert into case_right_holders (case_id, right_holder_id)
        select case_id, $2 from case_right_holders where right_holder_id = $1 on conflict do nothing`, [from, to]);
      await q("delete from case_right_holders where right_holder_id = $1", [from]);
      return reindexCases(client, affected);
    },
    async bulk(emptyAtStart, work) {
      if (!emptyAtStart || !options.bulk) return withPostgresChangeLogPaused(tx, work);
      return withPostgresChangeLogPaused(tx, () => bulkLoad(client, work));
    },
    flush: settle,
    asDuplicate: (error, caseNo) => duplicateOf(error, caseNo),
  };
}

/** Writes the search documents of these cases again, the live ones (their right holders' or parties' names changed); returns how many. */
export async function reindexCases(client: pg.ClientBase, caseIds: number[]): Promise<number> {
  let written = 0;
  for (let i = 0; i < caseIds.length; i += 5_000) {
    const chunk = caseIds.slice(i, i + 5_000);
    const { rows } = await client.query<{ id: number; caseNo: string; goods: string }>(
      `select id, case_no as "caseNo", goods_description as goods from cases where id = any($1::int[]) and deleted_at is null`, [chunk]);
    if (!rows.length) continue;
    const names = new Map<number, HolderNames[]>();
    const { rows: linked } = await client.query<{ caseId: number; name: string; nameZh: string | null }>(
      `select l.case_id as "caseId", h.name, h.name_zh as "nameZh" from case_right_holders l join right_holders h on h.id = l.right_holder_id
       where l.case_id = any($1::int[]) order by l.case_id, h.id`, [rows.map((r) => r.id)]);
    for (const l of linked) {
      const list = names.get(l.caseId);
      if (list) list.push({ name: l.name, nameZh: l.nameZh });
      else names.set(l.caseId, [{ name: l.name, nameZh: l.nameZh }]);
    }
    const { rows: partyRows } = await client.query<PartyIndexEntry & { caseId: number }>(`${CASE_PARTY_INDEX_SQL} where cp.case_id = any($1::int[])`, [rows.map((r) => r.id)]);
    const parties = groupParties(partyRows);
    const vectors = rows.map((r) => {
      const v = searchVectors({ caseId: r.id, caseNo: r.caseNo, goods: r.goods, holders: names.get(r.id) ?? [], parties: parties.get(r.id) ?? [] });
      return [r.id, v.doc, v.redactedDoc] as const;
    });
    await client.query(
      `insert into cases_search (case_id, doc, redacted_doc)
       select * from unnest($1::int[], $2::tsvector[], $3::tsvector[])
       on conflict (case_id) do update set doc = excluded.doc, redacted_doc = excluded.redacted_doc`,
      [vectors.map((v) => v[0]), vectors.map((v) => v[1]), vectors.map((v) => v[2])],
    );
    written += rows.length;
  }
  return written;
}

/**
 * The live cases naming right holder `holderId`: their search documents written again (its
 * names changed) when `reindex`, else only counted. Inside the caller's transaction.
 */
export async function postgresHolderCases(tx: Engine, holderId: number, reindex: boolean): Promise<number> {
  const client = pgClientOf(tx);
  const { rows } = await client.query<{ id: number }>(
    "select l.case_id as id from case_right_holders l join cases c on c.id = l.case_id where l.right_holder_id = $1 and c.deleted_at is null", [holderId]);
  return reindex ? reindexCases(client, rows.map((r) => r.id)) : rows.length;
}

const BULK_TABLES = ["cases", "case_right_holders", "case_recordations", "case_parties", "cases_search"];

function missingKey(): never {
  throw new Error("The case store writes parties with the party key (db/parties.ts partyKey).");
}
/**
 * The indexes a load into empty tables builds after its rows (those that back no constraint):
 * one sorted pass each instead of a million inserts into each. Keeping the B-trees of cases
 * and filling them row by row measured slower (a million-case seed still copying cases after
 * 5 minutes where the whole seed took under 3 with them built after, on the same busy machine).
 */
const DEFERRED_METHODS = ["btree", "gin"];

/** A load into empty tables (see the top of this file). */
async function bulkLoad<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  const { rows: indexes } = await client.query<{ name: string; definition: string }>(`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i join pg_class t on t.oid = i.indrelid
    join pg_class x on x.oid = i.indexrelid join pg_am a on a.oid = x.relam
    where t.relnamespace = 'public'::regnamespace and t.relname = any($1::text[]) and a.amname = any($2::text[])
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`, [BULK_TABLES, DEFERRED_METHODS]);
  for (const r of indexes) await client.query(`drop index ${r.name}`);
  const { rows: role } = await client.query<{ rolsuper: boolean }>("select rolsuper from pg_roles where rolname = current_user");
  const superuser = role[0]?.rolsuper === true;
  if (superuser) await client.query("set local session_replication_role = replica");
  await client.query("set local maintenance_work_mem = '256MB'");
  const result = await work();
  if (superuser) {
    await client.query("set local session_replication_role = origin");
    await checkReferences(client);
  }
  for (const r of indexes) await client.query(r.definition);
  for (const table of BULK_TABLES) await client.query(`analyze ${table}`);
  return result;
}

/** Every foreign key of the loaded tables, checked over all their rows in one query each (the load skipped the per-row checks). */
async function checkReferences(client: pg.ClientBase): Promise<void> {
  const { rows: keys } = await client.query<{ child: string; column: string; parent: string; key: string }>(`
    select c.conrelid::regclass::text as child, a.attname as column, c.confrelid::regclass::text as parent, pa.attname as key
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    join pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = c.confkey[1]
    where c.contype = 'f' and c.connamespace = 'public'::regnamespace and array_length(c.conkey, 1) = 1
      and c.conrelid::regclass::text = any($1::text[])`, [BULK_TABLES]);
  for (const k of keys) {
    const { rows } = await client.query<{ n: number }>(
      `select count(*) as n from ${k.child} x where x."${k.column}" is not null and not exists (select 1 from ${k.parent} p where p."${k.key}" = x."${k.column}")`,
    );
    if (Number(rows[0]!.n) > 0) throw new Error(`The load wrote ${rows[0]!.n} rows of ${k.child} whose ${k.column} names no row of ${k.parent}: nothing was written.`);
  }
}
