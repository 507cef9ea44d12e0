import { spawnSync } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AccountError, authSecret, clearSignInFailures, createAccount, createAuth, DEMO_ACCOUNTS, DEMO_PASSWORD, demoMemberHolder, deviceOf, ensureDemoAccounts,
  newDeviceCookie, recordSignInFailure, setAccountPassword, signInDelay, signInKeys, SIGN_IN_FREE_FAILURES, userLabels, type Auth,
} from "../../db/auth";
import { DEMO_META_KEY } from "../../db/bulk";
import { type Engine } from "../../db/engine";
import { ReferenceFieldError, auditAccountCreated, auditPasswordReset, deleteAccount, updateAccount } from "../../db/mutations/reference";
import { closeEngine, openEngine } from "../../db/open";
import { caseFormChoices, caseNumberOf, historyNames, listDeletedCases } from "../../db/queries/admin";
import {
  adminCounts, districtOptions, getAccount, getHolderForAdmin, getOfficeForAdmin, holderOptions, listAccounts, listHoldersForAdmin, listOfficesForAdmin,
  templateReferences,
} from "../../db/queries/admin-reference";
import { auditFilterOptions, auditNames, listAuditEntries } from "../../db/queries/audit";
import { channels, directions, goodsCategories, infringementTypes, protectionModes, transports, caseStatuses } from "../../lib/enums";
import { ROOT, TSX } from "../support/db";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";

// Accounts and sessions on both engines, each database served by two "servers" (two engines
// over it: two connections to one SQLite file, two pools to one PostgreSQL database), as
// WEB_CONCURRENCY or several machines serve one: a session made through one is valid on the
// other, a reset or a deletion ends it everywhere, the sign-in throttle and better-auth's rate
// limit count on both. Then the admin's account writes with their audit entries, the admin
// lists and the audit log page.

const PASSWORD = "a-long-password";

/** The Cookie header a browser would send back after this answer's Set-Cookie. */
function cookieOf(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .filter((c) => !c.endsWith("="))
    .join("; ");
}

async function signIn(auth: Auth, email: string, password: string): Promise<string> {
  const { headers } = await auth.api.signInEmail({ body: { email, password }, headers: new Headers(), returnHeaders: true });
  const cookie = cookieOf(headers);
  expect(cookie).toMatch(/session_token=/);
  return cookie;
}

async function sessionUser(auth: Auth, cookie: string): Promise<Record<string, unknown> | null> {
  const session = await auth.api.getSession({ headers: new Headers({ cookie }) });
  return (session?.user as Record<string, unknown> | undefined) ?? null;
}

/**
 * Runs the works "at the same moment" on two servers. On PostgreSQL they run together (two pools).
 * On SQLite one after the other: two connections of one thread cannot wait for each other's
 * write lock (the busy handler would sleep the thread that holds it), while two server
 * processes can, so the file's lock serialises them as it does here.
 */
async function together<T>(dialect: string, works: (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
  if (dialect === "postgres") return Promise.allSettled(works.map((work) => work()));
  const results: PromiseSettledResult<T>[] = [];
  for (const work of works) {
    try {
      results.push({ status: "fulfilled", value: await work() });
    } catch (reason) {
      results.push({ status: "rejected", reason });
    }
  }
  return results;
}

const valuesOf = <T>(results: PromiseSettledResult<T>[]): T[] =>
  results.map((r) => {
    if (r.status === "rejected") throw r.reason;
    return r.value;
  });

async function refusal(work: () => Promise<unknown>): Promise<Error> {
  try {
    await work();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a refusal");
}

/** The office, holders and cases the lists and the demo member count (Kunming: 8600, a district, and 8601 under it). */
async function fillReference(e: Engine): Promise<{ kunming: number; sub: number; other: number; acme: number; brio: number; cato: number; campaign: number; cases: number[] }> {
  return e.transaction(async (tx) => {
    const { customsOffices, rightHolders, campaigns, cases, caseRightHolders } = tx.t;
    const [kunming] = await tx.db.insert(customsOffices).values({ code: "8600", nameEn: "Kunming Customs", nameZh: "昆明海关", province: "Yunnan" }).returning({ id: customsOffices.id });
    const [other] = await tx.db.insert(customsOffices).values({ code: "0100", nameEn: "Beijing Customs", nameZh: "北京海关", province: "Beijing" }).returning({ id: customsOffices.id });
    const [sub] = await tx.db
      .insert(customsOffices)
      .values({ code: "8601", nameEn: "Kunming Airport Customs", nameZh: "昆明机场海关", province: "Yunnan", districtId: kunming!.id })
      .returning({ id: customsOffices.id });
    const holders = await tx.db
      .insert(rightHolders)
      .values([
        { name: "Acme 100% Ltd", nameZh: "艾克米", country: "US", industry: "luxury" },
        { name: "Brio", nameZh: null, country: "DE", industry: "luxury" },
        { name: "Cato", nameZh: "卡托", country: "FR", industry: "luxury" },
      ])
      .returning({ id: rightHolders.id, name: rightHolders.name });
    const id = (name: string) => holders.find((h) => h.name === name)!.id;
    const [campaign] = await tx.db
      .insert(campaigns)
      .values({ code: "LONGHU", nameEn: "Dragon Tiger", nameZh: "龙虎", startsOn: "2016-01-01", endsOn: null })
      .returning({ id: campaigns.id });
    const now = new Date();
    const base = {
      infringementType: infringementTypes.values[0], goodsCategory: goodsCategories.values[0], goodsDescription: "bags", pieces: 3, valueFen: 1000,
      direction: directions.values[0], channel: channels.values[0], transport: transports.values[0], protectionMode: protectionModes.values[0],
      status: caseStatuses.values[0], createdAt: now, updatedAt: now,
    };
    // in Kunming's published period: Brio in three cases (one at the subordinate office), Acme in two; a deleted one and
    // one outside the period for Acme do not count
    const rows = await tx.db
      .insert(cases)
      .values([
        { ...base, caseNo: "K-1", officeId: kunming!.id, seizedOn: "2016-03-01" },
        { ...base, caseNo: "K-2", officeId: sub!.id, seizedOn: "2016-07-01" },
        { ...base, caseNo: "K-3", officeId: kunming!.id, seizedOn: "2017-06-07" },
        { ...base, caseNo: "K-4", officeId: kunming!.id, seizedOn: "2018-01-01" },
        { ...base, caseNo: "K-5", officeId: kunming!.id, seizedOn: "2016-05-05", deletedAt: new Date(now.getTime() - 1000), updatedBy: "someone" },
        { ...base, caseNo: "B-1", officeId: other!.id, seizedOn: "2016-05-05" },
      ])
      .returning({ id: cases.id, caseNo: cases.caseNo });
    const c = (no: string) => rows.find((r) => r.caseNo === no)!.id;
    await tx.db.insert(caseRightHolders).values([
      { caseId: c("K-1"), rightHolderId: id("Brio") },
      { caseId: c("K-1"), rightHolderId: id("Acme 100% Ltd") },
      { caseId: c("K-2"), rightHolderId: id("Brio") },
      { caseId: c("K-3"), rightHolderId: id("Brio") },
      { caseId: c("K-3"), rightHolderId: id("Acme 100% Ltd") },
      { caseId: c("K-4"), rightHolderId: id("Acme 100% Ltd") },
      { caseId: c("K-4"), rightHolderId: id("Cato") },
      { caseId: c("K-5"), rightHolderId: id("Acme 100% Ltd") },
      { caseId: c("K-5"), rightHolderId: id("Cato") },
      { caseId: c("B-1"), rightHolderId: id("Acme 100% Ltd") },
    ]);
    return {
      kunming: kunming!.id, sub: sub!.id, other: other!.id, acme: id("Acme 100% Ltd"), brio: id("Brio"), cato: id("Cato"), campaign: campaign!.id,
      cases: rows.map((r) => r.id),
    };
  });
}

describe.each(ENGINES)("accounts on %s", (dialect) => {
  let fresh: FreshEngine;
  /** two servers over one database */
  let e: Engine;
  let other: Engine;
  let auth: Auth;
  let otherAuth: Auth;
  let secrets: string[];
  let ref: Awaited<ReturnType<typeof fillReference>>;
  let adminId: string;
  let analystId: string;
  let memberId: string;
  const count = async (table: string, where = sql`true`) =>
    Number((await e.get<{ n: number }>(sql`select count(*) as n from ${sql.identifier(table)} where ${where}`))!.n);

  beforeAll(async () => {
    fresh = await freshEngine(dialect, "accounts");
    e = fresh.e;
    other = openEngine(fresh.url);
    // both servers start at once on a database without a secret: one is made, both use it
    secrets = valuesOf(await together(dialect, [() => authSecret(e), () => authSecret(other)]));
    auth = await createAuth(e);
    otherAuth = await createAuth(other);
    ref = await fillReference(e);
  });
  afterAll(async () => {
    await closeEngine(other);
    await fresh.close();
  });

  describe("accounts and sessions", () => {
    it("keeps one secret in the database for every server", async () => {
      expect(secrets[0]).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(secrets[1]).toBe(secrets[0]);
      expect(await count("app_meta", sql`key = 'auth_secret'`)).toBe(1);
    });

    it("creates accounts of each role, with their audit entry in the same transaction", async () => {
      adminId = await createAccount(e, auth, { email: "Boss@Example.test ", name: " Boss ", role: "admin", holderId: null, password: PASSWORD });
      analystId = await createAccount(other, otherAuth, { email: "analyst@example.test", name: "Analyst", role: "analyst", holderId: null, password: PASSWORD }, (tx, id) =>
        auditAccountCreated(tx, id, adminId),
      );
      memberId = await createAccount(e, auth, { email: "member@example.test", name: "Member", role: "member", holderId: ref.brio, password: PASSWORD });
      expect(await getAccount(e, adminId)).toMatchObject({ email: "boss@example.test", name: "Boss", role: "admin", holderId: null, holderName: null });
      expect(await getAccount(other, memberId)).toMatchObject({ role: "member", holderId: ref.brio, holderName: "Brio" });
      expect(await getAccount(e, "no-such-account")).toBeNull();
      const entry = (await listAuditEntries(e, { entity: "user", action: "create" })).rows;
      expect(entry).toHaveLength(1);
      expect(entry[0]).toMatchObject({ userId: adminId, userLabel: "boss@example.test", after: { id: analystId, email: "analyst@example.test", role: "analyst", holderId: null } });
      // the password is better-auth's hash, never the password
      const stored = await e.get<{ password: string }>(sql`select password from ${e.t.accounts} where user_id = ${adminId}`);
      expect(stored!.password).not.toContain(PASSWORD);
    });

    it("refuses bad accounts naming the field, and writes nothing of a refused or failed one", async () => {
      const users = await count("user");
      const cases: [Parameters<typeof createAccount>[2], string, RegExp][] = [
        [{ email: "BOSS@example.test", name: "X", role: "analyst", holderId: null, password: PASSWORD }, "email", /exists already/],
        [{ email: "not-an-email", name: "X", role: "analyst", holderId: null, password: PASSWORD }, "email", /not an email address/],
        [{ email: "x@example.test", name: " ", role: "analyst", holderId: null, password: PASSWORD }, "name", /name is required/],
        [{ email: "x@example.test", name: "X", role: "member", holderId: null, password: PASSWORD }, "holderId", /needs the right holder/],
        [{ email: "x@example.test", name: "X", role: "member", holderId: 999_999, password: PASSWORD }, "holderId", /no right holder with id 999999/],
        [{ email: "x@example.test", name: "X", role: "member", holderId: 2 ** 40, password: PASSWORD }, "holderId", /no right holder/],
        [{ email: "x@example.test", name: "X", role: "analyst", holderId: ref.brio, password: PASSWORD }, "holderId", /Only member accounts/],
        [{ email: "x@example.test", name: "X", role: "analyst", holderId: null, password: "short" }, "password", /10 to 128 characters/],
      ];
      for (const [input, field, message] of cases) {
        const error = await refusal(() => createAccount(e, auth, input));
        expect(error).toBeInstanceOf(AccountError);
        expect((error as AccountError).field).toBe(field);
        expect(error.message).toMatch(message);
      }
      // the audit entry fails: the account is not written either
      await expect(
        createAccount(e, auth, { email: "half@example.test", name: "Half", role: "analyst", holderId: null, password: PASSWORD }, async () => {
          throw new Error("audit failed");
        }),
      ).rejects.toThrow("audit failed");
      expect(await count("user")).toBe(users);
      expect(await count("account", sql`user_id not in (select id from ${e.t.users})`)).toBe(0);
    });

    it("of two servers creating the same account at once, one creates it and the other says it exists", async () => {
      const input = { email: "twice@example.test", name: "Twice", role: "analyst", holderId: null, password: PASSWORD } as const;
      const results = await together(dialect, [() => createAccount(e, auth, input), () => createAccount(other, otherAuth, input)]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(AccountError);
      expect((rejected.reason as AccountError).field).toBe("email");
      expect(await count("user", sql`email = 'twice@example.test'`)).toBe(1);
      expect(await count("account", sql`user_id in (select id from ${e.t.users} where email = 'twice@example.test')`)).toBe(1);
    });

    it("signs in through better-auth on one server; the other server reads the session, with the member's role and company", async () => {
      const cookie = await signIn(auth, "member@example.test", PASSWORD);
      const user = await sessionUser(otherAuth, cookie);
      expect(user).toMatchObject({ id: memberId, email: "member@example.test", role: "member", holderId: ref.brio });
      expect(typeof user!.holderId).toBe("number");
      const analyst = await sessionUser(auth, await signIn(otherAuth, "analyst@example.test", PASSWORD));
      expect(analyst).toMatchObject({ id: analystId, role: "analyst" });
      expect(analyst!.holderId ?? null).toBeNull();
      // a wrong password or an unknown address makes no session
      await expect(auth.api.signInEmail({ body: { email: "member@example.test", password: "wrong-password" }, headers: new Headers() })).rejects.toMatchObject({ statusCode: 401 });
      await expect(otherAuth.api.signInEmail({ body: { email: "nobody@example.test", password: PASSWORD }, headers: new Headers() })).rejects.toMatchObject({ statusCode: 401 });
      // a forged cookie is no session anywhere
      expect(await sessionUser(otherAuth, cookie.replace(/session_token=[^.]+/, "session_token=forged"))).toBeNull();
    });

    it("an admin's password reset ends the account's sessions on every server; the new password works, the old one not", async () => {
      const cookie = await signIn(auth, "analyst@example.test", PASSWORD);
      expect(await sessionUser(otherAuth, cookie)).not.toBeNull();
      await setAccountPassword(other, otherAuth, analystId, "a-new-long-password", (tx) => auditPasswordReset(tx, analystId, adminId));
      expect(await sessionUser(auth, cookie)).toBeNull();
      expect(await sessionUser(otherAuth, cookie)).toBeNull();
      expect(await count("session", sql`user_id = ${analystId}`)).toBe(0);
      await expect(auth.api.signInEmail({ body: { email: "analyst@example.test", password: PASSWORD }, headers: new Headers() })).rejects.toMatchObject({ statusCode: 401 });
      expect(await sessionUser(otherAuth, await signIn(auth, "analyst@example.test", "a-new-long-password"))).toMatchObject({ id: analystId });
      const entry = (await listAuditEntries(e, { entity: "user", action: "update" })).rows[0]!;
      expect(entry).toMatchObject({ userId: adminId, before: { id: analystId, email: "analyst@example.test" }, after: { id: analystId, password: "reset" } });
      expect(JSON.stringify(entry.after)).not.toContain("a-new-long-password");
    });

    it("refuses a reset with a short password or for an account that is gone, changing nothing", async () => {
      const entries = await count("audit_log");
      const error = await refusal(() => setAccountPassword(e, auth, analystId, "short"));
      expect(error).toBeInstanceOf(AccountError);
      expect((error as AccountError).field).toBe("password");
      const gone = await refusal(() => setAccountPassword(e, auth, "no-such-account", "another-long-password", (tx) => auditPasswordReset(tx, "no-such-account", adminId)));
      expect(gone).toBeInstanceOf(ReferenceFieldError);
      expect((gone as ReferenceFieldError).code).toBe("not_found");
      expect(await count("audit_log")).toBe(entries);
      expect(await sessionUser(otherAuth, await signIn(otherAuth, "analyst@example.test", "a-new-long-password"))).toMatchObject({ id: analystId });
    });

    it("changes a role and company, seen by the sessions of every server; a member needs a right holder; an admin cannot demote themself", async () => {
      const cookie = await signIn(auth, "analyst@example.test", "a-new-long-password");
      const needs = await refusal(() => updateAccount(e, analystId, { name: "Analyst", role: "member", holderId: null }, adminId));
      expect(needs).toBeInstanceOf(AccountError);
      expect(await updateAccount(other, analystId, { name: "Analyst", role: "member", holderId: ref.cato }, adminId)).toEqual({ changed: true });
      expect(await updateAccount(e, analystId, { name: "Analyst", role: "member", holderId: ref.cato }, adminId)).toEqual({ changed: false });
      expect(await sessionUser(auth, cookie)).toMatchObject({ role: "member", holderId: ref.cato });
      const entry = (await listAuditEntries(e, { entity: "user", action: "update" })).rows[0]!;
      expect(entry.before).toEqual({ id: analystId, email: "analyst@example.test", role: "analyst", holderId: null });
      expect(entry.after).toEqual({ id: analystId, email: "analyst@example.test", role: "member", holderId: ref.cato });
      const demote = await refusal(() => updateAccount(e, adminId, { name: "Boss", role: "analyst", holderId: null }, adminId));
      expect((demote as ReferenceFieldError).code).toBe("self_demote");
      expect((await getAccount(e, adminId))!.role).toBe("admin");
      expect(await updateAccount(e, analystId, { name: "Analyst", role: "analyst", holderId: null }, adminId)).toEqual({ changed: true });
    });

    it("deleting an account ends its sessions on every server and removes its password, with an audit entry that names it", async () => {
      const cookies = [await signIn(auth, "analyst@example.test", "a-new-long-password"), await signIn(otherAuth, "analyst@example.test", "a-new-long-password")];
      for (const cookie of cookies) expect(await sessionUser(otherAuth, cookie)).not.toBeNull();
      expect((await refusal(() => deleteAccount(e, adminId, adminId)) as ReferenceFieldError).code).toBe("self_delete");
      expect(await deleteAccount(e, analystId, adminId)).toEqual({ email: "analyst@example.test" });
      for (const cookie of cookies) {
        expect(await sessionUser(auth, cookie)).toBeNull();
        expect(await sessionUser(otherAuth, cookie)).toBeNull();
      }
      expect(await count("session", sql`user_id = ${analystId}`)).toBe(0);
      expect(await count("account", sql`user_id = ${analystId}`)).toBe(0);
      const entry = (await listAuditEntries(other, { entity: "user", action: "delete" })).rows[0]!;
      expect(entry).toMatchObject({ userLabel: "boss@example.test", before: { id: analystId, email: "analyst@example.test", role: "analyst" }, after: null });
      // every entry of the account carries the same number
      const ids = new Set((await listAuditEntries(e, { entity: "user" })).rows.filter((r) => (r.before ?? r.after) && JSON.stringify(r.before ?? r.after).includes(analystId)).map((r) => r.entityId));
      expect(ids.size).toBe(1);
      expect((await refusal(() => deleteAccount(e, analystId, adminId)) as ReferenceFieldError).code).toBe("not_found");
      await expect(otherAuth.api.signInEmail({ body: { email: "analyst@example.test", password: "a-new-long-password" }, headers: new Headers() })).rejects.toMatchObject({ statusCode: 401 });
    });

    it("npm run user:create makes an account in the database DATABASE_URL names, and it signs in on a server", async () => {
      const holder = String(ref.cato);
      const run = (...args: string[]) =>
        spawnSync(TSX, [path.join(ROOT, "scripts/user-create.ts"), ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: fresh.url }, encoding: "utf8", timeout: 60_000 });
      const made = run("--email", "Cli.Member@Example.test", "--role", "member", "--holder", holder, "--password", "cli-long-password");
      expect(made.stderr).toBe("");
      expect(made.stdout).toMatch(/^Created member account cli\.member@example\.test\.$/m);
      expect(made.status).toBe(0);
      expect(await sessionUser(otherAuth, await signIn(auth, "cli.member@example.test", "cli-long-password"))).toMatchObject({ role: "member", holderId: ref.cato });
      const again = run("--email", "cli.member@example.test", "--role", "analyst");
      expect(again.status).toBe(1);
      expect(again.stderr.trim()).toBe("user:create: An account for cli.member@example.test exists already.");
      await e.transaction(async (tx) => {
        await tx.db.delete(tx.t.users).where(sql`email = 'cli.member@example.test'`);
      });
    });

    it("names users by email, or by id when the account is gone", async () => {
      const labels = await userLabels(other, [adminId, null, analystId, adminId]);
      expect([...labels]).toEqual([[adminId, "boss@example.test"], [analystId, analystId]]);
      expect((await userLabels(e, [null])).size).toBe(0);
    });
  });

  describe("sign-in throttling and rate limits, counted in the database", () => {
    it("counts failures of one key on both servers, even at the same moment, and slows it down after the free ones", async () => {
      const key = "email:target@example.test";
      const now = Date.now();
      valuesOf(await together(dialect, Array.from({ length: SIGN_IN_FREE_FAILURES.email }, (_, i) => () => recordSignInFailure(i % 2 ? e : other, key, now))));
      expect(await e.get(sql`select failures from ${e.t.signInFailures} where key = ${key}`)).toEqual({ failures: SIGN_IN_FREE_FAILURES.email });
      // at the limit: 30 s on both servers, then twice as long after one more failure
      expect(await signInDelay(e, key, SIGN_IN_FREE_FAILURES.email, now)).toBe(30);
      expect(await signInDelay(other, key, SIGN_IN_FREE_FAILURES.email, now)).toBe(30);
      await recordSignInFailure(other, [key, "client:198.51.100.7"], now);
      expect(await signInDelay(e, key, SIGN_IN_FREE_FAILURES.email, now)).toBe(60);
      expect(await signInDelay(e, "client:198.51.100.7", SIGN_IN_FREE_FAILURES.client, now)).toBe(0);
      // a success on one server forgets the account's failures for both
      await clearSignInFailures(e, key);
      expect(await signInDelay(other, key, SIGN_IN_FREE_FAILURES.email, now)).toBe(0);
    });

    it("starts counting afresh after 15 quiet minutes", async () => {
      const key = "email:later@example.test";
      const then = Date.now() - 16 * 60 * 1000;
      for (let i = 0; i < 7; i++) await recordSignInFailure(e, key, then);
      expect(await signInDelay(other, key, SIGN_IN_FREE_FAILURES.email, then)).toBeGreaterThan(0);
      expect(await signInDelay(other, key, SIGN_IN_FREE_FAILURES.email)).toBe(0);
      await recordSignInFailure(other, key);
      expect(await e.get(sql`select failures from ${e.t.signInFailures} where key = ${key}`)).toEqual({ failures: 1 });
    });

    it("a device cookie made by one server is valid on the other", async () => {
      const value = await newDeviceCookie(e, "member@example.test");
      const headers = new Headers({ cookie: `ipr.device=${encodeURIComponent(value)}`, "x-forwarded-for": "203.0.113.9" });
      const device = await deviceOf(other, "member@example.test", headers);
      expect(device).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(await signInKeys(other, "member@example.test", headers)).toEqual([[`device:${device}`, SIGN_IN_FREE_FAILURES.email], ["client:203.0.113.9", SIGN_IN_FREE_FAILURES.client]]);
    });

    it("better-auth's rate limit counts a client's requests to both servers in one row", async () => {
      const request = () => new Request("http://localhost/api/auth/get-session", { headers: { "x-forwarded-for": "192.0.2.44" } });
      // the first request of each server at once: one creates the row, the other counts in it
      const answers = valuesOf(await together(dialect, [auth, otherAuth, auth, otherAuth, otherAuth, auth].map((server) => () => server.handler(request()))));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const rows = await e.all<{ key: string; count: number }>(sql`select key, count from ${e.t.rateLimits} where key like ${"%192.0.2.44%"}`);
      expect(rows).toHaveLength(1);
      expect(Number(rows[0]!.count)).toBe(6);
    });
  });

  describe("demo accounts", () => {
    it("are made only in a demo database: three, the member working for the holder of most of Kunming's published cases", async () => {
      expect(await ensureDemoAccounts(e, auth)).toBe(0);
      expect(await demoMemberHolder(e)).toBe(ref.brio);
      await e.transaction(async (tx) => {
        await tx.db.insert(tx.t.appMeta).values({ key: DEMO_META_KEY, value: "{}" });
      });
      // two servers starting at once make them once
      const made = valuesOf(await together(dialect, [() => ensureDemoAccounts(e, auth), () => ensureDemoAccounts(other)]));
      expect(made.reduce((a, b) => a + b, 0)).toBe(3);
      expect(await ensureDemoAccounts(e, auth)).toBe(0);
      for (const account of DEMO_ACCOUNTS) expect(await count("user", sql`email = ${account.email}`)).toBe(1);
      const member = await sessionUser(otherAuth, await signIn(auth, "member@demo.test", DEMO_PASSWORD));
      expect(member).toMatchObject({ role: "member", holderId: ref.brio });
    });
  });

  describe("admin lists", () => {
    it("lists accounts by email with their companies", async () => {
      const accounts = await listAccounts(other);
      expect(accounts.map((a) => a.email)).toEqual([...accounts.map((a) => a.email)].sort());
      expect(accounts.find((a) => a.id === memberId)).toMatchObject({ role: "member", holderId: ref.brio, holderName: "Brio", holderNameZh: null });
      expect(typeof accounts[0]!.createdAt).toBe("number");
    });

    it("lists right holders with live cases and members, matching a name in any letter case, wildcards literal", async () => {
      const all = await listHoldersForAdmin(e);
      expect(all.map((h) => h.name)).toEqual(["Acme 100% Ltd", "Brio", "Cato"]);
      // live cases: K-5 is deleted
      expect(all.map((h) => [h.name, h.cases, h.members])).toEqual([
        ["Acme 100% Ltd", 4, 0],
        ["Brio", 3, 2],
        ["Cato", 1, 0],
      ]);
      expect((await listHoldersForAdmin(other, "acme")).map((h) => h.name)).toEqual(["Acme 100% Ltd"]);
      expect((await listHoldersForAdmin(e, "100%")).map((h) => h.name)).toEqual(["Acme 100% Ltd"]);
      expect((await listHoldersForAdmin(e, "%")).map((h) => h.name)).toEqual(["Acme 100% Ltd"]);
      expect((await listHoldersForAdmin(e, "_")).map((h) => h.name)).toEqual([]);
      expect((await listHoldersForAdmin(e, "卡托")).map((h) => h.name)).toEqual(["Cato"]);
      expect(await getHolderForAdmin(other, ref.cato)).toMatchObject({ name: "Cato", cases: 1, foreignInvested: false, qbpcMember: false });
      expect(await getHolderForAdmin(e, 0)).toBeNull();
      expect((await holderOptions(e)).map((h) => h.name)).toEqual(["Acme 100% Ltd", "Brio", "Cato"]);
    });

    it("lists offices under their districts with live cases, and one office with all its cases", async () => {
      const districts = await listOfficesForAdmin(e);
      expect(districts.map((d) => [d.code, d.cases, d.subordinates.map((s) => [s.code, s.cases])])).toEqual([
        ["0100", 1, []],
        ["8600", 3, [["8601", 1]]],
      ]);
      expect((await districtOptions(other)).map((d) => d.code)).toEqual(["0100", "8600"]);
      // live and deleted
      expect(await getOfficeForAdmin(other, ref.kunming)).toMatchObject({ code: "8600", districtId: null, cases: 4 });
      expect(await getOfficeForAdmin(e, ref.sub)).toMatchObject({ code: "8601", districtId: ref.kunming, cases: 1 });
      expect(await getOfficeForAdmin(e, 2 ** 40)).toBeNull();
      expect(await templateReferences(e)).toEqual({
        office: { code: "8601", nameEn: "Kunming Airport Customs", nameZh: "昆明机场海关", districtCode: "8600", districtNameEn: "Kunming Customs", districtNameZh: "昆明海关" },
        holder: "Acme 100% Ltd",
      });
    });

    it("counts what each admin page holds", async () => {
      expect(await adminCounts(other)).toEqual({
        accounts: await count("user"),
        holders: 3,
        offices: 3,
        audit: await count("audit_log"),
        deleted: 1,
      });
    });

    it("gives the case form's choices, history names and the deleted cases", async () => {
      const choices = await caseFormChoices(e);
      expect(choices.districts.map((d) => [d.code, d.offices.map((o) => o.code)])).toEqual([
        ["0100", []],
        ["8600", ["8601"]],
      ]);
      expect(choices.campaigns).toEqual([{ id: ref.campaign, code: "LONGHU", nameEn: "Dragon Tiger", nameZh: "龙虎", startsOn: "2016-01-01", endsOn: null }]);
      expect(choices.holders.map((h) => h.name)).toEqual(["Acme 100% Ltd", "Brio", "Cato"]);
      const names = await historyNames(other, { offices: [ref.sub, ref.sub, 999_999], holders: [ref.cato, Number.NaN], campaigns: [ref.campaign] });
      expect([...names.offices.keys()]).toEqual([ref.sub]);
      expect(names.holders.get(ref.cato)).toMatchObject({ name: "Cato", nameZh: "卡托" });
      expect(names.campaigns.get(ref.campaign)).toMatchObject({ nameEn: "Dragon Tiger" });
      const deleted = await listDeletedCases(e);
      expect(deleted.total).toBe(1);
      expect(deleted.rows).toEqual([
        expect.objectContaining({ caseNo: "K-5", seizedOn: "2016-05-05", deletedBy: "someone", office: { code: "8600", nameEn: "Kunming Customs", nameZh: "昆明海关" }, district: { code: "8600", nameEn: "Kunming Customs", nameZh: "昆明海关" } }),
      ]);
      expect(typeof deleted.rows[0]!.deletedAt).toBe("number");
      const deletedId = deleted.rows[0]!.id;
      expect(await caseNumberOf(e, deletedId, "deleted")).toBe("K-5");
      expect(await caseNumberOf(other, deletedId, "live")).toBeNull();
      expect(await caseNumberOf(e, ref.cases[0]!, "live")).toBe("K-1");
      expect(await caseNumberOf(e, 2 ** 40, "live")).toBeNull();
    });
  });

  describe("the audit log page", () => {
    beforeAll(async () => {
      // entries of other kinds, as the writers record them: a case edit on a day in 2020, an office and a holder today
      await e.transaction(async (tx) => {
        await tx.db.insert(tx.t.auditLog).values([
          { at: new Date("2020-02-29T15:30:00Z"), userId: adminId, action: "update", entity: "case", entityId: ref.cases[0]!, before: { officeId: ref.kunming }, after: { officeId: ref.sub, rightHolderIds: [ref.cato] } },
          { at: new Date(), userId: memberId, action: "create", entity: "customs_office", entityId: ref.sub, before: null, after: { code: "8601", districtId: ref.kunming } },
          { at: new Date(), userId: null, action: "update", entity: "right_holder", entityId: ref.brio, before: { campaignId: ref.campaign, holderId: ref.acme }, after: {} },
        ]);
      });
    });

    it("pages newest first and filters by user, action, entity and China-time days", async () => {
      const everything = await listAuditEntries(e, {}, 1, 3);
      const total = await count("audit_log");
      expect(everything.total).toBe(total);
      expect(everything.pageCount).toBe(Math.ceil(total / 3));
      const ats = everything.rows.map((r) => r.at);
      expect([...ats].sort((a, b) => b - a)).toEqual(ats);
      // a page past the end is the last page
      const last = await listAuditEntries(other, {}, 99, 3);
      expect(last.page).toBe(everything.pageCount);
      expect(last.rows.at(-1)).toMatchObject({ entity: "case", caseNo: "K-1", userLabel: "boss@example.test" });
      expect((await listAuditEntries(e, { userId: memberId })).rows).toEqual([expect.objectContaining({ entity: "customs_office", officeCode: "8601", userLabel: "member@example.test" })]);
      expect((await listAuditEntries(e, { entity: "right_holder" })).rows).toEqual([expect.objectContaining({ holderName: "Brio", userId: null, userLabel: null })]);
      // 2020-02-29 15:30 UTC is 23:30 on the 29th in China
      expect((await listAuditEntries(e, { from: "2020-02-29", to: "2020-02-29" })).total).toBe(1);
      expect((await listAuditEntries(e, { from: "2020-03-01", to: "2020-12-31" })).total).toBe(0);
      const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
      expect((await listAuditEntries(other, { from: today })).total).toBe(total - 1);
      expect((await listAuditEntries(e, { to: "2000-01-01" })).total).toBe(0);
    });

    it("offers every account and the kinds of record in the log, and names what entries refer to", async () => {
      const options = await auditFilterOptions(other);
      expect(options.accounts.map((a) => a.email)).toEqual([...options.accounts.map((a) => a.email)].sort());
      expect(options.accounts.map((a) => a.id)).toContain(adminId);
      expect(options.entities).toEqual(["case", "customs_office", "right_holder", "user"]);
      const names = await auditNames(e, (await listAuditEntries(e, {})).rows);
      expect([...names.offices.keys()].sort()).toEqual([ref.kunming, ref.sub].sort());
      expect(names.offices.get(ref.sub)).toEqual({ code: "8601", nameEn: "Kunming Airport Customs", nameZh: "昆明机场海关" });
      expect([...names.holders.keys()].sort()).toEqual([ref.acme, ref.cato].sort());
      expect(names.campaigns.get(ref.campaign)).toEqual({ nameEn: "Dragon Tiger", nameZh: "龙虎" });
    });
  });
});
