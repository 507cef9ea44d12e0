import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  INVITATION_DAYS, InvitationNotFoundError, inviteAccount, listOpenInvitations, resendInvitation, resetKeys, resetLinkState, resetRequestAllowed, setUserLocale,
} from "../../db/account-mail";
import { AccountError, createAccount, createAuth, type Auth } from "../../db/auth";
import type { Engine } from "../../db/engine";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";

// The account e-mails on both engines, through better-auth itself: a reset request mails a
// link on APP_URL (never the request's Host) in the account's language, answers alike for an
// unknown address, and is throttled per address and per client; the link works once, within
// the hour, and ends the account's sessions. Invitations: an account without a password, a
// 7-day link in the invitee's language, a resend voids the old link, accepting ends the
// invitation, and pending and expired ones are listed.

const PASSWORD = "a-long-password";
const APP = "https://ipr.example.cn";

function tokenOf(text: string): string {
  const m = /\/login\/reset\?token=([A-Za-z0-9_-]+)/.exec(text);
  if (!m) throw new Error(`no reset link in: ${text}`);
  return m[1]!;
}

async function mails(e: Engine) {
  return e.db.select().from(e.t.outbox).orderBy(e.t.outbox.id);
}

async function signIn(auth: Auth, email: string, password: string): Promise<string> {
  const { headers } = await auth.api.signInEmail({ body: { email, password }, headers: new Headers(), returnHeaders: true });
  return headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
}

describe.each(ENGINES)("account e-mails on %s", (dialect) => {
  let db: FreshEngine;
  let auth: Auth;
  let savedAppUrl: string | undefined;

  beforeAll(async () => {
    savedAppUrl = process.env.APP_URL;
    process.env.APP_URL = APP;
    db = await freshEngine(dialect, "account-mail");
    auth = await createAuth(db.e);
  });
  afterAll(async () => {
    if (savedAppUrl === undefined) delete process.env.APP_URL;
    else process.env.APP_URL = savedAppUrl;
    await db?.close();
  });

  it("mails a reset link on APP_URL in the account's language; an unknown address gets the same answer and no mail", async () => {
    const { e } = db;
    const id = await createAccount(e, auth, { email: "zhang@example.test", name: "Zhang San", role: "analyst", holderId: null, password: PASSWORD });
    await setUserLocale(e, id, "zh");
    const evil = new Headers({ host: "evil.example", "x-forwarded-host": "evil.example" });
    const known = await auth.api.requestPasswordReset({ body: { email: "zhang@example.test" }, headers: evil });
    const unknown = await auth.api.requestPasswordReset({ body: { email: "nobody@example.test" }, headers: evil });
    expect(unknown).toEqual(known);
    const [mail, ...more] = await mails(e);
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ toAddress: "zhang@example.test", locale: "zh", subject: "重置您的密码", status: "pending" });
    expect(mail!.textBody).toContain(`${APP}/login/reset?token=`);
    expect(mail!.textBody).not.toContain("evil.example");
    expect(mail!.textBody).toContain("60分钟内有效");
  });

  it("the link works once, within the hour, and ends the account's sessions", async () => {
    const { e } = db;
    const cookie = await signIn(auth, "zhang@example.test", PASSWORD);
    expect(await auth.api.getSession({ headers: new Headers({ cookie }) })).not.toBeNull();
    const token = tokenOf((await mails(e)).at(-1)!.textBody);
    expect(await resetLinkState(e, token)).toMatchObject({ valid: true, invitation: false, email: "zhang@example.test" });
    // an hour later it no longer works
    expect((await resetLinkState(e, token, Date.now() + 3600_000 + 1000)).valid).toBe(false);

    await auth.api.resetPassword({ body: { token, newPassword: "the-new-password" } });
    expect(await auth.api.getSession({ headers: new Headers({ cookie }) })).toBeNull();
    await signIn(auth, "zhang@example.test", "the-new-password");
    await expect(auth.api.resetPassword({ body: { token, newPassword: "a-third-password" } })).rejects.toMatchObject({ body: { code: "INVALID_TOKEN" } });
    expect((await resetLinkState(e, token)).valid).toBe(false);

    // an expired link is refused by better-auth itself
    await auth.api.requestPasswordReset({ body: { email: "zhang@example.test" }, headers: new Headers() });
    const late = tokenOf((await mails(e)).at(-1)!.textBody);
    await e.transaction((tx) => tx.run(sql`update ${tx.t.verifications} set expires_at = ${Date.now() - 1000} where identifier = ${`reset-password:${late}`}`));
    await expect(auth.api.resetPassword({ body: { token: late, newPassword: "a-third-password" } })).rejects.toMatchObject({ body: { code: "INVALID_TOKEN" } });
    await signIn(auth, "zhang@example.test", "the-new-password");
  });

  it("throttles reset requests per address and per client", async () => {
    const { e } = db;
    const now = Date.UTC(2026, 10, 30, 9, 0, 0);
    const from = (ip: string) => new Headers({ "x-forwarded-for": ip });
    for (let i = 0; i < 3; i++) expect(await resetRequestAllowed(e, resetKeys("Wang@Example.test", from(`10.0.0.${i}`)), now + i)).toBe(0);
    // the 4th for that address, from yet another client, waits
    expect(await resetRequestAllowed(e, resetKeys("wang@example.test", from("10.0.0.9")), now + 10)).toBeGreaterThan(0);
    // one client asking for many addresses: 10 go through, the 11th waits
    for (let i = 0; i < 10; i++) expect(await resetRequestAllowed(e, resetKeys(`user${i}@example.test`, from("10.9.9.9")), now + 100 + i)).toBe(0);
    expect(await resetRequestAllowed(e, resetKeys("user99@example.test", from("10.9.9.9")), now + 200)).toBeGreaterThan(0);
    // another client and address are not held up
    expect(await resetRequestAllowed(e, resetKeys("li@example.test", from("10.1.1.1")), now + 300)).toBe(0);
  });

  it("invites an account by e-mail with a 7-day one-use link; a resend voids the old link; accepting sets the password", async () => {
    const { e } = db;
    const t0 = Date.now();
    const { id } = await inviteAccount(e, { email: "New.Person@Example.test", name: "Chen Jing", role: "analyst", holderId: null, locale: "zh" }, "admin-1", t0);
    const user = (await e.db.select().from(e.t.users).where(eq(e.t.users.id, id)))[0]!;
    expect(user).toMatchObject({ email: "new.person@example.test", locale: "zh", role: "analyst" });
    expect(await e.db.select().from(e.t.accounts).where(eq(e.t.accounts.userId, id))).toEqual([]);
    const invite = (await mails(e)).at(-1)!;
    expect(invite).toMatchObject({ toAddress: "new.person@example.test", locale: "zh", subject: "邀请您使用知识产权边境执法案件系统" });
    expect(invite.textBody).toContain("7天内有效");
    expect(invite.textBody).toContain("分析员");
    const first = tokenOf(invite.textBody);
    expect(await resetLinkState(e, first, t0)).toMatchObject({ valid: true, invitation: true });
    expect((await resetLinkState(e, first, t0 + INVITATION_DAYS * 86_400_000 + 1)).valid).toBe(false);
    const audit = await e.db.select().from(e.t.auditLog).where(eq(e.t.auditLog.entity, "user"));
    expect(audit.map((a) => [a.action, a.userId])).toEqual([["create", "admin-1"]]);
    // no password yet: no sign-in
    await expect(signIn(auth, "new.person@example.test", PASSWORD)).rejects.toBeTruthy();

    // listed as pending; 8 days later as expired
    expect((await listOpenInvitations(e, t0 + 1000)).map((i) => [i.email, i.expired])).toEqual([["new.person@example.test", false]]);
    expect((await listOpenInvitations(e, t0 + 8 * 86_400_000)).map((i) => i.expired)).toEqual([true]);

    // the same address again is refused, nothing written
    await expect(inviteAccount(e, { email: "new.person@example.test", name: "x", role: "analyst", holderId: null, locale: "en" }, "admin-1")).rejects.toBeInstanceOf(AccountError);

    await resendInvitation(e, id, "admin-2", t0 + 8 * 86_400_000);
    const second = tokenOf((await mails(e)).at(-1)!.textBody);
    expect(second).not.toBe(first);
    expect((await resetLinkState(e, first)).valid).toBe(false);
    await expect(auth.api.resetPassword({ body: { token: first, newPassword: PASSWORD } })).rejects.toMatchObject({ body: { code: "INVALID_TOKEN" } });
    expect((await listOpenInvitations(e, t0 + 8 * 86_400_000 + 1000)).map((i) => i.expired)).toEqual([false]);
    const audits = await e.db.select().from(e.t.auditLog).where(eq(e.t.auditLog.entity, "user"));
    expect(audits.map((a) => [a.action, a.userId])).toEqual([["create", "admin-1"], ["update", "admin-2"]]);

    await auth.api.resetPassword({ body: { token: second, newPassword: PASSWORD } });
    await signIn(auth, "new.person@example.test", PASSWORD);
    expect(await listOpenInvitations(e)).toEqual([]);
    await expect(resendInvitation(e, id, "admin-2")).rejects.toBeInstanceOf(InvitationNotFoundError);
    await expect(auth.api.resetPassword({ body: { token: second, newPassword: "another-password" } })).rejects.toMatchObject({ body: { code: "INVALID_TOKEN" } });
  });

  it("an invitation that fails to write leaves no account, link or mail", async () => {
    const { e } = db;
    const before = { users: (await e.db.select().from(e.t.users)).length, mails: (await mails(e)).length, links: (await e.db.select().from(e.t.verifications)).length };
    await expect(inviteAccount(e, { email: "member@example.test", name: "M", role: "member", holderId: 99_999, locale: "en" }, "admin-1")).rejects.toBeInstanceOf(AccountError);
    expect((await e.db.select().from(e.t.users)).length).toBe(before.users);
    expect((await mails(e)).length).toBe(before.mails);
    expect((await e.db.select().from(e.t.verifications)).length).toBe(before.links);
  });
});
