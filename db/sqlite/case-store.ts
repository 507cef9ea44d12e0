import { CASE_COLUMN_FIELDS, caseFromRow, caseRowArray } from "../../lib/case-definition";
import type { HolderNames } from "../../lib/redact";
import { DuplicateCaseNoError } from "../case-errors";
import { sqliteConnectionOf, type Engine } from "../engine";
import type { CaseStore, LinkedRecordation, StoredCase } from "../writer";
import { withSqliteChangeLogPaused } from "./change-log";
import { jsonValues, withCaseIndexesDeferred } from "./engine";
import type { Connection } from "./open";
import { CASE_PARTIES_SQL, partyFieldValues, partyParams, sealedPartiesOf, UPSERT_PARTY, type PartyRow } from "../parties";
import { holderIndexName, searchIndexWriter } from "./search-index";
import { CASE_PARTY_INDEX_SQL, type PartyIndexEntry } from "../search-document";

// SQLite's case store for the one writer (db/writer.ts, which holds the rules): prepared
// statements, cached per connection, run synchronously inside the writer's transaction
// (db/engine.ts holds the connection for it), so a seed of 100,000 cases runs as fast as
// it did before the engine interface.

const COLUMNS = CASE_COLUMN_FIELDS.map((f) => f.column).join(", ");
// positional parameters, the definition's columns in order (binding by name measured slower in the seed)
const VALUES = CASE_COLUMN_FIELDS.map(() => "?").join(", ");
const SELECT = CASE_COLUMN_FIELDS.map((f) => (f.column === f.key ? f.column : `${f.column} as ${f.key}`)).join(", ");

function prepare(sqlite: Connection) {
  return {
    stored: sqlite.prepare(`select ${SELECT}, version, updated_by as updatedBy, updated_at as updatedAt, deleted_at as deletedAt from cases where id = ?`),
    holderIds: sqlite.prepare("select right_holder_id from case_right_holders where case_id = ? order by right_holder_id").pluck(),
    recordationIds: sqlite.prepare("select recordation_id from case_recordations where case_id = ? order by recordation_id").pluck(),
    recordations: sqlite.prepare(`select r.id, r.number, r.holder_id as holderId, r.valid_from as validFrom, r.valid_to as validTo, r.status
      from ${jsonValues("j")} join recordations r on r.id = j.value order by r.id`),
    insertRecordationLink: sqlite.prepare("insert into case_recordations (case_id, recordation_id) values (?, ?)"),
    deleteRecordationLinks: sqlite.prepare("delete from case_recordations where case_id = ?"),
    holder: sqlite.prepare("select name, name_zh as nameZh from right_holders where id = ?"),
    anyCase: sqlite.prepare("select 1 from cases limit 1").pluck(),
    caseNoTaken: sqlite.prepare("select id from cases where case_no = ? and id <> ?").pluck(),
    officeExists: sqlite.prepare("select 1 from customs_offices where id = ?").pluck(),
    campaignExists: sqlite.prepare("select 1 from campaigns where id = ?").pluck(),
    // ids of a JSON array without a right holder, each looked up by primary key
    unknownHolders: sqlite.prepare(`select j.value from ${jsonValues("j")}
      where not exists (select 1 from right_holders h where h.id = j.value) order by j.value`).pluck(),
    insert: sqlite.prepare(`insert into cases (id, ${COLUMNS}, created_at, created_by, updated_at, updated_by, version)
      values (?, ${VALUES}, ?, ?, ?, ?, 1)`),
    update: sqlite.prepare(`update cases set (${COLUMNS}, updated_at, updated_by, version) =
      (${VALUES}, ?, ?, version + 1) where id = ? and version = ? and deleted_at is null`),
    setDeleted: sqlite.prepare("update cases set deleted_at = @deletedAt, updated_at = @now, updated_by = @userId, version = version + 1 where id = @id and version = @version"),
    insertLink: sqlite.prepare("insert into case_right_holders (case_id, right_holder_id) values (?, ?)"),
    deleteLinks: sqlite.prepare("delete from case_right_holders where case_id = ?"),
    // the case's parties (db/parties.ts): a party upserted by its match key, then linked by role
    upsertParty: sqlite.prepare(UPSERT_PARTY.replace(/\$\d+/g, "?")).pluck(),
    partyRows: sqlite.prepare(CASE_PARTIES_SQL.replace(/\$\d+/g, "?")),
    partyByKey: sqlite.prepare("select id, name from parties where match_key = ?"),
    insertPartyLink: sqlite.prepare("insert into case_parties (case_id, role, party_id) values (?, ?, ?)"),
    deletePartyLinks: sqlite.prepare("delete from case_parties where case_id = ?"),
    audit: sqlite.prepare("insert into audit_log (at, user_id, action, entity, entity_id, before, after) values (?, ?, ?, ?, ?, ?, ?)"),
  };
}

type Statements = ReturnType<typeof prepare> & { search: ReturnType<typeof searchIndexWriter> };
const cache = new WeakMap<Connection, Statements>();

function statementsOf(sqlite: Connection): Statements {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = { ...prepare(sqlite), search: searchIndexWriter(sqlite) }));
  return s;
}

function connectionOf(e: Engine): Connection {
  const sqlite = sqliteConnectionOf(e);
  if (!sqlite) throw new Error("Not a SQLite engine.");
  return sqlite;
}

export function sqliteCaseStore(e: Engine, partyKey: Buffer | null = null): CaseStore {
  const sqlite = connectionOf(e);
  const st = statementsOf(sqlite);
  /** the name each party of this batch was last written under, by match key */
  const written = new Map<string, string>();
  const linkParties = (caseId: number, values: Parameters<CaseStore["insert"]>[1], at: number) => {
    const sealed = sealedPartiesOf(values, keyOf());
    const renamed: number[] = [];
    for (const { role, party } of sealed) {
      // a party met before under another name takes this case's (UPSERT_PARTY): the documents
      // of its other cases hold the old name, and are written again below (a party this batch
      // already wrote under the same name is not looked up again: the seed repeats many)
      if (written.get(party.matchKey) !== party.name) {
        const was = st.partyByKey.get(party.matchKey) as { id: number; name: string } | undefined;
        if (was && was.name !== party.name) renamed.push(was.id);
        if (written.size >= 100_000) written.clear();
        written.set(party.matchKey, party.name);
      }
      st.insertPartyLink.run(caseId, role, st.upsertParty.get(...partyParams(party, at)) as number);
    }
    for (const partyId of renamed) {
      collectAffected(sqlite, "select case_id from case_parties where party_id = ? and case_id <> ?", partyId, caseId);
      try {
        reindexAffected(sqlite);
      } finally {
        dropAffected(sqlite);
      }
    }
  };
  const keyOf = (): Buffer => {
    if (!partyKey) throw new Error("The case store writes parties with the party key (db/parties.ts partyKey).");
    return partyKey;
  };
  const stored = (id: number): StoredCase | undefined => {
    const row = st.stored.get(id) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    Object.assign(row, partyFieldValues(st.partyRows.all(id) as PartyRow[], partyKey));
    return {
      ...caseFromRow(row, st.holderIds.all(id) as number[], st.recordationIds.all(id) as number[]),
      version: row.version as number, updatedBy: row.updatedBy as string | null, updatedAt: row.updatedAt as number, deletedAt: row.deletedAt as number | null,
    };
  };
  return {
    stored,
    holder: (id) => st.holder.get(id) as HolderNames | undefined,
    anyCase: () => st.anyCase.get() !== undefined,
    caseNoTaken: (caseNo, exceptId) => st.caseNoTaken.get(caseNo, exceptId) !== undefined,
    officeExists: (id) => st.officeExists.get(id) !== undefined,
    campaignExists: (id) => st.campaignExists.get(id) !== undefined,
    unknownHolders: (ids) => st.unknownHolders.all(JSON.stringify(ids)) as number[],
    recordations: (ids) => st.recordations.all(JSON.stringify(ids)) as LinkedRecordation[],
    insert(id, values, createdAt, userId) {
      const caseId = Number(st.insert.run(id, ...caseRowArray(values), createdAt, userId, createdAt, userId).lastInsertRowid);
      for (const holderId of values.rightHolderIds) st.insertLink.run(caseId, holderId);
      for (const recordationId of values.recordationIds) st.insertRecordationLink.run(caseId, recordationId);
      linkParties(caseId, values, createdAt);
      return caseId;
    },
    update(id, expectedVersion, values, now, userId) {
      const changed = st.update.run(...caseRowArray(values), now, userId, id, expectedVersion).changes;
      if (changed !== 1) return changed;
      st.deleteLinks.run(id);
      for (const holderId of values.rightHolderIds) st.insertLink.run(id, holderId);
      st.deleteRecordationLinks.run(id);
      for (const recordationId of values.recordationIds) st.insertRecordationLink.run(id, recordationId);
      st.deletePartyLinks.run(id);
      linkParties(id, values, now);
      return changed;
    },
    setDeleted: (id, version, deletedAt, now, userId) => st.setDeleted.run({ deletedAt, now, userId, id, version }).changes,
    index(doc, fresh) {
      const search = { caseId: doc.caseId, caseNo: doc.caseNo, goods: doc.goods, holderNames: doc.holders.map(holderIndexName), holders: doc.holders, parties: doc.parties };
      if (fresh) st.search.add(search);
      else st.search.put(search);
    },
    unindex: (caseId) => st.search.remove(caseId),
    audit(a) {
      st.audit.run(a.at, a.userId, a.action, a.entity, a.entityId, JSON.stringify(a.before), JSON.stringify(a.after));
    },
    moveHolderLinks(from, to) {
      collectAffected(sqlite, "select case_id from case_right_holders where right_holder_id = ?", from);
      sqlite.prepare(`insert or ignore into case_right_holders (case_id, right_holder_id)
        select case_id, ? from case_right_holders where right_holder_id = ?`).run(to, from);
      sqlite.prepare("delete from case_right_holders where right_holder_id = ?").run(from);
      const relinked = reindexAffected(sqlite);
      dropAffected(sqlite);
      return relinked;
    },
    bulk(emptyAtStart, work) {
      return withSqliteChangeLogPaused(sqlite, () => (emptyAtStart ? withCaseIndexesDeferred(sqlite, work) : work()));
    },
    flush: async () => {},
    asDuplicate(error, caseNo) {
      if (error instanceof Error && (error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE" && /cases_case_no_unique|cases\.case_no/.test(error.message)) {
        return new DuplicateCaseNoError(caseNo);
      }
      return error;
    },
  };
}

// ---- the cases of a right holder, for a whole set of cases at once ----------------------------

// A right holder's names are in the search documents of every live case naming it: a merge
// (moveHolderLinks above) or a rename writes those documents again for the whole set at once
// (and so does a party's new name, linkParties above),
// in set-based SQL (a per-case write would hold the write lock for seconds at national scale).
// CROSS JOIN fixes the join order: the temp table of affected cases has no statistics, and the
// planner would otherwise scan every link instead of looking the few up.

const AFFECTED = "temp.affected_cases";

/** Fills temp.affected_cases with the case ids `caseIdsSql` selects. */
function collectAffected(sqlite: Connection, caseIdsSql: string, ...params: unknown[]): void {
  sqlite.exec(`drop table if exists ${AFFECTED}; create temp table affected_cases (case_id integer primary key)`);
  sqlite.prepare(`insert or ignore into ${AFFECTED} (case_id) ${caseIdsSql}`).run(...params);
}

/** Writes the search documents of the affected live cases again (their right holders' or parties' names changed). */
function reindexAffected(sqlite: Connection): number {
  const search = statementsOf(sqlite).search;
  const names = sqlite
    .prepare(`select h.name || ' ' || coalesce(h.name_zh, '') from case_right_holders l
      join right_holders h on h.id = l.right_holder_id where l.case_id = ? order by h.id`)
    .pluck();
  const parties = sqlite.prepare(`${CASE_PARTY_INDEX_SQL} where cp.case_id = ?`);
  const rows = sqlite
    .prepare(`select c.id, c.case_no as caseNo, c.goods_description as goods
      from ${AFFECTED} a cross join cases c on c.id = a.case_id where c.deleted_at is null`)
    .all() as { id: number; caseNo: string; goods: string }[];
  for (const row of rows) {
    search.put({ caseId: row.id, caseNo: row.caseNo, goods: row.goods, holderNames: names.all(row.id) as string[], parties: parties.all(row.id) as PartyIndexEntry[] });
  }
  return rows.length;
}

function countAffected(sqlite: Connection): number {
  return sqlite.prepare(`select count(*) from ${AFFECTED} a cross join cases c on c.id = a.case_id where c.deleted_at is null`).pluck().get() as number;
}

function dropAffected(sqlite: Connection): void {
  sqlite.exec(`drop table if exists ${AFFECTED}`);
}

/**
 * The live cases naming right holder `holderId`: their search documents written again (its
 * names changed) when `reindex`, else only counted. Inside the caller's transaction.
 */
export function sqliteHolderCases(e: Engine, holderId: number, reindex: boolean): number {
  const sqlite = connectionOf(e);
  collectAffected(sqlite, "select case_id from case_right_holders where right_holder_id = ?", holderId);
  try {
    return reindex ? reindexAffected(sqlite) : countAffected(sqlite);
  } finally {
    dropAffected(sqlite);
  }
}
