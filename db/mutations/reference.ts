import type Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import type { Industry, Role } from "../../lib/enums";
import { checkAccount } from "../auth";
import type { Db } from "../sqlite/open";
import { writeAudit } from "../audit";
import { users } from "../sqlite/schema";
import { collectAffected, countAffected, dropAffected, reindexAffected, writeCases } from "../writer";
import { writeTransaction } from "../sqlite/engine";

// Writes to the reference data (right holders, customs offices) and to accounts, each in one
// synchronous transaction with its audit entry and whatever derived data depends on it:
// a right holder's name is in its cases' search documents. The aggregate store (db/aggregate)
// reads right holders' industries and offices' districts afresh after any commit, and learns
// of moved links from the change log, so no figure here needs writing.

/** A refusal tied to one field of the form ("_form" for the whole form), as an error code. */
export class ReferenceFieldError extends Error {
  override name = "ReferenceFieldError";
  constructor(
    readonly field: string,
    readonly code: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${field}: ${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ""}`);
  }
}

type AuditEntity = Exclude<import("../audit").AuditEntity, "case">;

function audit(
  sqlite: Database.Database,
  entry: { userId: string | null; action: string; entity: AuditEntity; entityId: number; before: unknown; after: unknown },
): void {
  writeAudit(sqlite, entry);
}

/** The fields that differ between two versions of a record, as before/after halves. */
function changedFields<T extends Record<string, unknown>>(was: T, now: T): { before: Partial<T>; after: Partial<T> } {
  const before: Partial<T> = {};
  const after: Partial<T> = {};
  for (const key of Object.keys(now) as (keyof T)[]) {
    if (was[key] !== now[key]) {
      before[key] = was[key];
      after[key] = now[key];
    }
  }
  return { before, after };
}

// A right holder's names are in its cases' search documents: a rename re-indexes them with
// the writer's set-based helpers (db/writer.ts); a merge moves the links through the writer
// itself.

// ---- right holders -------------------------------------------------------------------------

export type RightHolderInput = {
  name: string;
  nameZh: string | null;
  /** ISO 3166 alpha-2, upper case */
  country: string;
  industry: Industry;
  foreignInvested: boolean;
  qbpcMember: boolean;
};

type StoredHolder = RightHolderInput & { id: number };

function loadHolder(sqlite: Database.Database, id: number): StoredHolder | undefined {
  const row = sqlite
    .prepare(`select id, name, name_zh as nameZh, country, industry, foreign_invested as foreignInvested, qbpc_member as qbpcMember
      from right_holders where id = ?`)
    .get(id) as (Omit<StoredHolder, "foreignInvested" | "qbpcMember"> & { foreignInvested: number; qbpcMember: number }) | undefined;
  return row && { ...row, foreignInvested: row.foreignInvested === 1, qbpcMember: row.qbpcMember === 1 };
}

/** Names are unique regardless of letter case: "ACME" duplicates "Acme". */
function checkHolderName(sqlite: Database.Database, name: string, exceptId: number): void {
  const taken = sqlite.prepare("select name from right_holders where lower(name) = lower(?) and id <> ?").pluck().get(name, exceptId) as string | undefined;
  if (taken !== undefined) throw new ReferenceFieldError("name", "taken", { name: taken });
}

const holderParams = (input: RightHolderInput) => ({ ...input, foreignInvested: input.foreignInvested ? 1 : 0, qbpcMember: input.qbpcMember ? 1 : 0 });

export function createRightHolder(sqlite: Database.Database, input: RightHolderInput, userId: string | null): { id: number } {
  return writeTransaction(sqlite, () => {
    checkHolderName(sqlite, input.name, 0);
    const id = Number(
      sqlite
        .prepare(`insert into right_holders (name, name_zh, country, industry, foreign_invested, qbpc_member)
          values (@name, @nameZh, @country, @industry, @foreignInvested, @qbpcMember)`)
        .run(holderParams(input)).lastInsertRowid,
    );
    audit(sqlite, { userId, action: "create", entity: "right_holder", entityId: id, before: null, after: input });
    return { id };
  });
}

/**
 * Edits a right holder. A new name re-writes its cases' search documents; a new industry
 * moves its cases in the industry figures (the aggregate store reads industries afresh).
 * Returns how many live cases were touched.
 */
export function updateRightHolder(sqlite: Database.Database, id: number, input: RightHolderInput, userId: string | null): { changed: boolean; cases: number } {
  return writeTransaction(sqlite, () => {
    const stored = loadHolder(sqlite, id);
    if (!stored) throw new ReferenceFieldError("_form", "not_found");
    checkHolderName(sqlite, input.name, id);
    const { id: _id, ...was } = stored;
    const { before, after } = changedFields(was, input);
    if (!Object.keys(after).length) return { changed: false, cases: 0 };
    const rekey = "industry" in after;
    const rename = "name" in after || "nameZh" in after;
    if (rekey || rename) collectAffected(sqlite, "select case_id from case_right_holders where right_holder_id = ?", id);
    sqlite
      .prepare(`update right_holders set name = @name, name_zh = @nameZh, country = @country, industry = @industry,
        foreign_invested = @foreignInvested, qbpc_member = @qbpcMember where id = @id`)
      .run({ ...holderParams(input), id });
    let cases = 0;
    if (rename) cases = reindexAffected(sqlite);
    else if (rekey) cases = countAffected(sqlite);
    dropAffected(sqlite);
    audit(sqlite, { userId, action: "update", entity: "right_holder", entityId: id, before, after });
    return { changed: true, cases };
  });
}

export type MergeResult = { keptId: number; removedId: number; cases: number; members: number };

/**
 * Merges a duplicate right holder into the one to keep: every case naming the removed one
 * (live or deleted) names the kept one instead — once, when it named both — members of the
 * removed one belong to the kept one, and the removed one is deleted. Search documents follow
 * (and every aggregate store, through the change log); one audit entry ("merge", on the kept holder) holds
 * the removed holder as it was.
 */
export function mergeRightHolders(sqlite: Database.Database, keepId: number, removeId: number, userId: string | null): MergeResult {
  if (keepId === removeId) throw new ReferenceFieldError("removeId", "same_holder");
  return writeTransaction(sqlite, () => {
    const kept = loadHolder(sqlite, keepId);
    if (!kept) throw new ReferenceFieldError("keepId", "unknown", { value: keepId });
    const removed = loadHolder(sqlite, removeId);
    if (!removed) throw new ReferenceFieldError("removeId", "unknown", { value: removeId });
    const count = sqlite.prepare("select count(*) from case_right_holders where right_holder_id = ?").pluck();
    const casesBefore = { kept: count.get(keepId) as number, removed: count.get(removeId) as number };

    // the cases, their links, search documents and derived figures: through the one writer
    writeCases(sqlite, [{ op: "moveHolderLinks", fromHolderId: removeId, toHolderId: keepId }], { userId });
    const members = sqlite.prepare("select email from user where holder_id = ? order by email").pluck().all(removeId) as string[];
    sqlite.prepare("update user set holder_id = ?, updated_at = ? where holder_id = ?").run(keepId, Date.now(), removeId);
    sqlite.prepare("delete from right_holders where id = ?").run(removeId);

    const casesAfter = count.get(keepId) as number;
    audit(sqlite, {
      userId,
      action: "merge",
      entity: "right_holder",
      entityId: keepId,
      before: { removed, cases: casesBefore },
      after: { kept: { id: kept.id, name: kept.name }, cases: casesAfter, movedCases: casesBefore.removed, movedMembers: members },
    });
    return { keptId: keepId, removedId: removeId, cases: casesAfter, members: members.length };
  });
}

// ---- customs offices -----------------------------------------------------------------------

export type OfficeInput = { code: string; nameEn: string; nameZh: string; province: string; districtId: number };
export type OfficeEdit = { nameEn: string; nameZh: string; province: string; districtId: number | null };

type StoredOffice = { id: number; code: string; nameEn: string; nameZh: string; province: string; districtId: number | null };

function loadOffice(sqlite: Database.Database, id: number): StoredOffice | undefined {
  return sqlite
    .prepare("select id, code, name_en as nameEn, name_zh as nameZh, province, district_id as districtId from customs_offices where id = ?")
    .get(id) as StoredOffice | undefined;
}

/** A subordinate customs belongs to one of the customs districts (never to another subordinate). */
function checkDistrict(sqlite: Database.Database, districtId: number | null, officeId: number): void {
  if (districtId === null) throw new ReferenceFieldError("districtId", "required");
  const district = loadOffice(sqlite, districtId);
  if (!district || district.districtId !== null || district.id === officeId) throw new ReferenceFieldError("districtId", "unknown", { value: districtId });
}

/** Live and deleted cases detected by an office (each through its own partial index). */
export function officeCaseCount(sqlite: Database.Database, officeId: number): number {
  const live = sqlite.prepare("select count(*) from cases where office_id = ? and deleted_at is null").pluck().get(officeId) as number;
  const deleted = sqlite.prepare("select count(*) from cases where deleted_at is not null and office_id = ?").pluck().get(officeId) as number;
  return live + deleted;
}

/** Creates a subordinate customs under a customs district. */
export function createOffice(sqlite: Database.Database, input: OfficeInput, userId: string | null): { id: number } {
  return writeTransaction(sqlite, () => {
    if (!/^\d{4}$/.test(input.code)) throw new ReferenceFieldError("code", "code_format");
    const taken = sqlite.prepare("select name_en from customs_offices where code = ?").pluck().get(input.code) as string | undefined;
    if (taken !== undefined) throw new ReferenceFieldError("code", "code_taken", { code: input.code, name: taken });
    checkDistrict(sqlite, input.districtId, 0);
    const id = Number(
      sqlite
        .prepare("insert into customs_offices (code, name_en, name_zh, province, district_id) values (@code, @nameEn, @nameZh, @province, @districtId)")
        .run(input).lastInsertRowid,
    );
    audit(sqlite, { userId, action: "create", entity: "customs_office", entityId: id, before: null, after: input });
    return { id };
  });
}

/**
 * Edits an office's names and province, and a subordinate's district. An office with cases
 * (live or deleted) keeps its district, so that no figure already published by district moves;
 * a customs district stays a district.
 */
export function updateOffice(sqlite: Database.Database, id: number, input: OfficeEdit, userId: string | null): { changed: boolean } {
  return writeTransaction(sqlite, () => {
    const stored = loadOffice(sqlite, id);
    if (!stored) throw new ReferenceFieldError("_form", "not_found");
    if (stored.districtId === null) {
      if (input.districtId !== null) throw new ReferenceFieldError("districtId", "district_fixed");
    } else if (input.districtId !== stored.districtId) {
      checkDistrict(sqlite, input.districtId, id);
      const cases = officeCaseCount(sqlite, id);
      if (cases > 0) throw new ReferenceFieldError("districtId", "has_cases", { cases });
    }
    const { id: _id, code: _code, ...was } = stored;
    const { before, after } = changedFields(was, input);
    if (!Object.keys(after).length) return { changed: false };
    sqlite
      .prepare("update customs_offices set name_en = @nameEn, name_zh = @nameZh, province = @province, district_id = @districtId where id = @id")
      .run({ ...input, id });
    audit(sqlite, { userId, action: "update", entity: "customs_office", entityId: id, before: { code: stored.code, ...before }, after: { code: stored.code, ...after } });
    return { changed: true };
  });
}

// accounts: db/mutations/accounts.ts
