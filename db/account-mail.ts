import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, isNull, like, sql } from "drizzle-orm";
import { roles, type Locale, type Role } from "../lib/enums";
import { appUrl } from "../lib/env";
import { invitationMail, resetPasswordMail } from "../lib/mail-texts";
import { AccountError, checkAccount, recordSignInFailure, signInDelay } from "./auth";
import { first, type Engine } from "./engine";
import { auditAccountCreated, auditInvitationResent } from "./mutations/reference";
import { enqueueMail } from "./outbox";

// The account e-mails: password reset (better-auth's request-password-reset and
// reset-password, which call back here to enqueue the mail) and invitations (an account made
// without a password; its owner chooses one through a one-use link, which is better-auth's
// reset-password verification row with a 7-day expiry). Links are built on APP_URL
// (lib/env.ts appUrl), never on a request's Host header.

export const RESET_LINK_MINUTES = 60;
export const INVITATION_DAYS = 7;
const DAY = 24 * 3600_000;

/** The page a reset or invitation link opens. */
export function resetLinkUrl(token: string): string {
  return `${appUrl()}/login/reset?token=${encodeURIComponent(token)}`;
}

const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** better-auth's sendResetPassword: the reset mail, in the account's language, enqueued in a transaction of its own. */
export async function enqueueResetMail(e: Engine, user: { id: string; email: string; name: string }, token: string): Promise<void> {
  await e.transaction(async (tx) => {
    const { users, verifications } = tx.t;
    // better-auth wrote the token just before: the mail goes only with a token that exists
    const stored = await first(tx.db.select({ id: verifications.id }).from(verifications).where(eq(verifications.identifier, `reset-password:${token}`)));
    if (!stored) return;
    const row = await first(tx.db.select({ locale: users.locale }).from(users).where(eq(users.id, user.id)));
    const locale: Locale = row?.locale === "zh" ? "zh" : "en";
    const mail = resetPasswordMail(locale, { name: user.name, url: resetLinkUrl(token), minutes: RESET_LINK_MINUTES });
    await enqueueMail(tx, { to: user.email, locale, ...mail, dedupeKey: `reset:${stored.id}` });
  });
}

// ---- throttling reset requests ----------------------------------------------------------------

/** Reset requests allowed in 15 minutes before they are slowed down: per address, and per client (offices share one). */
export const RESET_FREE_REQUESTS = { email: 3, client: 10 } as const;

/** The throttle keys of a reset request: the address asked for and the client's address (X-Forwarded-For as scripts/serve.mjs sets it). */
export function resetKeys(email: string, headers: Headers): [string, number][] {
  const client = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim() || "direct";
  return [
    [`reset-email:${normaliseEmail(email)}`, RESET_FREE_REQUESTS.email],
    [`reset-client:${client}`, RESET_FREE_REQUESTS.client],
  ];
}

/** Seconds to wait before another reset request for these keys (0: go ahead); a request that goes ahead is counted. */
export async function resetRequestAllowed(e: Engine, keys: [string, number][], now = Date.now()): Promise<number> {
  const waits = await Promise.all(keys.map(([key, free]) => signInDelay(e, key, free, now)));
  const wait = Math.max(0, ...waits);
  if (wait === 0) await recordSignInFailure(e, keys.map(([key]) => key), now);
  return wait;
}

// ---- the reset page ---------------------------------------------------------------------------

/** Whether a reset or invitation link is still good (exists, not expired, not used), and whether it is an invitation. */
export async function resetLinkState(e: Engine, token: string, now = Date.now()): Promise<{ valid: boolean; invitation: boolean; email?: string }> {
  if (!/^[A-Za-z0-9_-]{10,100}$/.test(token)) return { valid: false, invitation: false };
  const { verifications, invitations, users } = e.t;
  const row = await first(
    e.db
      .select({ id: verifications.id, userId: verifications.value, expiresAt: verifications.expiresAt, email: users.email, invited: invitations.userId })
      .from(verifications)
      .innerJoin(users, eq(users.id, verifications.value))
      .leftJoin(invitations, and(eq(invitations.verificationId, verifications.id), isNull(invitations.acceptedAt)))
      .where(eq(verifications.identifier, `reset-password:${token}`)),
  );
  if (!row || row.expiresAt.getTime() <= now) return { valid: false, invitation: false };
  return { valid: true, invitation: row.invited !== null, email: row.email };
}

/** better-auth's onPasswordReset: the account has a password now, so its invitation (if any) is accepted. */
export async function markInvitationAccepted(e: Engine, userId: string, now = Date.now()): Promise<void> {
  await e.transaction(async (tx) => {
    const { invitations } = tx.t;
    await tx.db.update(invitations).set({ acceptedAt: now, verificationId: null }).where(and(eq(invitations.userId, userId), isNull(invitations.acceptedAt)));
  });
}

// ---- invitations ------------------------------------------------------------------------------

export type InvitationInput = { email: string; name: string; role: Role; holderId: number | null; locale: Locale };

/** A new one-use link for `userId`, valid INVITATION_DAYS, as better-auth's reset-password verification row. */
async function newInvitationLink(tx: Engine, userId: string, now: number): Promise<{ token: string; verificationId: string; expiresAt: number }> {
  const token = randomBytes(24).toString("base64url");
  const verificationId = randomUUID();
  const expiresAt = now + INVITATION_DAYS * DAY;
  await tx.db.insert(tx.t.verifications).values({
    id: verificationId, identifier: `reset-password:${token}`, value: userId, expiresAt: new Date(expiresAt), createdAt: new Date(now), updatedAt: new Date(now),
  });
  return { token, verificationId, expiresAt };
}

async function enqueueInvitation(tx: Engine, user: { id: string; email: string; name: string; role: Role; locale: Locale }, token: string, verificationId: string): Promise<void> {
  const mail = invitationMail(user.locale, { name: user.name, email: user.email, url: resetLinkUrl(token), days: INVITATION_DAYS, role: roles.label(user.role, user.locale) });
  await enqueueMail(tx, { to: user.email, locale: user.locale, ...mail, dedupeKey: `invite:${verificationId}` });
}

/**
 * Creates an account without a password and invites its owner by e-mail: the account, its
 * invitation, the link and the mail and the audit entry in one transaction. Returns the id.
 */
export async function inviteAccount(e: Engine, input: InvitationInput, actorId: string | null, now = Date.now()): Promise<{ id: string }> {
  const email = normaliseEmail(input.email);
  await checkAccount(e, input);
  const id = randomBytes(16).toString("hex");
  try {
    await e.transaction(async (tx) => {
      await checkAccount(tx, input);
      await tx.db.insert(tx.t.users).values({
        id, name: input.name.trim(), email, emailVerified: true, createdAt: new Date(now), updatedAt: new Date(now),
        role: input.role, holderId: input.role === "member" ? input.holderId : null, locale: input.locale,
      });
      const link = await newInvitationLink(tx, id, now);
      await tx.db.insert(tx.t.invitations).values({ userId: id, invitedBy: actorId, verificationId: link.verificationId, sentAt: now, expiresAt: link.expiresAt });
      await auditAccountCreated(tx, id, actorId);
      await enqueueInvitation(tx, { id, email, name: input.name.trim(), role: input.role, locale: input.locale }, link.token, link.verificationId);
    });
  } catch (error) {
    if (/UNIQUE constraint failed: user\.email|user_email_unique/.test(String((error as Error)?.message) + String((error as { cause?: Error })?.cause?.message))) {
      throw new AccountError("email", `An account for ${email} exists already.`);
    }
    throw error;
  }
  return { id };
}

export class InvitationNotFoundError extends Error {
  override name = "InvitationNotFoundError";
}

/** Sends an invitation again: a new link (the old one stops working), 7 days from now, audited; all in one transaction. */
export async function resendInvitation(e: Engine, userId: string, actorId: string | null, now = Date.now()): Promise<{ email: string }> {
  return e.transaction(async (tx) => {
    const { invitations, users, verifications } = tx.t;
    const row = await first(
      tx.db
        .select({ email: users.email, name: users.name, role: users.role, locale: users.locale, verificationId: invitations.verificationId })
        .from(invitations)
        .innerJoin(users, eq(users.id, invitations.userId))
        .where(and(eq(invitations.userId, userId), isNull(invitations.acceptedAt))),
    );
    if (!row) throw new InvitationNotFoundError(`There is no open invitation for account ${userId}.`);
    if (row.verificationId) await tx.db.delete(verifications).where(eq(verifications.id, row.verificationId));
    // and any other reset link of the account made before: one link at a time
    await tx.db.delete(verifications).where(and(eq(verifications.value, userId), like(verifications.identifier, "reset-password:%")));
    const link = await newInvitationLink(tx, userId, now);
    await tx.db.update(invitations).set({ verificationId: link.verificationId, sentAt: now, expiresAt: link.expiresAt, invitedBy: actorId }).where(eq(invitations.userId, userId));
    await auditInvitationResent(tx, userId, actorId, link.expiresAt);
    await enqueueInvitation(tx, { id: userId, email: row.email, name: row.name, role: row.role, locale: row.locale === "zh" ? "zh" : "en" }, link.token, link.verificationId);
    return { email: row.email };
  });
}

export type PendingInvitation = { userId: string; email: string; name: string; role: Role; sentAt: number; expiresAt: number; expired: boolean };

/** Invitations not yet accepted, the newest first: pending ones and expired ones. */
export async function listOpenInvitations(e: Engine, now = Date.now()): Promise<PendingInvitation[]> {
  const { invitations, users } = e.t;
  const rows = await e.db
    .select({ userId: invitations.userId, email: users.email, name: users.name, role: users.role, sentAt: invitations.sentAt, expiresAt: invitations.expiresAt })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .where(isNull(invitations.acceptedAt))
    .orderBy(sql`${invitations.sentAt} desc`);
  return rows.map((r) => ({ ...r, sentAt: Number(r.sentAt), expiresAt: Number(r.expiresAt), expired: Number(r.expiresAt) <= now }));
}

// ---- the e-mail language ----------------------------------------------------------------------

/** Sets the language of an account's e-mails (the language switch calls this for the signed-in user). */
export async function setUserLocale(e: Engine, userId: string, locale: Locale): Promise<void> {
  await e.transaction(async (tx) => {
    await tx.db.update(tx.t.users).set({ locale }).where(and(eq(tx.t.users.id, userId), sql`${tx.t.users.locale} <> ${locale}`));
  });
}
