import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { writeAudit } from "./audit";
import type { Engine } from "./engine";

// Personal API tokens (issue 20, item 5): a user's credential for scripts on the JSON API
// (`Authorization: Bearer <token>`, app/session.ts requireApiReader), with exactly that user's
// role and scope. Only the SHA-256 of a token is stored, with its first characters to
// recognise it by; the token is shown once, when it is made. Revoked or expired tokens answer
// 401. Creating and revoking are written to the audit log in the same transaction.

export const TOKEN_PREFIX = "bet_";
/** What the lists show of a token: "bet_" and the first 6 characters of its random part. */
const SHOWN = TOKEN_PREFIX.length + 6;
export const TOKEN_DAYS = [30, 90, 365] as const;
export type TokenDays = (typeof TOKEN_DAYS)[number];
export const DEFAULT_TOKEN_DAYS: TokenDays = 90;
export const TOKEN_NAME_MAX = 80;
const DAY = 24 * 60 * 60 * 1000;
/** last_used_at is written at most this often per token */
export const LAST_USE_INTERVAL = 60_000;

export const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export type TokenRow = {
  id: number;
  userId: string;
  email: string;
  name: string;
  prefix: string;
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
};

/** Makes a token for the user; returns its row id and the token itself (the only time it exists outside the caller). */
export async function createToken(e: Engine, userId: string, name: string, days: TokenDays, now = Date.now()): Promise<{ id: number; token: string; expiresAt: number }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const expiresAt = now + days * DAY;
  return e.transaction(async (tx) => {
    const [row] = await tx.db
      .insert(tx.t.apiTokens)
      .values({ userId, name, prefix: token.slice(0, SHOWN), hash: hashToken(token), createdAt: now, expiresAt })
      .returning({ id: tx.t.apiTokens.id });
    const id = Number(row!.id);
    await writeAudit(tx, {
      userId, action: "create", entity: "api_token", entityId: id, before: null,
      after: { name, prefix: token.slice(0, SHOWN), owner: userId, expiresAt: new Date(expiresAt).toISOString() }, at: now,
    });
    return { id, token, expiresAt };
  });
}

/** A user's tokens (owner given) or everyone's, newest first. */
export async function listTokens(e: Engine, ownerId?: string): Promise<TokenRow[]> {
  const rows = await e.all<Record<string, unknown>>(sql`
    select t.id, t.user_id as "userId", u.email, t.name, t.prefix, t.created_at as "createdAt", t.expires_at as "expiresAt",
      t.last_used_at as "lastUsedAt", t.revoked_at as "revokedAt"
    from api_tokens t join "user" u on u.id = t.user_id
    ${ownerId === undefined ? sql`` : sql`where t.user_id = ${ownerId}`}
    order by t.id desc`);
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({
    id: Number(r.id), userId: String(r.userId), email: String(r.email), name: String(r.name), prefix: String(r.prefix),
    createdAt: Number(r.createdAt), expiresAt: Number(r.expiresAt), lastUsedAt: num(r.lastUsedAt), revokedAt: num(r.revokedAt),
  }));
}

/**
 * Revokes a token (only the owner's own when `ownerId` is given, any for an admin); false when
 * there is no such token (or it is another's). Revoking one already revoked changes nothing.
 */
export async function revokeToken(e: Engine, id: number, actorId: string, ownerId?: string, now = Date.now()): Promise<boolean> {
  return e.transaction(async (tx) => {
    const t = tx.t.apiTokens;
    const [row] = await tx.db
      .select({ id: t.id, userId: t.userId, name: t.name, prefix: t.prefix, revokedAt: t.revokedAt })
      .from(t)
      .where(ownerId === undefined ? eq(t.id, id) : and(eq(t.id, id), eq(t.userId, ownerId)));
    if (!row) return false;
    if (row.revokedAt !== null) return true;
    await tx.db.update(t).set({ revokedAt: now, revokedBy: actorId }).where(eq(t.id, id));
    const about = { name: row.name, prefix: row.prefix, owner: row.userId };
    await writeAudit(tx, {
      userId: actorId, action: "update", entity: "api_token", entityId: id,
      before: { ...about, revokedAt: null }, after: { ...about, revokedAt: new Date(now).toISOString() }, at: now,
    });
    return true;
  });
}

export type TokenCheck =
  | { ok: true; tokenId: number; user: Record<string, unknown> }
  | { ok: false; reason: "unknown" | "expired" | "revoked"; at?: number };

// per process: when each token's last use was last written (a second process writes at most once more)
const lastWritten = new Map<number, number>();

/**
 * The user a bearer token stands for, or why it does not. A use is recorded in last_used_at at
 * most once a minute per token: this process skips the write within the minute, and the
 * update itself only touches a row whose last use is older (other processes).
 */
export async function checkToken(e: Engine, token: string, now = Date.now()): Promise<TokenCheck> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return { ok: false, reason: "unknown" };
  const t = e.t.apiTokens;
  const [row] = await e.db
    .select({ id: t.id, userId: t.userId, expiresAt: t.expiresAt, revokedAt: t.revokedAt })
    .from(t)
    .where(eq(t.hash, hashToken(token)));
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revokedAt !== null) return { ok: false, reason: "revoked", at: Number(row.revokedAt) };
  if (Number(row.expiresAt) <= now) return { ok: false, reason: "expired", at: Number(row.expiresAt) };
  const users = e.t.users;
  const [user] = await e.db.select().from(users).where(eq(users.id, row.userId));
  if (!user) return { ok: false, reason: "unknown" };
  const id = Number(row.id);
  const written = lastWritten.get(id);
  if (written === undefined || now - written >= LAST_USE_INTERVAL) {
    lastWritten.set(id, now);
    await e.db
      .update(t)
      .set({ lastUsedAt: now })
      .where(and(eq(t.id, id), or(isNull(t.lastUsedAt), lt(t.lastUsedAt, now - LAST_USE_INTERVAL + 1))));
  }
  return { ok: true, tokenId: id, user: user as unknown as Record<string, unknown> };
}

/** Forgets this process's record of writes (tests). */
export function forgetTokenUses(): void {
  lastWritten.clear();
}



/** How many tokens still work (not revoked, not expired). */
export async function activeTokenCount(e: Engine, now = Date.now()): Promise<number> {
  const [row] = await e.all<{ n: number | string }>(sql`select count(*) as n from api_tokens where revoked_at is null and expires_at > ${now}`);
  return Number(row?.n ?? 0);
}
