import type Database from "better-sqlite3";
import { CASE_COLUMN_FIELDS, CASE_INPUT_KEYS, caseFromRow, caseRowArray, withBlanks, type CaseInput, type CaseValues } from "../lib/case-definition";
import { writeAudit } from "./audit";
import { withChangeLogPaused } from "./sqlite/change-log";
import { holderIndexName, searchIndexWriter } from "./sqlite/search-index";
import { jsonValues, withCaseIndexesDeferred, writeTransaction } from "./sqlite/engine";

// THE writer of cases. Every change to cases goes through writeCases — create, edit, delete,
// restore (the admin's forms, db/mutations/cases.ts), the import (db/import.ts), the merge of
// right holders (db/mutations/reference.ts) and the demo seed (seed/run.ts) — as a batch (a
// single edit is a batch of one), in ONE synchronous IMMEDIATE transaction: the cases, their
// right-holder links, the search indexes (cases_fts, cases_redacted_fts) and the audit rows
// are written together, or nothing is (any error rolls the whole batch back).
//
// Derived figures: the aggregate store (db/aggregate) of every connection learns of the
// batch from the change log `case_changes`, which triggers on cases and their links fill
// (migration 0011), so by default the writer has nothing of its own to write for them. With
// `derived: "rebuild"` (the seed, a large import) the log is paused for the batch and one
// "everything changed" row is appended at its end (db/sqlite/change-log.ts): every store loads again
// once instead of reading one log row per case and link; and when `cases` held no row at the
// start (the seed), its secondary indexes are dropped during the batch and built again after
// it (one sort per index; on a full table that would sort every existing row again). The
// search indexes are written row by row in both modes (a new case's documents are added
// without a delete first: case ids are never reused), which measured faster than rebuilding
// them at the end of a seed.
//
// The columns written and read are those of the case definition (lib/case-definition.ts).

export type { CaseInput };

/** One write of a batch. */
export type CaseWrite =
  /** a new case; `id` and `createdAt` only for the seed, which assigns them */
  | { op: "create"; input: CaseInput; id?: number; createdAt?: number }
  /** an edit of a live case made against `expectedVersion` */
  | { op: "update"; id: number; expectedVersion: number; input: CaseInput }
  /** a soft delete; refused when the case changed since `expectedVersion` (when given) */
  | { op: "delete"; id: number; expectedVersion?: number }
  | { op: "restore"; id: number }
  /** every case naming right holder `fromHolderId` names `toHolderId` instead (once, when it named both) */
  | { op: "moveHolderLinks"; fromHolderId: number; toHolderId: number };

export type WriteOptions = {
  userId: string | null;
  /** the audit action of creates and edits ("import" for the import); false: no audit rows (the demo seed) */
  audit?: "import" | false;
  /** "delta" (default): the change log names each case written; "rebuild": the log is paused and every store loads again (a bulk load) */
  derived?: "delta" | "rebuild";
  /** the caller checked numbers and references under this same write lock (the import, the seed) */
  validated?: boolean;
};

export type WriteResult = { id: number; version: number };
export type BatchResult = { cases: WriteResult[]; relinked: number };

// ---- errors ---------------------------------------------------------------------------------

export class CaseNotFoundError extends Error {
  override name = "CaseNotFoundError";
}

/** The write was made against an older version; `current` names who changed the case and when. */
export class VersionConflictError extends Error {
  override name = "VersionConflictError";
  constructor(readonly current: { version: number; updatedBy: string | null; updatedAt: number }) {
    super(`The case was changed by ${current.updatedBy ?? "another user"} at ${new Date(current.updatedAt).toISOString()} (now version ${current.version}); nothing was saved.`);
  }
}

/** Another case, live or deleted, already has this case number. */
export class DuplicateCaseNoError extends Error {
  override name = "DuplicateCaseNoError";
  constructor(readonly caseNo: string) {
    super(`Another case already has the number ${caseNo}.`);
  }
}

export type ReferenceField = "officeId" | "rightHolderIds" | "campaignId";

/**
 * The input names an office, right holder or campaign that does not exist, or no right holder
 * at all (field 'rightHolderIds', value []). For right holders `value` lists the unknown ids.
 */
export class UnknownReferenceError extends Error {
  override name = "UnknownReferenceError";
  constructor(readonly field: ReferenceField, readonly value: number | number[]) {
    super(
      field === "rightHolderIds" && Array.isArray(value) && value.length === 0
        ? "A case names at least one right holder."
        : `Unknown ${field === "officeId" ? "customs office" : field === "campaignId" ? "campaign" : "right holder"}: ${Array.isArray(value) ? value.join(", ") : value}.`,
    );
  }
}

// ---- statements, from the case definition ----------------------------------------------------

const COLUMNS = CASE_COLUMN_FIELDS.map((f) => f.column).join(", ");
// positional parameters, the definition's columns in order (binding by name measured slower in the seed)
const VALUES = CASE_COLUMN_FIELDS.map(() => "?").join(", ");
const SELECT = CASE_COLUMN_FIELDS.map((f) => (f.column === f.key ? f.column : `${f.column} as ${f.key}`)).join(", ");

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<Database.Database, Statements>();

function prepare(sqlite: Database.Database) {
  return {
    stored: sqlite.prepare(`select ${SELECT}, version, updated_by as updatedBy, updated_at as updatedAt, deleted_at as deletedAt from cases where id = ?`),
    holderIds: sqlite.prepare("select right_holder_id from case_right_holders where case_id = ? order by right_holder_id").pluck(),
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
    setDeleted: sqlite.prepare("update cases set deleted_at = @deletedAt, updated_at = @now, updated_by = @userId, version = version + 1 where id = @id"),
    insertLink: sqlite.prepare("insert into case_right_holders (case_id, right_holder_id) values (?, ?)"),
    deleteLinks: sqlite.prepare("delete from case_right_holders where case_id = ?"),
  };
}

const searchWriters = new WeakMap<Database.Database, ReturnType<typeof searchIndexWriter>>();
function searchWriterOf(sqlite: Database.Database): ReturnType<typeof searchIndexWriter> {
  let w = searchWriters.get(sqlite);
  if (!w) searchWriters.set(sqlite, (w = searchIndexWriter(sqlite)));
  return w;
}

function statementsOf(sqlite: Database.Database): Statements {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  return s;
}

/** A case as stored: its values, version, who changed it last and when, and whether it is deleted. */
export type StoredCase = CaseValues & { version: number; updatedBy: string | null; updatedAt: number; deletedAt: number | null };

/** Every field of a case (deleted or not) with its right holders, or undefined. */
export function loadStoredCase(sqlite: Database.Database, id: number): StoredCase | undefined {
  const st = statementsOf(sqlite);
  const row = st.stored.get(id) as Record<string, unknown> | undefined;
  if (!row) return undefined;
  return {
    ...caseFromRow(row, st.holderIds.all(id) as number[]),
    version: row.version as number, updatedBy: row.updatedBy as string | null, updatedAt: row.updatedAt as number, deletedAt: row.deletedAt as number | null,
  };
}

// ---- the batch ------------------------------------------------------------------------------

/** The input with its blanks filled and its right holders listed once each, in id order (how links and audit entries hold them). */
function normalized(input: CaseInput): CaseValues {
  const values = withBlanks(input); // a copy
  const ids = input.rightHolderIds;
  let ordered = true;
  for (let i = 1; i < ids.length; i++) if (ids[i]! <= ids[i - 1]!) ordered = false;
  values.rightHolderIds = ordered ? [...ids] : [...new Set(ids)].sort((a, b) => a - b);
  return values;
}

/** The UNIQUE index on the case number, should another row of the batch or connection have taken it. */
function asDuplicate(error: unknown, caseNo: string): unknown {
  if (error instanceof Error && (error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE" && /cases_case_no_unique|cases\.case_no/.test(error.message)) {
    return new DuplicateCaseNoError(caseNo);
  }
  return error;
}

/** The fields that differ between the stored case and the new values (audit entries hold only those). */
function changes(was: CaseValues, now: CaseValues): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const field of CASE_INPUT_KEYS) {
    const a = was[field];
    const b = now[field];
    const same = Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b;
    if (!same) {
      before[field] = a;
      after[field] = b;
    }
  }
  return { before, after };
}

/**
 * Writes a batch of changes to cases, all or nothing (see the top of this file). Throws
 * CaseNotFoundError, VersionConflictError, DuplicateCaseNoError or UnknownReferenceError for
 * the first write that cannot be made, having written nothing of the batch.
 */
export function writeCases(sqlite: Database.Database, writes: Iterable<CaseWrite>, options: WriteOptions): BatchResult {
  return writeTransaction(sqlite, (): BatchResult => {
    const rebuild = options.derived === "rebuild";
    const result: BatchResult = { cases: [], relinked: 0 };
    const st = statementsOf(sqlite);
    const search = searchWriterOf(sqlite);
    const { userId } = options;
    const now = Date.now();

    // reference data met by this batch, looked up once each
    type Holder = { name: string; nameZh: string | null; indexName: string };
    const holders = new Map<number, Holder>();
    const holderOf = (id: number): Holder => {
      let h = holders.get(id);
      if (!h) {
        const row = st.holder.get(id) as Omit<Holder, "indexName">;
        holders.set(id, (h = { ...row, indexName: holderIndexName(row) }));
      }
      return h;
    };
    const index = (id: number, c: CaseValues, fresh: boolean) => {
      const hs = c.rightHolderIds.map(holderOf);
      const doc = { caseId: id, caseNo: c.caseNo, goods: c.goodsDescription, holderNames: hs.map((h) => h.indexName), holders: hs };
      if (fresh) search.add(doc);
      else search.put(doc);
    };
    const audit = (action: string, entityId: number, before: unknown, after: unknown) => {
      if (options.audit !== false) writeAudit(sqlite, { userId, action, entity: "case", entityId, before, after, at: now });
    };

    const checkInput = (input: CaseValues, caseId: number) => {
      if (options.validated) return;
      if (st.caseNoTaken.get(input.caseNo, caseId) !== undefined) throw new DuplicateCaseNoError(input.caseNo);
      if (st.officeExists.get(input.officeId) === undefined) throw new UnknownReferenceError("officeId", input.officeId);
      if (input.campaignId !== null && st.campaignExists.get(input.campaignId) === undefined) throw new UnknownReferenceError("campaignId", input.campaignId);
      if (input.rightHolderIds.length === 0) throw new UnknownReferenceError("rightHolderIds", []);
      const unknown = st.unknownHolders.all(JSON.stringify(input.rightHolderIds)) as number[];
      if (unknown.length) throw new UnknownReferenceError("rightHolderIds", unknown);
    };
    const live = (id: number): StoredCase => {
      const stored = loadStoredCase(sqlite, id);
      if (!stored || stored.deletedAt !== null) throw new CaseNotFoundError(`No live case with id ${id}.`);
      return stored;
    };
    const checkVersion = (stored: StoredCase, expected: number | undefined) => {
      if (expected !== undefined && stored.version !== expected) {
        throw new VersionConflictError({ version: stored.version, updatedBy: stored.updatedBy, updatedAt: stored.updatedAt });
      }
    };

    const apply = (w: CaseWrite): void => {
      switch (w.op) {
        case "create": {
          const data = normalized(w.input);
          checkInput(data, 0);
          let id: number;
          try {
            id = Number(st.insert.run(w.id ?? null, ...caseRowArray(data), w.createdAt ?? now, userId, w.createdAt ?? now, userId).lastInsertRowid);
          } catch (error) {
            throw asDuplicate(error, data.caseNo);
          }
          for (const holderId of data.rightHolderIds) st.insertLink.run(id, holderId);
          index(id, data, true);
          audit(options.audit || "create", id, null, data);
          result.cases.push({ id, version: 1 });
          return;
        }
        case "update": {
          const data = normalized(w.input);
          const stored = live(w.id);
          checkVersion(stored, w.expectedVersion);
          checkInput(data, w.id);
          const { before, after } = changes(stored, data);
          try {
            const changed = st.update.run(...caseRowArray(data), now, userId, w.id, w.expectedVersion).changes;
            if (changed !== 1) throw new Error(`Case ${w.id} was not updated.`); // cannot happen under the write lock
          } catch (error) {
            throw asDuplicate(error, data.caseNo);
          }
          st.deleteLinks.run(w.id);
          for (const holderId of data.rightHolderIds) st.insertLink.run(w.id, holderId);
          index(w.id, data, false);
          const version = stored.version + 1;
          audit(options.audit || "update", w.id, { ...before, version: stored.version }, { ...after, version });
          result.cases.push({ id: w.id, version });
          return;
        }
        case "delete": {
          const stored = live(w.id);
          checkVersion(stored, w.expectedVersion);
          st.setDeleted.run({ deletedAt: now, now, userId, id: w.id });
          search.remove(w.id);
          audit("delete", w.id, { deletedAt: null, version: stored.version }, { deletedAt: now, version: stored.version + 1 });
          result.cases.push({ id: w.id, version: stored.version + 1 });
          return;
        }
        case "restore": {
          const stored = loadStoredCase(sqlite, w.id);
          if (!stored || stored.deletedAt === null) throw new CaseNotFoundError(`No deleted case with id ${w.id}.`);
          st.setDeleted.run({ deletedAt: null, now, userId, id: w.id });
          index(w.id, stored, false);
          audit("restore", w.id, { deletedAt: stored.deletedAt, version: stored.version }, { deletedAt: null, version: stored.version + 1 });
          result.cases.push({ id: w.id, version: stored.version + 1 });
          return;
        }
        case "moveHolderLinks": {
          // set-based (the change log's triggers name each case whose links move)
          collectAffected(sqlite, "select case_id from case_right_holders where right_holder_id = ?", w.fromHolderId);
          sqlite.prepare(`insert or ignore into case_right_holders (case_id, right_holder_id)
            select case_id, ? from case_right_holders where right_holder_id = ?`).run(w.toHolderId, w.fromHolderId);
          sqlite.prepare("delete from case_right_holders where right_holder_id = ?").run(w.fromHolderId);
          holders.clear();
          result.relinked += reindexAffected(sqlite);
          dropAffected(sqlite);
          return;
        }
      }
    };

    if (rebuild) {
      const empty = st.anyCase.get() === undefined;
      withChangeLogPaused(sqlite, () => {
        if (empty) {
          withCaseIndexesDeferred(sqlite, () => {
            for (const w of writes) apply(w);
          });
        } else {
          for (const w of writes) apply(w);
        }
      });
    } else {
      for (const w of writes) apply(w);
    }
    return result;
  });
}

// ---- the cases of a right holder, for a whole set of cases at once ----------------------------

// A right holder's names are in the search documents of every live case naming it: a merge
// (moveHolderLinks above) or a rename writes those documents again for the whole set at once,
// in set-based SQL (a per-case write would hold the write lock for seconds at national scale).
// CROSS JOIN fixes the join order: the temp table of affected cases has no statistics, and the
// planner would otherwise scan every link instead of looking the few up.

const AFFECTED = "temp.affected_cases";

/** Fills temp.affected_cases with the case ids `caseIdsSql` selects. */
export function collectAffected(sqlite: Database.Database, caseIdsSql: string, ...params: unknown[]): void {
  sqlite.exec(`drop table if exists ${AFFECTED}; create temp table affected_cases (case_id integer primary key)`);
  sqlite.prepare(`insert or ignore into ${AFFECTED} (case_id) ${caseIdsSql}`).run(...params);
}

/** Writes the search documents of the affected live cases again (their right holders' names changed). */
export function reindexAffected(sqlite: Database.Database): number {
  const search = searchIndexWriter(sqlite);
  const names = sqlite
    .prepare(`select h.name || ' ' || coalesce(h.name_zh, '') from case_right_holders l
      join right_holders h on h.id = l.right_holder_id where l.case_id = ? order by h.id`)
    .pluck();
  const rows = sqlite
    .prepare(`select c.id, c.case_no as caseNo, c.goods_description as goods
      from ${AFFECTED} a cross join cases c on c.id = a.case_id where c.deleted_at is null`)
    .all() as { id: number; caseNo: string; goods: string }[];
  for (const row of rows) search.put({ caseId: row.id, caseNo: row.caseNo, goods: row.goods, holderNames: names.all(row.id) as string[] });
  return rows.length;
}

/** Live cases among the affected ones. */
export function countAffected(sqlite: Database.Database): number {
  return sqlite.prepare(`select count(*) from ${AFFECTED} a cross join cases c on c.id = a.case_id where c.deleted_at is null`).pluck().get() as number;
}

export function dropAffected(sqlite: Database.Database): void {
  sqlite.exec(`drop table if exists ${AFFECTED}`);
}
