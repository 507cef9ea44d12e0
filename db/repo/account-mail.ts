import "server-only";
import {
  inviteAccount as writeInvitation, listOpenInvitations, resendInvitation as writeResend, resetKeys, resetLinkState, resetRequestAllowed, setUserLocale,
  type InvitationInput, type PendingInvitation,
} from "../account-mail";
import { getAuth, getEngine } from "../client";
import type { Locale } from "../../lib/enums";

// The account e-mails for pages and actions: asking for a password reset (throttled per
// address and per client; the same answer for any address), resetting with a link, the
// admin's invitations, and the language of a user's e-mails.

export { InvitationNotFoundError, INVITATION_DAYS, RESET_LINK_MINUTES } from "../account-mail";
export type { InvitationInput, PendingInvitation };

/** Asks better-auth to mail a reset link when the address has an account. Returns the seconds to wait when throttled, else 0. */
export async function requestPasswordReset(email: string, headers: Headers): Promise<number> {
  const e = getEngine();
  const wait = await resetRequestAllowed(e, resetKeys(email, headers));
  if (wait > 0) return wait;
  // better-auth answers alike whether or not the address has an account
  await (await getAuth()).api.requestPasswordReset({ body: { email: email.trim().toLowerCase() }, headers });
  return 0;
}

/** Sets a new password through a reset or invitation link: false when the link is unknown, used or expired. */
export async function resetPasswordWithLink(token: string, newPassword: string): Promise<boolean> {
  try {
    await (await getAuth()).api.resetPassword({ body: { token, newPassword } });
    return true;
  } catch (error) {
    const code = (error as { body?: { code?: string } })?.body?.code;
    if (code === "INVALID_TOKEN" || code === "USER_NOT_FOUND") return false;
    throw error;
  }
}

export async function resetLinkInfo(token: string): Promise<{ valid: boolean; invitation: boolean; email?: string }> {
  return resetLinkState(getEngine(), token);
}

/** An admin invites a new account by e-mail (account, link, mail and audit entry in one transaction). */
export async function inviteAccount(input: InvitationInput, actorId: string): Promise<{ id: string }> {
  return writeInvitation(getEngine(), input, actorId);
}

/** An admin sends an invitation again: a new 7-day link; the old one stops working. */
export async function resendInvitation(userId: string, actorId: string): Promise<{ email: string }> {
  return writeResend(getEngine(), userId, actorId);
}

export async function openInvitations(): Promise<PendingInvitation[]> {
  return listOpenInvitations(getEngine());
}

export async function setMailLocale(userId: string, locale: Locale): Promise<void> {
  await setUserLocale(getEngine(), userId, locale);
}
