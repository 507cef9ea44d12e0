"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import {
  changeOwnPassword, DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE, MIN_PASSWORD_LENGTH, signInAttempt, signInFailed, signInSucceeded, signInWithPassword, signOutSession,
} from "@/db/repo/accounts";
import { requestPasswordReset, resetPasswordWithLink } from "@/db/repo/account-mail";
import { secureCookies } from "@/lib/env";
import { safeNext } from "@/lib/roles";
import { currentUser } from "../session";

export type SignInState = { error: "invalid" | "throttled" | "missing"; seconds?: number; email: string } | null;

export async function signIn(_: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const next = safeNext(String(form.get("next") ?? "/"));
  if (!email || !password) return { error: "missing", email };
  const h = await headers();
  const attempt = await signInAttempt(email, h);
  if (attempt.wait > 0) return { error: "throttled", seconds: attempt.wait, email };
  try {
    await signInWithPassword(email, password, h);
  } catch {
    await signInFailed(attempt);
    return { error: "invalid", email };
  }
  const device = await signInSucceeded(attempt);
  // this browser has signed in to the account: others' failed guesses no longer lock it out
  (await cookies()).set(DEVICE_COOKIE, device, {
    httpOnly: true, sameSite: "lax", secure: secureCookies(), path: "/", maxAge: DEVICE_COOKIE_MAX_AGE,
  });
  redirect(next);
}

export async function signOut(): Promise<void> {
  await signOutSession(await headers());
  redirect("/login");
}

export type PasswordState = { error: "current" | "length" | "match" | "signedOut" } | null;

export async function changePassword(_: PasswordState, form: FormData): Promise<PasswordState> {
  const user = await currentUser();
  if (!user) return { error: "signedOut" };
  const current = String(form.get("current") ?? "");
  const next = String(form.get("new") ?? "");
  if (next !== String(form.get("repeat") ?? "")) return { error: "match" };
  if (next.length < MIN_PASSWORD_LENGTH || next.length > 128) return { error: "length" };
  try {
    await changeOwnPassword(current, next, await headers());
  } catch {
    return { error: "current" };
  }
  // the session cookie was renewed: a fresh page says it worked
  redirect("/account?changed=1");
}

// ---- password reset by e-mail (/login/forgot, /login/reset) ---------------------------------

export type ForgotState = { sent: true; email: string } | { error: "email" | "throttled"; seconds?: number; email: string } | null;

/** Asks for a reset link: the same answer whether or not the address has an account. */
export async function requestResetAction(_: ForgotState, form: FormData): Promise<ForgotState> {
  const email = String(form.get("email") ?? "").trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) return { error: "email", email };
  const wait = await requestPasswordReset(email, await headers());
  if (wait > 0) return { error: "throttled", seconds: wait, email };
  return { sent: true, email };
}

export type ResetState = { error: "length" | "match" | "invalid" } | null;

/** Sets a new password through a reset or invitation link; the link works once, and all sessions end. */
export async function resetWithLinkAction(_: ResetState, form: FormData): Promise<ResetState> {
  const token = String(form.get("token") ?? "");
  const next = String(form.get("new") ?? "");
  if (next !== String(form.get("repeat") ?? "")) return { error: "match" };
  if (next.length < MIN_PASSWORD_LENGTH || next.length > 128) return { error: "length" };
  if (!token || !(await resetPasswordWithLink(token, next))) return { error: "invalid" };
  redirect("/login?reset=1");
}
