import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { and, eq, sql } from "drizzle-orm";
import type { Role } from "../lib/enums";
import type { Db } from "./sqlite/open";
import { accounts, appMeta, caseRightHolders, cases, customsOffices, rightHolders, sessions, rateLimits, signInFailures, users, verifications } from "./sqlite/schema";
import { isDemo } from "./bulk";
import { sqliteEngine } from "./engine";
import { authBaseUrl, authSecretFromEnv, secureCookies } from "../lib/env";
import { signValue, verifySigned } from "../lib/signed-cookie";

// Accounts and sessions, by better-auth with its drizzle adapter: password hashing (scrypt),
// session tokens and http-only cookies are the library's. There is no public sign-up:
// admins create accounts (here, from /admin/users and from `npm run user:create`).

export const MIN_PASSWORD_LENGTH = 10;
export const SESSION_DAYS = 7;

/** The secret that signs session cookies: BETTER_AUTH_SECRET, or one made once and kept in the database. */
export function authSecret(db: Db): string {
  const fromEnv = authSecretFromEnv();
  if (fromEnv) return fromEnv;
  const row = db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, "auth_secret")).get();
  if (row) return row.value;
  const value = randomBytes(32).toString("base64url");
  db.insert(appMeta).values({ key: "auth_secret", value }).onConflictDoNothing().run();
  return db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, "auth_secret")).get()!.value;
}

/** better-auth's log, less its start-up warning that no BETTER_AUTH_URL is set (each request's own origin is used then, on purpose). */
function quietAboutBaseURL(level: "debug" | "info" | "warn" | "error", message: string, ...args: unknown[]): void {
  if (level === "warn" && message.includes("Base URL is not set")) return;
  if (level === "debug") return;
  (level === "error" ? console.error : level === "warn" ? console.warn : console.log)(`[better-auth] ${message}`, ...args);
}

export function createAuth(db: Db) {
  return betterAuth({
    appName: "IP Border Enforcement Tracker",
    secret: authSecret(db),
    // the address the app is reached at: BETTER_AUTH_URL; without it, the origin each request
    // came to (a laptop, a test's random port). No wildcard: the trusted origins, which every
    // callbackURL / redirectTo must match, are the app's own and nothing else.
    baseURL: authBaseUrl(),
    logger: { log: quietAboutBaseURL },
    database: drizzleAdapter(db, {
      provider: "sqlite",
      schema: { user: users, session: sessions, account: accounts, verification: verifications, rateLimit: rateLimits },
    }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: 128,
    },
    session: { expiresIn: 60 * 60 * 24 * SESSION_DAYS, updateAge: 60 * 60 * 24 },
    user: {
      additionalFields: {
        role: { type: "string", required: true, defaultValue: "analyst", input: false },
        holderId: { type: "number", required: false, input: false },
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
export type Auth = ReturnType<typeof createAuth>;

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

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Checks an account before it is written; throws AccountError naming the field. */
export function checkAccount(db: Db, input: Omit<AccountInput, "password"> & { password?: string }, exceptUserId?: string): void {
  const email = normaliseEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new AccountError("email", `"${input.email}" is not an email address.`);
  const taken = db.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  if (taken && taken.id !== exceptUserId) throw new AccountError("email", `An account for ${email} exists already.`);
  if (!input.name.trim()) throw new AccountError("name", "A name is required.");
  if (input.role === "member") {
    if (input.holderId === null) throw new AccountError("holderId", "A member account needs the right holder it belongs to.");
    if (!db.select({ id: rightHolders.id }).from(rightHolders).where(eq(rightHolders.id, input.holderId)).get()) {
      throw new AccountError("holderId", `There is no right holder with id ${input.holderId}.`);
    }
  } else if (input.holderId !== null) {
    throw new AccountError("holderId", "Only member accounts belong to a right holder.");
  }
  if (input.password !== undefined && (input.password.length < MIN_PASSWORD_LENGTH || input.password.length > 128)) {
    throw new AccountError("password", `A password needs ${MIN_PASSWORD_LENGTH} to 128 characters.`);
  }
}

/**
 * Creates an account with a password (hashed by better-auth); returns its id. `inTransaction`
 * runs in the same transaction as the insert (an audit entry), so both or neither are written.
 */
export async function createAccount(db: Db, auth: Auth, input: AccountInput, inTransaction?: (userId: string) => void): Promise<string> {
  checkAccount(db, input);
  const ctx = await auth.$context;
  const hash = await ctx.password.hash(input.password);
  const now = new Date();
  const id = ctx.generateId({ model: "user" }) || randomBytes(16).toString("hex");
  db.$client.transaction(() => {
    db.insert(users)
      .values({ id, name: input.name.trim(), email: normaliseEmail(input.email), emailVerified: true, createdAt: now, updatedAt: now, role: input.role, holderId: input.role === "member" ? input.holderId : null })
      .run();
    db.insert(accounts)
      .values({ id: ctx.generateId({ model: "account" }) || randomBytes(16).toString("hex"), accountId: id, providerId: "credential", userId: id, password: hash, createdAt: now, updatedAt: now })
      .run();
    inTransaction?.(id);
  })();
  return id;
}

/** Sets a new password for an account (an admin's reset), ending its sessions. */
export async function setAccountPassword(db: Db, auth: Auth, userId: string, password: string): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > 128) {
    throw new AccountError("password", `A password needs ${MIN_PASSWORD_LENGTH} to 128 characters.`);
  }
  const hash = await (await auth.$context).password.hash(password);
  db.$client.transaction(() => {
    db.update(accounts).set({ password: hash, updatedAt: new Date() }).where(and(eq(accounts.userId, userId), eq(accounts.providerId, "credential"))).run();
    db.delete(sessions).where(eq(sessions.userId, userId)).run();
  })();
}

/** How a user is named in messages and history: their email, or the id when the account is gone. */
export function userLabels(db: Db, ids: (string | null)[]): Map<string, string> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (!wanted.length) return new Map();
  const rows = db.select({ id: users.id, email: users.email }).from(users).where(sql`${users.id} in ${wanted}`).all();
  return new Map(wanted.map((id) => [id, rows.find((r) => r.id === id)?.email ?? id]));
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
export function demoMemberHolder(db: Db): number | null {
  const row = db.get(sql`select l.right_holder_id as id from ${caseRightHolders} l
      join ${cases} c on c.id = l.case_id join ${customsOffices} o on o.id = c.office_id
      where c.deleted_at is null and c.seized_on between '2016-01-01' and '2017-06-07'
        and coalesce(o.district_id, o.id) = (select id from ${customsOffices} where code = '8600')
      group by l.right_holder_id order by count(*) desc, l.right_holder_id limit 1`) as { id: number } | undefined;
  return row?.id ?? null;
}

/** In a demo database, makes sure the three demo accounts exist (with the demo password). */
export async function ensureDemoAccounts(db: Db, auth: Auth = createAuth(db)): Promise<number> {
  if (!(await isDemo(sqliteEngine(db)))) return 0;
  let created = 0;
  for (const account of DEMO_ACCOUNTS) {
    if (db.select({ id: users.id }).from(users).where(eq(users.email, account.email)).get()) continue;
    const holderId = account.role === "member" ? demoMemberHolder(db) : null;
    if (account.role === "member" && holderId === null) continue;
    await createAccount(db, auth, { ...account, holderId, password: DEMO_PASSWORD });
    created++;
  }
  return created;
}

// ---- slowing down repeated failed sign-ins ----------------------------------------------

/** Failures allowed before sign-ins for an email address are slowed down (a client address gets more: offices share one). */
export const SIGN_IN_FREE_FAILURES = { email: 5, client: 20 } as const;
const FAILURE_WINDOW_MS = 15 * 60 * 1000;

/** Seconds to wait before another sign-in for this key is tried (0 when free). */
export function signInDelay(db: Db, key: string, free: number, now = Date.now()): number {
  const row = db.select().from(signInFailures).where(eq(signInFailures.key, key)).get();
  if (!row || now - row.lastAt > FAILURE_WINDOW_MS || row.failures < free) return 0;
  // at the limit: wait 30 s, then twice as long after each further failure, up to 15 minutes
  const wait = Math.min(FAILURE_WINDOW_MS, 30_000 * 2 ** (row.failures - free));
  return Math.max(0, Math.ceil((row.lastAt + wait - now) / 1000));
}

export function recordSignInFailure(db: Db, key: string, now = Date.now()): void {
  db.insert(signInFailures)
    .values({ key, failures: 1, firstAt: now, lastAt: now })
    .onConflictDoUpdate({
      target: signInFailures.key,
      set: {
        failures: sql`case when ${now} - ${signInFailures.lastAt} > ${FAILURE_WINDOW_MS} then 1 else ${signInFailures.failures} + 1 end`,
        lastAt: now,
      },
    })
    .run();
}

export function clearSignInFailures(db: Db, key: string): void {
  db.delete(signInFailures).where(eq(signInFailures.key, key)).run();
}

// Device cookies (OWASP's "Slow Down Online Guessing Attacks with Device Cookies"): a
// successful sign-in leaves a signed, http-only cookie naming the account in that browser. A
// sign-in that presents a valid one for the account it tries is counted under that device
// only, so a stranger's failed guesses, which slow the account down for every client without
// one, never lock the owner's own browser out.

export const DEVICE_COOKIE = "ipr.device";
export const DEVICE_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;

/** A new device cookie's value for an account: its email and a random device id, signed with the auth secret. */
export function newDeviceCookie(db: Db, email: string): string {
  const value = `${Buffer.from(normaliseEmail(email)).toString("base64url")}~${randomBytes(12).toString("base64url")}`;
  return signValue(value, authSecret(db));
}

/** The device id of a valid device cookie for this email in the request's cookies, else null. */
export function deviceOf(db: Db, email: string, headers: Headers): string | null {
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at < 0 || part.slice(0, at).trim() !== DEVICE_COOKIE) continue;
    let raw: string;
    try {
      raw = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      continue;
    }
    const value = verifySigned(raw, authSecret(db));
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
export function signInKeys(db: Db, email: string, headers: Headers): [string, number][] {
  const client = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim() || "direct";
  const device = deviceOf(db, email, headers);
  const account: [string, number] = device ? [`device:${device}`, SIGN_IN_FREE_FAILURES.email] : [`email:${normaliseEmail(email)}`, SIGN_IN_FREE_FAILURES.email];
  return [account, [`client:${client}`, SIGN_IN_FREE_FAILURES.client]];
}
