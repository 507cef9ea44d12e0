import type Database from "better-sqlite3";
import type { CaseInput } from "../../lib/case-schema";
import { applyRollupDelta, type RollupKeyed } from "../rollup";
import { searchIndexWriter } from "../search-index";

// Writes to a case, each in one synchronous transaction with its audit entry and the
// derived tables (case_rollup, cases_fts), so that none can be seen half-done.

type LiveCase = RollupKeyed & { id: number; caseNo: string; goodsDescription: string; deletedAt: number | null; version: number };

function loadCase(sqlite: Database.Database, id: number): LiveCase | undefined {
  const row = sqlite
    .prepare(`select id, case_no as caseNo, seized_on as seizedOn, office_id as officeId, infringement_type as infringementType,
                     goods_category as goodsCategory, goods_description as goodsDescription, pieces, value_fen as valueFen,
                     direction, channel, transport, protection_mode as protectionMode, status, campaign_id as campaignId,
                     disposal, deleted_at as deletedAt, version
              from cases where id = ?`)
    .get(id) as Omit<LiveCase, "holderIds"> | undefined;
  if (!row) return undefined;
  const holderIds = (sqlite.prepare("select right_holder_id as id from case_right_holders where case_id = ? order by right_holder_id").all(id) as { id: number }[]).map((r) => r.id);
  return { ...row, holderIds };
}

function holderNames(sqlite: Database.Database, caseId: number): string[] {
  return (sqlite
    .prepare(`select h.name || ' ' || coalesce(h.name_zh, '') as n from case_right_holders l join right_holders h on h.id = l.right_holder_id
              where l.case_id = ? order by h.id`)
    .all(caseId) as { n: string }[]).map((r) => r.n);
}

function audit(sqlite: Database.Database, entry: { userId: string | null; action: string; entityId: number; before: unknown; after: unknown }) {
  sqlite
    .prepare("insert into audit_log (at, user_id, action, entity, entity_id, before, after) values (?, ?, ?, 'case', ?, ?, ?)")
    .run(Date.now(), entry.userId, entry.action, entry.entityId, JSON.stringify(entry.before), JSON.stringify(entry.after));
}

export class CaseNotFoundError extends Error {
  override name = "CaseNotFoundError";
}

/**
 * Soft-deletes a live case: it leaves every count, total, search and list, and can be restored.
 * Immediate: a transaction that reads before it writes would otherwise fail at once with
 * SQLITE_BUSY when another process writes, instead of waiting out the busy timeout.
 */
export function softDeleteCase(sqlite: Database.Database, id: number, userId: string | null): void {
  sqlite.transaction(() => {
    const before = loadCase(sqlite, id);
    if (!before || before.deletedAt !== null) throw new CaseNotFoundError(`No live case with id ${id}.`);
    const now = Date.now();
    sqlite.prepare("update cases set deleted_at = ?, updated_at = ?, updated_by = ?, version = version + 1 where id = ?").run(now, now, userId, id);
    applyRollupDelta(sqlite, before, -1);
    searchIndexWriter(sqlite).remove(id);
    audit(sqlite, { userId, action: "delete", entityId: id, before: { deletedAt: null, version: before.version }, after: { deletedAt: now, version: before.version + 1 } });
  }).immediate();
}

/** Brings a soft-deleted case back, with its history. */
export function restoreCase(sqlite: Database.Database, id: number, userId: string | null): void {
  sqlite.transaction(() => {
    const before = loadCase(sqlite, id);
    if (!before || before.deletedAt === null) throw new CaseNotFoundError(`No deleted case with id ${id}.`);
    const now = Date.now();
    sqlite.prepare("update cases set deleted_at = null, updated_at = ?, updated_by = ?, version = version + 1 where id = ?").run(now, userId, id);
    applyRollupDelta(sqlite, before, 1);
    searchIndexWriter(sqlite).put({ caseId: id, caseNo: before.caseNo, goods: before.goodsDescription, holderNames: holderNames(sqlite, id) });
    audit(sqlite, { userId, action: "restore", entityId: id, before: { deletedAt: before.deletedAt, version: before.version }, after: { deletedAt: null, version: before.version + 1 } });
  }).immediate();
}

// ---- create and edit -------------------------------------------------------------------

/** One case as the admin form enters it (already validated by the action's zod schema). */

export type { CaseInput };

/** A live case as the edit form loads it: its values and the version the edit is made against. */
export type CaseForEdit = CaseInput & { version: number; updatedBy: string | null; updatedAt: number };

/** The edit was made against an older version; `current` names who changed the case and when. */
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

/** The fields of CaseInput, in the form's order (audit entries list them in this order). */
const INPUT_FIELDS = [
  "caseNo", "officeId", "seizedOn", "infringementType", "goodsCategory", "goodsDescription", "pieces", "valueFen",
  "direction", "channel", "transport", "protectionMode", "originCountry", "destinationCountry", "campaignId", "status",
  "disposal", "hearingHeld", "referredToPolice", "penaltyFen", "notes", "rightHolderIds",
] as const satisfies readonly (keyof CaseInput)[];

type WriteStatements = {
  full: Database.Statement;
  holderIds: Database.Statement;
  holderNames: Database.Statement;
  caseNoTaken: Database.Statement;
  officeExists: Database.Statement;
  campaignExists: Database.Statement;
  unknownHolders: Database.Statement;
  insert: Database.Statement;
  update: Database.Statement;
  insertLink: Database.Statement;
  deleteLinks: Database.Statement;
};
const writeStatements = new WeakMap<Database.Database, WriteStatements>();

/** The statements of the write path, prepared once per connection. */
function statementsOf(sqlite: Database.Database): WriteStatements {
  let s = writeStatements.get(sqlite);
  if (s) return s;
  const columns = `case_no, office_id, seized_on, infringement_type, goods_category, goods_description, pieces, value_fen,
    direction, channel, transport, protection_mode, origin_country, destination_country, campaign_id, status, disposal,
    hearing_held, referred_to_police, penalty_fen, notes`;
  const values = `@caseNo, @officeId, @seizedOn, @infringementType, @goodsCategory, @goodsDescription, @pieces, @valueFen,
    @direction, @channel, @transport, @protectionMode, @originCountry, @destinationCountry, @campaignId, @status, @disposal,
    @hearingHeld, @referredToPolice, @penaltyFen, @notes`;
  s = {
    full: sqlite.prepare(`select case_no as caseNo, office_id as officeId, seized_on as seizedOn, infringement_type as infringementType,
        goods_category as goodsCategory, goods_description as goodsDescription, pieces, value_fen as valueFen, direction, channel,
        transport, protection_mode as protectionMode, origin_country as originCountry, destination_country as destinationCountry,
        campaign_id as campaignId, status, disposal, hearing_held as hearingHeld, referred_to_police as referredToPolice,
        penalty_fen as penaltyFen, notes, version, updated_by as updatedBy, updated_at as updatedAt, deleted_at as deletedAt
      from cases where id = ?`),
    holderIds: sqlite.prepare("select right_holder_id as id from case_right_holders where case_id = ? order by right_holder_id").pluck(),
    holderNames: sqlite.prepare(`select h.name || ' ' || coalesce(h.name_zh, '') from case_right_holders l
      join right_holders h on h.id = l.right_holder_id where l.case_id = ? order by h.id`).pluck(),
    caseNoTaken: sqlite.prepare("select id from cases where case_no = ? and id <> ?").pluck(),
    officeExists: sqlite.prepare("select 1 from customs_offices where id = ?").pluck(),
    campaignExists: sqlite.prepare("select 1 from campaigns where id = ?").pluck(),
    // ids of a JSON array without a right holder, each looked up by primary key
    unknownHolders: sqlite.prepare(`select j.value from json_each(?) j
      where not exists (select 1 from right_holders h where h.id = j.value) order by j.value`).pluck(),
    insert: sqlite.prepare(`insert into cases (${columns}, created_at, created_by, updated_at, updated_by, version)
      values (${values}, @now, @userId, @now, @userId, 1)`),
    update: sqlite.prepare(`update cases set (${columns}, updated_at, updated_by, version) =
      (${values}, @now, @userId, version + 1) where id = @id and version = @expectedVersion and deleted_at is null`),
    insertLink: sqlite.prepare("insert into case_right_holders (case_id, right_holder_id) values (?, ?)"),
    deleteLinks: sqlite.prepare("delete from case_right_holders where case_id = ?"),
  };
  writeStatements.set(sqlite, s);
  return s;
}

type StoredCase = CaseForEdit & { deletedAt: number | null };

/** Every field of a case (deleted or not) with its right holders, or undefined. */
function loadStored(sqlite: Database.Database, id: number): StoredCase | undefined {
  const st = statementsOf(sqlite);
  const row = st.full.get(id) as (Omit<StoredCase, "hearingHeld" | "referredToPolice" | "rightHolderIds"> & { hearingHeld: number; referredToPolice: number }) | undefined;
  if (!row) return undefined;
  return { ...row, hearingHeld: row.hearingHeld === 1, referredToPolice: row.referredToPolice === 1, rightHolderIds: st.holderIds.all(id) as number[] };
}

/** The input with its right holders listed once each, in id order (how links and audit entries hold them). */
function normalized(input: CaseInput): CaseInput {
  return { ...input, rightHolderIds: [...new Set(input.rightHolderIds)].sort((a, b) => a - b) };
}

/** Refuses a duplicate case number or a reference to nothing, before anything is written. */
function checkInput(sqlite: Database.Database, input: CaseInput, caseId: number): void {
  const st = statementsOf(sqlite);
  if (st.caseNoTaken.get(input.caseNo, caseId) !== undefined) throw new DuplicateCaseNoError(input.caseNo);
  if (st.officeExists.get(input.officeId) === undefined) throw new UnknownReferenceError("officeId", input.officeId);
  if (input.campaignId !== null && st.campaignExists.get(input.campaignId) === undefined) {
    throw new UnknownReferenceError("campaignId", input.campaignId);
  }
  if (input.rightHolderIds.length === 0) throw new UnknownReferenceError("rightHolderIds", []);
  const unknown = st.unknownHolders.all(JSON.stringify(input.rightHolderIds)) as number[];
  if (unknown.length) throw new UnknownReferenceError("rightHolderIds", unknown);
}

function rowParams(input: CaseInput, userId: string | null, now: number) {
  const { rightHolderIds: _ids, ...fields } = input;
  return { ...fields, hearingHeld: input.hearingHeld ? 1 : 0, referredToPolice: input.referredToPolice ? 1 : 0, now, userId };
}

/** The UNIQUE index on the case number, should another connection have taken it meanwhile. */
function asDuplicate(error: unknown, caseNo: string): unknown {
  if (error instanceof Error && (error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE" && /cases_case_no_unique|cases\.case_no/.test(error.message)) {
    return new DuplicateCaseNoError(caseNo);
  }
  return error;
}

function writeLinksAndIndex(sqlite: Database.Database, id: number, input: CaseInput): void {
  const st = statementsOf(sqlite);
  for (const holderId of input.rightHolderIds) st.insertLink.run(id, holderId);
  searchIndexWriter(sqlite).put({ caseId: id, caseNo: input.caseNo, goods: input.goodsDescription, holderNames: st.holderNames.all(id) as string[] });
}

const keyed = (c: CaseInput): RollupKeyed => ({ ...c, holderIds: c.rightHolderIds });

/**
 * Creates a case with its right holders, rollup and cube cells, search document and audit
 * entry, in one transaction. Throws DuplicateCaseNoError or UnknownReferenceError, having
 * written nothing.
 */
export function createCase(sqlite: Database.Database, input: CaseInput, userId: string | null): { id: number; version: number } {
  const data = normalized(input);
  // IMMEDIATE: the checks run under the write lock, so no other connection can write in between
  return sqlite.transaction(() => {
    checkInput(sqlite, data, 0);
    const now = Date.now();
    let id: number;
    try {
      id = Number(statementsOf(sqlite).insert.run(rowParams(data, userId, now)).lastInsertRowid);
    } catch (error) {
      throw asDuplicate(error, data.caseNo);
    }
    writeLinksAndIndex(sqlite, id, data);
    applyRollupDelta(sqlite, keyed(data), 1);
    audit(sqlite, { userId, action: "create", entityId: id, before: null, after: data });
    return { id, version: 1 };
  }).immediate();
}

/**
 * Edits a live case made against `expectedVersion`. Refuses with VersionConflictError when
 * the case has changed since (naming who and when), CaseNotFoundError when it does not exist
 * or is deleted, DuplicateCaseNoError or UnknownReferenceError for bad input; in each case
 * nothing is written. The audit entry holds only the fields that changed, and the version.
 */
export function updateCase(sqlite: Database.Database, id: number, expectedVersion: number, input: CaseInput, userId: string | null): { version: number } {
  const data = normalized(input);
  return sqlite.transaction(() => {
    const stored = loadStored(sqlite, id);
    if (!stored || stored.deletedAt !== null) throw new CaseNotFoundError(`No live case with id ${id}.`);
    if (stored.version !== expectedVersion) {
      throw new VersionConflictError({ version: stored.version, updatedBy: stored.updatedBy, updatedAt: stored.updatedAt });
    }
    checkInput(sqlite, data, id);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const field of INPUT_FIELDS) {
      const was = stored[field];
      const now = data[field];
      const same = Array.isArray(was) && Array.isArray(now) ? was.length === now.length && was.every((v, i) => v === now[i]) : was === now;
      if (!same) {
        before[field] = was;
        after[field] = now;
      }
    }
    const version = stored.version + 1;
    applyRollupDelta(sqlite, keyed(stored), -1);
    const st = statementsOf(sqlite);
    try {
      const changes = st.update.run({ ...rowParams(data, userId, Date.now()), id, expectedVersion }).changes;
      if (changes !== 1) throw new Error(`Case ${id} was not updated.`); // cannot happen under the write lock
    } catch (error) {
      throw asDuplicate(error, data.caseNo);
    }
    st.deleteLinks.run(id);
    writeLinksAndIndex(sqlite, id, data);
    applyRollupDelta(sqlite, keyed(data), 1);
    audit(sqlite, { userId, action: "update", entityId: id, before: { ...before, version: stored.version }, after: { ...after, version } });
    return { version };
  }).immediate();
}

/** A live case's values for the edit form, with the version to send back; null when missing or deleted. */
export function getCaseForEdit(sqlite: Database.Database, id: number): CaseForEdit | null {
  const stored = loadStored(sqlite, id);
  if (!stored || stored.deletedAt !== null) return null;
  const { deletedAt: _d, ...values } = stored;
  return values;
}
