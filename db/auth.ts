import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { and, eq, sql } from "drizzle-orm";
import type { Role } from "../lib/enums";
import { enqueueResetMail, markInvitationAccepted, RESET_LINK_MINUTES } from "./account-mail";
import { isDemo } from "./bulk";
import { first, type Engine } from "./engine";
import { authBaseUrl, authSecretFromEnv, secureCookies } from "../lib/env";
import { signValue, verifySigned } from "../lib/signed-cookie";

// Accounts and sessions, by better-auth with its drizzle adapter: password hashing (scrypt),
// session tokens and http-only cookies are the library's. There is no public sign-up:
// admins create accounts (here, from /admin/users and from `npm run user:create`).
// Everything lives in the database, on either engine (db/engine.ts): sessions, better-auth's
// rate limits and the sign-in throttle count across every server process of one database.

export const MIN_PASSWORD_LENGTH = 10;
export const SESSION_DAYS = 7;

async function storedSecret(e: Engine): Promise<string | undefined> {
  const { appMeta } = e.t;
  return (await first(e.db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, "auth_secret"))))?.value;
}

/**
 * The secret that signs session cookies: BETTER_AUTH_SECRET, or one made once and kept in the
 * database (of two servers making it at once, the first to commit wins and both read that one).
 */
export async function authSecret(e: Engine): Promise<string> {
  const fromEnv = authSecretFromEnv();
  if (fromEnv) return fromEnv;
  const found = await storedSecret(e);
  if (found) return found;
  return e.transaction(async (tx) => {
    await tx.db.insert(tx.t.appMeta).values({ key: "auth_secret", value: randomBytes(32).toString("base64url") }).onConflictDoNothing();
    return (await storedSecret(tx))!;
  });
}

/** better-auth's log, less its start-up warning that no BETTER_AUTH_URL is set (each request's own origin is used then, on purpose). */
function quietAboutBaseURL(level: "debug" | "info" | "warn" | "error", message: string, ...args: unknown[]): void {
  if (level === "warn" && message.includes("Base URL is not set")) return;
  if (level === "debug") return;
  (level === "error" ? console.error : level === "warn" ? console.warn : console.log)(`[better-auth] ${message}`, ...args);
}

function authOver(e: Engine, secret: string) {
  const { users, sessions, accounts, verifications, rateLimits } = e.t;
  return betterAuth({
    appName: "IP Border Enforcement Tracker",
    secret,
    // the address the app is reached at: BETTER_AUTH_URL; without it, the origin each request
    // came to (a laptop, a test's random port). No wildcard: the trusted origins, which every
    // callbackURL / redirectTo must match, are the app's own and nothing else.
    baseURL: authBaseUrl(),
    logger: { log: quietAboutBaseURL },
    // the engine's own drizzle database and tables: on PostgreSQL its node-postgres pool
    database: drizzleAdapter(e.db, {
      provider: e.dialect === "postgres" ? "pg" : "sqlite",
      schema: { user: users, session: sessions, account: accounts, verification: verifications, rateLimit: rateLimits },
    }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: 128,
      // password reset by e-mail (/login/forgot, /login/reset): a link that works once within
      // an hour, and using it ends the account's sessions. The mail goes through the outbox, in
      // the account's language, with a link on APP_URL (db/account-mail.ts), never on the Host.
      resetPasswordTokenExpiresIn: RESET_LINK_MINUTES * 60,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, token }) => {
        await enqueueResetMail(e, user, token);
      },
      // an invited account chose its password: the invitation is accepted
      onPasswordReset: async ({ user }) => {
        await markInvitationAccepted(e, user.id);
      },
    },
    session: { expiresIn: 60 * 60 * 24 * SESSION_DAYS, updateAge: 60 * 60 * 24 },
    user: {
      additionalFields: {
        role: { type: "string", required: true, defaultValue: "analyst", input: false },
        holderId: { type: "number", required: false, input: false },
        // the language of the e-mails this account receives (the language switch sets it)
        locale: { type: "string", required: false, defaultValue: "en", input: false },
      },
    },
    // a POST must come from the page it was served to, a callback must lead back to it: the
    // origin of BETTER_AUTH_URL (better-auth adds it), or without it this request's own host
    trustedOrigins: (request) => {
      const host = request?.headers.get("host");
      return host && !authBaseUrl() ? [`http://${host}`, `https://${host}`] : [];
    },
    // per client address (scripts/serve.mjs sets it), in the database: shared by every server process
    rateLimit: { enabled: true, storage: "database", window: 60, max: 300, customRules: { "/sign-in/email": { window: 60, max: 60 } } },
    advanced: {
      // behind HTTPS the cookie is Secure; on plain http (a laptop, the tests) it cannot be
      useSecureCookies: secureCookies(),
      // better-auth skips its callback and origin checks when it thinks it runs under a test
      // runner (VITEST, NODE_ENV=test…): they stay on whatever the environment says
      disableOriginCheck: false,
    },
    plugins: [nextCookies()],
  });
}
export type Auth = ReturnType<typeof authOver>;

/** better-auth over the engine's database (the secret read, or made, first). */
export async function createAuth(e: Engine): Promise<Auth> {
  return authOver(e, await authSecret(e));
}

export type AccountInput = { email: string; name: string; role: Role; holderId: number | null; password: string };

export class AccountError extends Error {
  override name = "AccountError";
  constructor(
    readonly field: "email" | "role" | "holderId" | "password" | "name",
    message: string,
  ) {
    super(message);
  }
}

/** The largest id a table's integer key holds on both engines (PostgreSQL's integer). */
const MAX_ID = 2 ** 31 - 1;

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Checks an account before it is written; throws AccountError naming the field. */
export async function checkAccount(e: Engine, input: Omit<AccountInput, "password"> & { password?: string }, exceptUserId?: string): Promise<void> {
  const { users, rightHolders } = e.t;
  const email = normaliseEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new AccountError("email", `"${input.email}" is not an email address.`);
  const taken = await first(e.db.select({ id: users.id }).from(users).where(eq(users.email, email)));
  if (taken && taken.id !== exceptUserId) throw new AccountError("email", `An account for ${email} exists already.`);
  if (!input.name.trim()) throw new AccountError("name", "A name is required.");
  if (input.role === "member") {
    if (input.holderId === null) throw new AccountError("holderId", "A member account needs the right holder it belongs to.");
    if (!Number.isSafeInteger(input.holderId) || input.holderId < 1 || input.holderId > MAX_ID || !(await first(e.db.select({ id: rightHolders.id }).from(rightHolders).where(eq(rightHolders.id, input.holderId))))) {
      throw new AccountError("holderId", `There is no right holder with id ${input.holderId}.`);
    }
  } else if (input.holderId !== null) {
    throw new AccountError("holderId", "Only member accounts belong to a right holder.");
  }
  if (input.password !== undefined && (input.password.length < MIN_PASSWORD_LENGTH || input.password.length > 128)) {
    throw new AccountError("password", `A password needs ${MIN_PASSWORD_LENGTH} to 128 characters.`);
  }
}

/** Whether a write failed on the unique email address (another server created the account first). */
function isEmailTaken(error: unknown): boolean {
  for (let cause = error as { message?: string; code?: string; constraint?: string; cause?: unknown } | undefined; cause; cause = cause.cause as typeof cause) {
    if (cause.code === "23505" && cause.constraint === "user_email_unique") return true;
    if (/UNIQUE constraint failed: user\.email/.test(cause.message ?? "")) return true;
  }
  return false;
}

/**
 * Creates an account with a password (hashed by better-auth); returns its id. `inTransaction`
 * runs in the same transaction as the insert (an audit entry), so both or neither are written.
 */
export async function createAccount(e: Engine, auth: Auth, input: AccountInput, inTransaction?: (tx: Engine, userId: string) => Promise<void>): Promise<string> {
  // checked before the (slow) hash, and again inside the transaction that writes it
  await checkAccount(e, input);
  const ctx = await auth.$context;
  const hash = await ctx.password.hash(input.password);
  const now = new Date();
  const id = ctx.generateId({ model: "user" }) || randomBytes(16).toString("hex");
  const accountId = ctx.generateId({ model: "account" }) || randomBytes(16).toString("hex");
  try {
    await e.transaction(async (tx) => {
      const { users, accounts } = tx.t;
      await checkAccount(tx, input);
      await tx.db
        .insert(users)
        .values({ id, name: input.name.trim(), email: normaliseEmail(input.email), emailVerified: true, createdAt: now, updatedAt: now, role: input.role, holderId: input.role === "member" ? input.holderId : null });
      await tx.db.insert(accounts).values({ id: accountId, accountId: id, providerId: "credential", userId: id, password: hash, createdAt: now, updatedAt: now });
      await inTransaction?.(tx, id);
    });
  } catch (error) {
    if (isEmailTaken(error)) throw new AccountError("email", `An account for ${normaliseEmail(input.email)} exists already.`);
    throw error;
  }
  return id;
}

/**
 * Sets a new password for an account (an admin's reset), ending its sessions; `inTransaction`
 * (the audit entry) is written with it. An account that does not exist is an AccountError.
 */
export async function setAccountPassword(e: Engine, auth: Auth, userId: string, password: string, inTransaction?: (tx: Engine) => Promise<void>): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > 128) {
    throw new AccountError("password", `A password needs ${MIN_PASSWORD_LENGTH} to 128 characters.`);
  }
  const hash = await (await auth.$context).password.hash(password);
  await e.transaction(async (tx) => {
    const { accounts, sessions } = tx.t;
    const set = await tx.db
      .update(accounts)
      .set({ password: hash, updatedAt: new Date() })
      .where(and(eq(accounts.userId, userId), eq(accounts.providerId, "credential")))
      .returning({ id: accounts.id });
    await tx.db.delete(sessions).where(eq(sessions.userId, userId));
    await inTransaction?.(tx);
    if (!set.length) throw new AccountError("password", "There is no account with a password to reset.");
  });
}

/** How a user is named in messages and history: their email, or the id when the account is gone. */
export async function userLabels(e: Engine, ids: (string | null)[]): Promise<Map<string, string>> {
  const { users } = e.t;
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (!wanted.length) return new Map();
  const rows = await e.db.select({ id: users.id, email: users.email }).from(users).where(e.say.inList(sql`${users.id}`, wanted));
  const emails = new Map(rows.map((r) => [r.id, r.email]));
  return new Map(wanted.map((id) => [id, emails.get(id) ?? id]));
}

export const DEMO_PASSWORD = "demo-password";
export const DEMO_ACCOUNTS = [
  { email: "admin@demo.test", name: "Demo Admin", role: "admin" },
  { email: "analyst@demo.test", name: "Demo Analyst", role: "analyst" },
  { email: "member@demo.test", name: "Demo Member", role: "member" },
] as const;

/**
 * The right holder the demo member works for: the one named in most of Kunming's cases
 * from 2016-01-01 to 2017-06-07 (the published period), so the member sees real cases.
 */
export async function demoMemberHolder(e: Engine): Promise<number | null> {
  const { caseRightHolders, cases, customsOffices } = e.t;
  const row = await e.get<{ id: number }>(sql`select l.right_holder_id as id from ${caseRightHolders} l
      join ${cases} c on c.id = l.case_id join ${customsOffices} o on o.id = c.office_id
      where c.deleted_at is null and c.seized_on between '2016-01-01' and '2017-06-07'
        and coalesce(o.district_id, o.id) = (select id from ${customsOffices} where code = '8600')
      group by l.right_holder_id order by count(*) desc, l.right_holder_id limit 1`);
  return row ? Number(row.id) : null;
}

/** In a demo database, makes sure the three demo accounts exist (with the demo password). */
export async function ensureDemoAccounts(e: Engine, auth?: Auth): Promise<number> {
  if (!(await isDemo(e))) return 0;
  const { users } = e.t;
  auth ??= await createAuth(e);
  let created = 0;
  for (const account of DEMO_ACCOUNTS) {
    if (await first(e.db.select({ id: users.id }).from(users).where(eq(users.email, account.email)))) continue;
    const holderId = account.role === "member" ? await demoMemberHolder(e) : null;
    if (account.role === "member" && holderId === null) continue;
    try {
      await createAccount(e, auth, { ...account, holderId, password: DEMO_PASSWORD });
    } catch (error) {
      // another server starting on the same database made it at the same moment
      if (error instanceof AccountError && error.field === "email") continue;
      throw error;
    }
    created++;
  }
  return created;
}

// ---- slowing down repeated failed sign-ins ----------------------------------------------

/** Failures allowed before sign-ins for an email address are slowed down (a client address gets more: offices share one). */
export const SIGN_IN_FREE_FAILURES = { email: 5, client: 20 } as const;
const FAILURE_WINDOW_MS = 15 * 60 * 1000;

/** Seconds to wait before another sign-in for this key is tried (0 when free). */
export async function signInDelay(e: Engine, key: string, free: number, now = Date.now()): Promise<number> {
  const { signInFailures } = e.t;
  const row = await first(e.db.select().from(signInFailures).where(eq(signInFailures.key, key)));
  if (!row || now - row.lastAt > FAILURE_WINDOW_MS || row.failures < free) return 0;
  // at the limit: wait 30 s, then twice as long after each further failure, up to 15 minutes
  const wait = Math.min(FAILURE_WINDOW_MS, 30_000 * 2 ** (row.failures - free));
  return Math.max(0, Math.ceil((row.lastAt + wait - now) / 1000));
}

/** One more failure for each key, counted in the database (one upsert per key: servers sharing it never lose a count). */
export async function recordSignInFailure(e: Engine, keys: string | readonly string[], now = Date.now()): Promise<void> {
  await e.transaction(async (tx) => {
    const { signInFailures } = tx.t;
    for (const key of typeof keys === "string" ? [keys] : keys) {
      await tx.db
        .insert(signInFailures)
        .values({ key, failures: 1, firstAt: now, lastAt: now })
        .onConflictDoUpdate({
          target: signInFailures.key,
          set: {
            failures: sql`case when ${now} - ${signInFailures.lastAt} > ${FAILURE_WINDOW_MS} then 1 else ${signInFailures.failures} + 1 end`,
            lastAt: now,
          },
        });
    }
  });
}

export async function clearSignInFailures(e: Engine, key: string): Promise<void> {
  await e.transaction(async (tx) => {
    await tx.db.delete(tx.t.signInFailures).where(eq(tx.t.signInFailures.key, key));
  });
}

// Device cookies (OWASP's "Slow Down Online Guessing Attacks with Device Cookies"): a
// successful sign-in leaves a signed, http-only cookie naming the account in that browser. A
// sign-in that presents a valid one for the account it tries is counted under that device
// only, so a stranger's failed guesses, which slow the account down for every client without
// one, never lock the owner's own browser out.

export const DEVICE_COOKIE = "ipr.device";
export const DEVICE_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;

/** A new device cookie's value for an account: its email and a random device id, signed with the auth secret. */
export async function newDeviceCookie(e: Engine, email: string): Promise<string> {
  const value = `${Buffer.from(normaliseEmail(email)).toString("base64url")}~${randomBytes(12).toString("base64url")}`;
  return signValue(value, await authSecret(e));
}

/** The device id of a valid device cookie for this email in the request's cookies, else null. */
export async function deviceOf(e: Engine, email: string, headers: Headers): Promise<string | null> {
  let secret: string | undefined;
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at < 0 || part.slice(0, at).trim() !== DEVICE_COOKIE) continue;
    let raw: string;
    try {
      raw = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      continue;
    }
    const value = verifySigned(raw, (secret ??= await authSecret(e)));
    const [who, device] = value?.split("~") ?? [];
    if (who && device && Buffer.from(who, "base64url").toString() === normaliseEmail(email)) return device;
  }
  return null;
}

/** The Set-Cookie header of a new device cookie (for a route handler's answer). */
export function deviceSetCookie(value: string): string {
  const secure = secureCookies() ? "; Secure" : "";
  return `${DEVICE_COOKIE}=${encodeURIComponent(value)}; Max-Age=${DEVICE_COOKIE_MAX_AGE}; Path=/; HttpOnly; SameSite=Lax${secure}`;
}

/**
 * The throttle keys of one sign-in attempt, with the failures each allows: the account (by
 * email address) — or, from a browser with a valid device cookie for it, that device — and
 * the client. The production server (scripts/serve.mjs) sets X-Forwarded-For to the one
 * address the request came from (the socket's peer, or what a trusted proxy appended), so a
 * client cannot choose its key; `next dev` passes the header on as sent.
 */
export async function signInKeys(e: Engine, email: string, headers: Headers): Promise<[string, number][]> {
  const client = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim() || "direct";
  const device = await deviceOf(e, email, headers);
  const account: [string, number] = device ? [`device:${device}`, SIGN_IN_FREE_FAILURES.email] : [`email:${normaliseEmail(email)}`, SIGN_IN_FREE_FAILURES.email];
  return [account, [`client:${client}`, SIGN_IN_FREE_FAILURES.client]];
}
