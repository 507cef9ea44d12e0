import { eq, sql } from "drizzle-orm";
import type { Industry, Role } from "../../lib/enums";
import { checkAccount } from "../auth";
import { writeAudit } from "../audit";
import type { Engine } from "../engine";
import { holderCases, writeCases } from "../writer";

// Writes to the reference data (right holders, customs offices) and to accounts, each in one
// transaction (`e.transaction`) with its audit entry and whatever derived data depends on it:
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
  tx: Engine,
  entry: { userId: string | null; action: string; entity: AuditEntity; entityId: number; before: unknown; after: unknown },
): Promise<void> {
  return writeAudit(tx, entry);
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

async function loadHolder(tx: Engine, id: number): Promise<StoredHolder | undefined> {
  const row = await tx.get<Omit<StoredHolder, "foreignInvested" | "qbpcMember"> & { foreignInvested: number | boolean; qbpcMember: number | boolean }>(
    sql`select id, name, name_zh as "nameZh", country, industry, foreign_invested as "foreignInvested", qbpc_member as "qbpcMember"
      from ${tx.t.rightHolders} where id = ${id}`,
  );
  return row && { ...row, foreignInvested: row.foreignInvested === 1 || row.foreignInvested === true, qbpcMember: row.qbpcMember === 1 || row.qbpcMember === true };
}

/** Names are unique regardless of letter case: "ACME" duplicates "Acme". */
async function checkHolderName(tx: Engine, name: string, exceptId: number): Promise<void> {
  const taken = await tx.get<{ name: string }>(sql`select name from ${tx.t.rightHolders} where lower(name) = lower(${name}) and id <> ${exceptId}`);
  if (taken !== undefined) throw new ReferenceFieldError("name", "taken", { name: taken.name });
}

const holderValues = (input: RightHolderInput) => ({
  name: input.name, nameZh: input.nameZh, country: input.country, industry: input.industry,
  foreignInvested: input.foreignInvested, qbpcMember: input.qbpcMember,
});

export async function createRightHolder(e: Engine, input: RightHolderInput, userId: string | null): Promise<{ id: number }> {
  return e.transaction(async (tx) => {
    await checkHolderName(tx, input.name, 0);
    const { rightHolders } = tx.t;
    const [row] = await tx.db.insert(rightHolders).values(holderValues(input)).returning({ id: rightHolders.id });
    const id = row!.id;
    await audit(tx, { userId, action: "create", entity: "right_holder", entityId: id, before: null, after: input });
    return { id };
  });
}

/**
 * Edits a right holder. A new name re-writes its cases' search documents; a new industry
 * moves its cases in the industry figures (the aggregate store reads industries afresh).
 * Returns how many live cases were touched.
 */
export async function updateRightHolder(e: Engine, id: number, input: RightHolderInput, userId: string | null): Promise<{ changed: boolean; cases: number }> {
  return e.transaction(async (tx) => {
    const stored = await loadHolder(tx, id);
    if (!stored) throw new ReferenceFieldError("_form", "not_found");
    await checkHolderName(tx, input.name, id);
    const { id: _id, ...was } = stored;
    const { before, after } = changedFields(was, input);
    if (!Object.keys(after).length) return { changed: false, cases: 0 };
    const rekey = "industry" in after;
    const rename = "name" in after || "nameZh" in after;
    const { rightHolders } = tx.t;
    await tx.db.update(rightHolders).set(holderValues(input)).where(eq(rightHolders.id, id));
    let cases = 0;
    if (rename || rekey) cases = await holderCases(tx, id, rename);
    await audit(tx, { userId, action: "update", entity: "right_holder", entityId: id, before, after });
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
export async function mergeRightHolders(e: Engine, keepId: number, removeId: number, userId: string | null): Promise<MergeResult> {
  if (keepId === removeId) throw new ReferenceFieldError("removeId", "same_holder");
  return e.transaction(async (tx) => {
    const kept = await loadHolder(tx, keepId);
    if (!kept) throw new ReferenceFieldError("keepId", "unknown", { value: keepId });
    const removed = await loadHolder(tx, removeId);
    if (!removed) throw new ReferenceFieldError("removeId", "unknown", { value: removeId });
    const { caseRightHolders, users, rightHolders } = tx.t;
    const count = async (holderId: number) =>
      (await tx.get<{ n: number }>(sql`select count(*) as n from ${caseRightHolders} where right_holder_id = ${holderId}`))!.n;
    const casesBefore = { kept: await count(keepId), removed: await count(removeId) };

    // the cases, their links, search documents and derived figures: through the one writer
    await writeCases(tx, [{ op: "moveHolderLinks", fromHolderId: removeId, toHolderId: keepId }], { userId });
    const members = (await tx.all<{ email: string }>(sql`select email from ${users} where holder_id = ${removeId} order by email`)).map((r) => r.email);
    await tx.db.update(users).set({ holderId: keepId, updatedAt: new Date() }).where(eq(users.holderId, removeId));
    // its recordations are the kept holder's (the cases resting on them keep their links)
    await tx.run(sql`update ${tx.t.recordations} set holder_id = ${keepId} where holder_id = ${removeId}`);
    await tx.db.delete(rightHolders).where(eq(rightHolders.id, removeId));

    const casesAfter = await count(keepId);
    await audit(tx, {
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

async function loadOffice(tx: Engine, id: number): Promise<StoredOffice | undefined> {
  return tx.get<StoredOffice>(
    sql`select id, code, name_en as "nameEn", name_zh as "nameZh", province, district_id as "districtId" from ${tx.t.customsOffices} where id = ${id}`,
  );
}

/** A subordinate customs belongs to one of the customs districts (never to another subordinate). */
async function checkDistrict(tx: Engine, districtId: number | null, officeId: number): Promise<void> {
  if (districtId === null) throw new ReferenceFieldError("districtId", "required");
  const district = await loadOffice(tx, districtId);
  if (!district || district.districtId !== null || district.id === officeId) throw new ReferenceFieldError("districtId", "unknown", { value: districtId });
}

/** Live and deleted cases detected by an office (each through its own partial index). */
export async function officeCaseCount(e: Engine, officeId: number): Promise<number> {
  const { cases } = e.t;
  const live = await e.get<{ n: number }>(sql`select count(*) as n from ${cases} where office_id = ${officeId} and deleted_at is null`);
  const deleted = await e.get<{ n: number }>(sql`select count(*) as n from ${cases} where deleted_at is not null and office_id = ${officeId}`);
  return live!.n + deleted!.n;
}

/** Creates a subordinate customs under a customs district. */
export async function createOffice(e: Engine, input: OfficeInput, userId: string | null): Promise<{ id: number }> {
  return e.transaction(async (tx) => {
    if (!/^\d{4}$/.test(input.code)) throw new ReferenceFieldError("code", "code_format");
    const { customsOffices } = tx.t;
    const taken = await tx.get<{ nameEn: string }>(sql`select name_en as "nameEn" from ${customsOffices} where code = ${input.code}`);
    if (taken !== undefined) throw new ReferenceFieldError("code", "code_taken", { code: input.code, name: taken.nameEn });
    await checkDistrict(tx, input.districtId, 0);
    const [row] = await tx.db
      .insert(customsOffices)
      .values({ code: input.code, nameEn: input.nameEn, nameZh: input.nameZh, province: input.province, districtId: input.districtId })
      .returning({ id: customsOffices.id });
    const id = row!.id;
    await audit(tx, { userId, action: "create", entity: "customs_office", entityId: id, before: null, after: input });
    return { id };
  });
}

/**
 * Edits an office's names and province, and a subordinate's district. An office with cases
 * (live or deleted) keeps its district, so that no figure already published by district moves;
 * a customs district stays a district.
 */
export async function updateOffice(e: Engine, id: number, input: OfficeEdit, userId: string | null): Promise<{ changed: boolean }> {
  return e.transaction(async (tx) => {
    const stored = await loadOffice(tx, id);
    if (!stored) throw new ReferenceFieldError("_form", "not_found");
    if (stored.districtId === null) {
      if (input.districtId !== null) throw new ReferenceFieldError("districtId", "district_fixed");
    } else if (input.districtId !== stored.districtId) {
      await checkDistrict(tx, input.districtId, id);
      const cases = await officeCaseCount(tx, id);
      if (cases > 0) throw new ReferenceFieldError("districtId", "has_cases", { cases });
    }
    const { id: _id, code: _code, ...was } = stored;
    const { before, after } = changedFields(was, input);
    if (!Object.keys(after).length) return { changed: false };
    const { customsOffices } = tx.t;
    await tx.db
      .update(customsOffices)
      .set({ nameEn: input.nameEn, nameZh: input.nameZh, province: input.province, districtId: input.districtId })
      .where(eq(customsOffices.id, id));
    await audit(tx, { userId, action: "update", entity: "customs_office", entityId: id, before: { code: stored.code, ...before }, after: { code: stored.code, ...after } });
    return { changed: true };
  });
}

// ---- accounts ------------------------------------------------------------------------------

// better-auth's user ids are text; audit_log.entity_id is an integer: an account's entries
// carry a number of the account's — on SQLite its rowid; on PostgreSQL, which has no rowid, a
// 31-bit hash of its id (FNV-1a) — and its id and email in before/after.

type StoredAccount = { id: string; key: number; email: string; name: string; role: Role; holderId: number | null };

/** The account's number in audit_log.entity_id on PostgreSQL: FNV-1a of its id, 31 bits. */
export function accountKeyOf(id: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(id, "utf8")) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash & 0x7fffffff;
}

async function loadAccount(tx: Engine, id: string): Promise<StoredAccount | undefined> {
  const { users } = tx.t;
  const key = tx.dialect === "sqlite" ? sql`rowid` : sql`0`;
  const row = await tx.get<StoredAccount>(
    sql`select id, ${key} as "key", email, name, role, holder_id as "holderId" from ${users} where id = ${id}`,
  );
  return row && (tx.dialect === "sqlite" ? row : { ...row, key: accountKeyOf(row.id) });
}

/** The audit entry of a new account (createAccount in db/auth.ts wrote the account itself), inside its transaction. */
export async function auditAccountCreated(e: Engine, accountId: string, actorId: string | null): Promise<void> {
  await e.transaction(async (tx) => {
    const account = await loadAccount(tx, accountId);
    if (!account) throw new ReferenceFieldError("_form", "not_found");
    const { key, ...after } = account;
    await audit(tx, { userId: actorId, action: "create", entity: "user", entityId: key, before: null, after });
  });
}

/** The audit entry of a password reset (setAccountPassword in db/auth.ts set it); no hash is logged. */
export async function auditPasswordReset(e: Engine, accountId: string, actorId: string | null): Promise<void> {
  await e.transaction(async (tx) => {
    const account = await loadAccount(tx, accountId);
    if (!account) throw new ReferenceFieldError("_form", "not_found");
    await audit(tx, {
      userId: actorId, action: "update", entity: "user", entityId: account.key,
      before: { id: account.id, email: account.email }, after: { id: account.id, email: account.email, password: "reset" },
    });
  });
}

export type AccountEdit = { name: string; role: Role; holderId: number | null };

/** Changes an account's name, role and company. An admin cannot demote themself (someone must stay admin). */
export async function updateAccount(e: Engine, accountId: string, input: AccountEdit, actorId: string): Promise<{ changed: boolean }> {
  return e.transaction(async (tx) => {
    const stored = await loadAccount(tx, accountId);
    if (!stored) throw new ReferenceFieldError("_form", "not_found");
    if (accountId === actorId && stored.role === "admin" && input.role !== "admin") throw new ReferenceFieldError("role", "self_demote");
    const edit = { name: input.name.trim(), role: input.role, holderId: input.role === "member" ? input.holderId : null };
    // db/auth.ts (accounts): the same checks as a new account's
    await checkAccount(tx, { email: stored.email, ...edit }, accountId);
    const { before, after } = changedFields({ name: stored.name, role: stored.role, holderId: stored.holderId }, edit);
    if (!Object.keys(after).length) return { changed: false };
    const { users } = tx.t;
    await tx.db.update(users).set({ ...edit, updatedAt: new Date() }).where(eq(users.id, accountId));
    const who = { id: stored.id, email: stored.email };
    await audit(tx, { userId: actorId, action: "update", entity: "user", entityId: stored.key, before: { ...who, ...before }, after: { ...who, ...after } });
    return { changed: true };
  });
}

/** Deletes an account with its sessions and password; an admin cannot delete themself. */
export async function deleteAccount(e: Engine, accountId: string, actorId: string): Promise<{ email: string }> {
  if (accountId === actorId) throw new ReferenceFieldError("_form", "self_delete");
  return e.transaction(async (tx) => {
    const stored = await loadAccount(tx, accountId);
    if (!stored) throw new ReferenceFieldError("_form", "not_found");
    // sessions and the password (account rows) go with it: ON DELETE CASCADE
    const { users } = tx.t;
    await tx.db.delete(users).where(eq(users.id, accountId));
    const { key, ...before } = stored;
    await audit(tx, { userId: actorId, action: "delete", entity: "user", entityId: key, before, after: null });
    return { email: stored.email };
  });
}

/** The audit entry of an invitation sent again (db/invitations.ts), inside its transaction: the old link stopped working. */
export async function auditInvitationResent(tx: Engine, accountId: string, actorId: string | null, expiresAt: number): Promise<void> {
  const account = await loadAccount(tx, accountId);
  if (!account) throw new ReferenceFieldError("_form", "not_found");
  await audit(tx, {
    userId: actorId, action: "update", entity: "user", entityId: account.key,
    before: { id: account.id, email: account.email }, after: { id: account.id, email: account.email, invitation: "resent", expiresAt: new Date(expiresAt).toISOString() },
  });
}
