"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth, getDb } from "@/db/client";
import {
  clearSignInFailures, DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE, MIN_PASSWORD_LENGTH, newDeviceCookie, recordSignInFailure, signInDelay, signInKeys,
} from "@/db/auth";
import { safeNext } from "@/lib/roles";
import { currentUser } from "../session";

export type SignInState = { error: "invalid" | "throttled" | "missing"; seconds?: number; email: string } | null;

export async function signIn(_: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const next = safeNext(String(form.get("next") ?? "/"));
  if (!email || !password) return { error: "missing", email };
  const db = getDb();
  const h = await headers();
  const keys = signInKeys(db, email, h);
  const wait = Math.max(...keys.map(([key, free]) => signInDelay(db, key, free)));
  if (wait > 0) return { error: "throttled", seconds: wait, email };
  try {
    await getAuth().api.signInEmail({ body: { email, password }, headers: h });
  } catch {
    for (const [key] of keys) recordSignInFailure(db, key);
    return { error: "invalid", email };
  }
  clearSignInFailures(db, keys[0]![0]);
  // this browser has signed in to the account: others' failed guesses no longer lock it out
  (await cookies()).set(DEVICE_COOKIE, newDeviceCookie(db, email), {
    httpOnly: true, sameSite: "lax", secure: process.env.AUTH_SECURE_COOKIES === "1", path: "/", maxAge: DEVICE_COOKIE_MAX_AGE,
  });
  redirect(next);
}

export async function signOut(): Promise<void> {
  await getAuth().api.signOut({ headers: await headers() });
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
    await getAuth().api.changePassword({ body: { currentPassword: current, newPassword: next, revokeOtherSessions: true }, headers: await headers() });
  } catch {
    return { error: "current" };
  }
  // the session cookie was renewed: a fresh page says it worked
  redirect("/account?changed=1");
}
