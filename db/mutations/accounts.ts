import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { AuditAction, Role } from "../../lib/enums";
import type { AuditEntry } from "../audit";
import { checkAccount } from "../auth";
import { first, type Engine } from "../engine";
import { ReferenceFieldError } from "./reference";

// The admin's writes to accounts (moved here from db/mutations/reference.ts), each in one
// transaction with its audit entry, on either engine. better-auth writes the account itself
// (db/auth.ts createAccount, setAccountPassword); these add what the admin pages record.

// better-auth's user ids are text; audit_log.entity_id is an integer: an account's entries
// carry, on SQLite, its rowid; on PostgreSQL (no rowid), a number made from its id (31 bits of
// its SHA-256, the same for the account's whole life). Its id and email are in before/after.

type StoredAccount = { id: string; entityId: number; email: string; name: string; role: Role; holderId: number | null };

/** The integer an account's audit entries are keyed by on PostgreSQL. */
export function accountEntityId(id: string): number {
  return createHash("sha256").update(id).digest().readUInt32BE(0) & 0x7fffffff;
}

async function loadAccount(e: Engine, id: string): Promise<StoredAccount | undefined> {
  const { users } = e.t;
  const key = e.dialect === "sqlite" ? sql<number>`${users}.rowid` : sql<number>`0`;
  const row = await first(
    e.db.select({ id: users.id, key, email: users.email, name: users.name, role: users.role, holderId: users.holderId }).from(users).where(eq(users.id, id)),
  );
  if (!row) return undefined;
  const { key: rowid, ...account } = row;
  return { ...account, entityId: e.dialect === "sqlite" ? Number(rowid) : accountEntityId(account.id) };
}

/** An account's audit entry, in the transaction `tx` of its write (the row db/audit.ts's writeAudit writes). */
async function audit(tx: Engine, entry: Omit<AuditEntry, "entity" | "at" | "action"> & { action: AuditAction }): Promise<void> {
  await tx.db.insert(tx.t.auditLog).values({ ...entry, entity: "user", at: new Date() });
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

/** The audit entry of a new account (createAccount in db/auth.ts wrote the account itself; call it in that transaction). */
export async function auditAccountCreated(tx: Engine, accountId: string, actorId: string | null): Promise<void> {
  const account = await loadAccount(tx, accountId);
  if (!account) throw new ReferenceFieldError("_form", "not_found");
  const { entityId, ...after } = account;
  await audit(tx, { userId: actorId, action: "create", entityId, before: null, after });
}

/** The audit entry of a password reset (setAccountPassword in db/auth.ts set it; call it in that transaction); no hash is logged. */
export async function auditPasswordReset(tx: Engine, accountId: string, actorId: string | null): Promise<void> {
  const account = await loadAccount(tx, accountId);
  if (!account) throw new ReferenceFieldError("_form", "not_found");
  await audit(tx, {
    userId: actorId, action: "update", entityId: account.entityId,
    before: { id: account.id, email: account.email }, after: { id: account.id, email: account.email, password: "reset" },
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
    await checkAccount(tx, { email: stored.email, ...edit }, accountId);
    const { before, after } = changedFields({ name: stored.name, role: stored.role, holderId: stored.holderId }, edit);
    if (!Object.keys(after).length) return { changed: false };
    await tx.db.update(tx.t.users).set({ ...edit, updatedAt: new Date() }).where(eq(tx.t.users.id, accountId));
    const who = { id: stored.id, email: stored.email };
    await audit(tx, { userId: actorId, action: "update", entityId: stored.entityId, before: { ...who, ...before }, after: { ...who, ...after } });
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
    await tx.db.delete(tx.t.users).where(eq(tx.t.users.id, accountId));
    const { entityId, ...before } = stored;
    await audit(tx, { userId: actorId, action: "delete", entityId, before, after: null });
    return { email: stored.email };
  });
}
