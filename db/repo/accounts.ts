import "server-only";
import { toNextJsHandler } from "better-auth/next-js";
import {
  clearSignInFailures, createAccount as writeNewAccount, newDeviceCookie, recordSignInFailure, setAccountPassword as writePassword, signInDelay,
  signInKeys, userLabels as loadUserLabels, type AccountInput,
} from "../auth";
import { getAuth, getAuthSecret, getEngine } from "../client";
import { auditAccountCreated, auditPasswordReset, deleteAccount as writeDeleteAccount, updateAccount as writeAccount, type AccountEdit } from "../mutations/reference";

// Accounts and sessions: who is signed in, signing in and out (slowed down after repeated
// failures, with device cookies), the admin's account writes, and how users are named.
// better-auth does the password hashing and the session cookies.

export { AccountError, DEMO_ACCOUNTS, DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE, MIN_PASSWORD_LENGTH, deviceSetCookie } from "../auth";
export type { AccountEdit, AccountInput };

// ---- sessions ----------------------------------------------------------------------------

/** The user record of the session the request's cookies carry, or undefined. */
export async function sessionUserOf(headers: Headers): Promise<Record<string, unknown> | undefined> {
  const session = await (await getAuth()).api.getSession({ headers });
  return session?.user as Record<string, unknown> | undefined;
}

/** Signs in with email and password (throws when refused); better-auth sets the session cookie. */
export async function signInWithPassword(email: string, password: string, headers: Headers): Promise<void> {
  await (await getAuth()).api.signInEmail({ body: { email, password }, headers });
}

export async function signOutSession(headers: Headers): Promise<void> {
  await (await getAuth()).api.signOut({ headers });
}

/** Changes the signed-in user's own password (throws when the current one is wrong), ending their other sessions. */
export async function changeOwnPassword(currentPassword: string, newPassword: string, headers: Headers): Promise<void> {
  await (await getAuth()).api.changePassword({ body: { currentPassword, newPassword, revokeOtherSessions: true }, headers });
}

/** better-auth's own endpoints (/api/auth/…), as route handlers. */
export function authRouteHandlers(): { GET: (request: Request) => Promise<Response>; POST: (request: Request) => Promise<Response> } {
  return toNextJsHandler(async (request) => (await getAuth()).handler(request));
}

/** The secret that signs session and device cookies (read once per process). */
export async function sessionSecret(): Promise<string> {
  return getAuthSecret();
}

// ---- slowing down repeated failed sign-ins -----------------------------------------------

/** One sign-in attempt's throttle keys (the account or this device, and the client), with the seconds to wait first (0: go ahead). */
export type SignInAttempt = { email: string; keys: [string, number][]; wait: number };

export async function signInAttempt(email: string, headers: Headers): Promise<SignInAttempt> {
  const e = getEngine();
  const keys = await signInKeys(e, email, headers);
  const waits = await Promise.all(keys.map(([key, free]) => signInDelay(e, key, free)));
  return { email, keys, wait: Math.max(...waits) };
}

/** The attempt failed: each of its keys counts one more failure. */
export async function signInFailed(attempt: SignInAttempt): Promise<void> {
  await recordSignInFailure(getEngine(), attempt.keys.map(([key]) => key));
}

/** The attempt succeeded: its account's (or device's) failures are forgotten; returns a new device cookie's value for this browser. */
export async function signInSucceeded(attempt: SignInAttempt): Promise<string> {
  const e = getEngine();
  await clearSignInFailures(e, attempt.keys[0]![0]);
  return newDeviceCookie(e, attempt.email);
}

// ---- accounts (the admin's writes, each with its audit entry) -----------------------------

/** Creates an account (the password hashed first) and its audit entry in one transaction; returns its id. */
export async function createAccount(input: AccountInput, actorId: string | null): Promise<string> {
  return writeNewAccount(getEngine(), await getAuth(), input, (tx, id) => auditAccountCreated(tx, id, actorId));
}

/** Sets a new password for an account (an admin's reset), ending its sessions, and records it (one transaction). */
export async function resetAccountPassword(accountId: string, password: string, actorId: string | null): Promise<void> {
  await writePassword(getEngine(), await getAuth(), accountId, password, (tx) => auditPasswordReset(tx, accountId, actorId));
}

export async function updateAccount(accountId: string, input: AccountEdit, actorId: string): Promise<{ changed: boolean }> {
  return writeAccount(getEngine(), accountId, input, actorId);
}

export async function deleteAccount(accountId: string, actorId: string): Promise<{ email: string }> {
  return writeDeleteAccount(getEngine(), accountId, actorId);
}

/** How users are named in messages and history: their email, or the id when the account is gone. */
export async function userLabels(ids: (string | null)[]): Promise<Map<string, string>> {
  return loadUserLabels(getEngine(), ids);
}
