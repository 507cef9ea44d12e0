import type Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, type CaseInput } from "../../db/mutations/cases";
import { computeDigest, digestComparison, listSubscriptions, scanDigests, setSubscription, subscriptionByToken, SubscriptionError, unsubscribeByToken } from "../../db/subscriptions";
import { changeView, createView, deleteView, type ViewReader } from "../../db/views";
import { duePeriod } from "../../lib/digest-period";
import { formatCount, yuanText } from "../../lib/format";
import { ENGINES } from "../support/engines";
import { sameData, seeded, type SameData } from "../support/same-data";

// Digest subscriptions (issue 20, item 3) on both engines, for a fixed clock (Monday 7 Dec 2026,
// 08:00 Beijing: the week 30 Nov – 6 Dec is due): the digest's figures equal plain SQL over the
// subscriber's scope; a member's digest never names another company, though a case it shares
// with one is planted among the largest new cases; two scans racing write one mail; the
// unsubscribe token stops that subscription only, once; deleting a view removes its
// subscriptions.

type Holder = { id: number; name: string; nameZh: string };
const beijing = (s: string) => Date.parse(`${s}+08:00`);
const NOW = beijing("2026-12-07T08:00:00");
const SUBSCRIBED = beijing("2026-12-01T10:00:00");
const PERIOD = duePeriod("weekly", NOW);
const OLD = Date.UTC(2020, 0, 1);

function inputOf(s: Database.Database, over: Partial<CaseInput>): CaseInput {
  const officeId = (s.prepare("select id from customs_offices where code = '0200'").get() as { id: number }).id;
  return {
    caseNo: "0200-2026-9901", officeId, seizedOn: "2026-12-02", infringementType: "trademark", goodsCategory: "bags_leather",
    goodsDescription: "Handbags", pieces: 12, valueFen: 120_000, direction: "export",
    channel: "express", transport: "air", protectionMode: "ex_officio", originCountry: "CN", destinationCountry: "US",
    campaignId: null, status: "detained", disposal: null, hearingHeld: false, referredToPolice: false, penaltyFen: null,
    notes: null, rightHolderIds: [], ...over,
  };
}

describe.each(ENGINES)("digest subscriptions on %s", (dialect) => {
  let t: SameData;
  let own: Holder;
  let co: Holder;
  const ids = { shared: 0, planted: 0, coOnly: 0, early: 0 };
  const reader = (id: string, role: ViewReader["role"], holderId: number | null = null): ViewReader => ({ id, role, holderId });
  let analyst: ViewReader, analyst2: ViewReader, member: ViewReader, member2: ViewReader, otherMember: ViewReader;
  let analystView = 0, memberView = 0;

  beforeAll(async () => {
    t = await sameData(dialect, "subscriptions", seeded({ cases: 1_500, seed: 5 }, async (s, e) => {
      // every seeded case entered long ago: the period's new cases are the ones planted here
      s.prepare("update cases set created_at = ?").run(OLD);
      const holders = s.prepare("select id, name, name_zh as nameZh from right_holders order by id").all() as Holder[];
      own = holders[0]!;
      co = holders.find((h) => !h.name.split(" ").some((w) => own.name.includes(w)) && h.id !== own.id)!;
      // a case of the member's company shared with another company, named in its goods: the largest new case
      ids.planted = (await createCase(e, inputOf(s, { caseNo: "0200-2026-9901", goodsDescription: `Handbags with ${co.name} (${co.nameZh}) logos`, valueFen: 987_654_321, pieces: 40, rightHolderIds: [own.id, co.id] }), null)).id;
      ids.shared = (await createCase(e, inputOf(s, { caseNo: "0200-2026-9902", goodsDescription: "Belts", valueFen: 55_501, pieces: 3, rightHolderIds: [own.id], infringementType: "copyright" }), null)).id;
      // the other company's own case, larger still: never in the member's digest
      ids.coOnly = (await createCase(e, inputOf(s, { caseNo: "0200-2026-9903", goodsDescription: "Watches", valueFen: 1_999_999_999, pieces: 7, rightHolderIds: [co.id] }), null)).id;
      // entered a minute before the period (Sunday 29 Nov, 23:59 Beijing): not new
      ids.early = (await createCase(e, inputOf(s, { caseNo: "0200-2026-9904", goodsDescription: "Caps", valueFen: 1_500_000_000, pieces: 9, rightHolderIds: [own.id] }), null)).id;
      const enter = s.prepare("update cases set created_at = ? where id = ?");
      enter.run(beijing("2026-12-01T09:00:00"), ids.planted);
      enter.run(beijing("2026-12-06T23:59:59"), ids.shared);
      enter.run(beijing("2026-11-30T00:00:00"), ids.coOnly);
      enter.run(beijing("2026-11-29T23:59:00"), ids.early);
      const now = new Date(OLD);
      const user = (id: string, role: "admin" | "analyst" | "member", holderId: number | null, locale = "en") =>
        ({ id, name: id, email: `${id}@example.test`, role, holderId, locale, createdAt: now, updatedAt: now });
      await e.transaction((tx) =>
        tx.db.insert(tx.t.users).values([
          user("analyst-1", "analyst", null), user("analyst-2", "analyst", null, "en"),
          user("member-1", "member", own.id, "zh"), user("member-2", "member", own.id), user("member-x", "member", co.id),
        ]),
      );
    }));
    analyst = reader("analyst-1", "analyst");
    analyst2 = reader("analyst-2", "analyst");
    member = reader("member-1", "member", own.id);
    member2 = reader("member-2", "member", own.id);
    otherMember = reader("member-x", "member", co.id);
    analystView = await createView(t.e, analyst, { name: "Trademark", page: "dashboard", query: "type=trademark&from=2019-01-01", shared: true });
    memberView = await createView(t.e, member2, { name: "Our cases", page: "cases", query: "sort=value.desc", shared: true });
  }, 180_000);
  afterAll(() => t?.close());

  const digestRows = () => t.e.all<{ dedupeKey: string; toAddress: string; locale: string; subject: string; textBody: string; htmlBody: string; headers: string }>(
    sql`select dedupe_key as "dedupeKey", to_address as "toAddress", locale, subject, text_body as "textBody", html_body as "htmlBody", headers from outbox where dedupe_key like 'digest:%' order by id`,
  );
  const count = async (query: ReturnType<typeof sql>) => Number((await t.e.get<{ n: number | string }>(query))!.n);

  /** The period's figures by plain SQL: live cases seized in [from, to], optionally of some types, in a holder's scope. */
  async function sqlFigures(from: string, to: string, options: { type?: string; holder?: number }) {
    const type = options.type ? sql` and c.infringement_type = ${options.type}` : sql``;
    const holder = options.holder ? sql` and exists (select 1 from case_right_holders l where l.case_id = c.id and l.right_holder_id = ${options.holder})` : sql``;
    const r = (await t.e.get<{ n: number | string; p: number | string | null; v: number | string | null }>(
      sql`select count(*) as n, sum(c.pieces) as p, sum(c.value_fen) as v from cases c where c.deleted_at is null and c.seized_on between ${from} and ${to}${type}${holder}`,
    ))!;
    return { cases: Number(r.n), pieces: Number(r.p ?? 0), valueFen: Number(r.v ?? 0) };
  }

  it("subscribes to a view one may see, refuses another company's, and lists one's own", async () => {
    await setSubscription(t.e, analyst2, analystView, "weekly", SUBSCRIBED);
    await setSubscription(t.e, member, memberView, "monthly", SUBSCRIBED);
    await setSubscription(t.e, member, memberView, "weekly", SUBSCRIBED); // changed, not doubled
    await expect(setSubscription(t.e, otherMember, memberView, "weekly", SUBSCRIBED)).rejects.toMatchObject({ field: "id", code: "not_found" });
    await expect(setSubscription(t.e, member, analystView, "weekly", SUBSCRIBED)).rejects.toBeInstanceOf(SubscriptionError);
    await expect(setSubscription(t.e, member, memberView, "daily" as "weekly", SUBSCRIBED)).rejects.toMatchObject({ field: "frequency", code: "invalid" });
    expect((await listSubscriptions(t.e, member)).map((s) => [s.viewName, s.frequency])).toEqual([["Our cases", "weekly"]]);
    expect(await listSubscriptions(t.e, otherMember)).toEqual([]);
    expect(await count(sql`select count(*) as n from subscriptions`)).toBe(2);
    const audits = await t.e.all<{ action: string; userId: string }>(sql`select action, user_id as "userId" from audit_log where entity = 'subscription' order by id`);
    expect(audits).toEqual([{ action: "create", userId: "analyst-2" }, { action: "create", userId: "member-1" }, { action: "update", userId: "member-1" }]);
    // the token is kept as its hash only
    const stored = await t.e.all<{ h: string }>(sql`select token_hash as h from subscriptions`);
    for (const s of stored) expect(s.h).toMatch(/^[0-9a-f]{64}$/);
  });

  it("two scans racing at the fixed clock write one digest per subscription, and a repeat writes nothing", async () => {
    expect(PERIOD).toMatchObject({ key: "2026-W49", from: "2026-11-30", to: "2026-12-06" });
    // the week before the subscription's first Monday: nothing (it was not yet subscribed)
    expect(await scanDigests(t.e, beijing("2026-11-30T09:00:00"))).toBe(0);
    const [a, b] = await Promise.all([scanDigests(t.e, NOW), scanDigests(t.e, NOW)]);
    expect(a + b).toBe(2);
    expect(await scanDigests(t.e, NOW + 60_000)).toBe(0);
    // even with the period's mark lost, the outbox's dedupe key keeps it one mail
    await t.e.transaction((tx) => tx.run(sql`update subscriptions set last_period_key = null`));
    expect(await scanDigests(t.e, NOW + 120_000)).toBe(0);
    const rows = await digestRows();
    expect(rows.map((r) => r.toAddress).sort()).toEqual(["analyst-2@example.test", "member-1@example.test"]);
    for (const r of rows) {
      expect(r.dedupeKey).toMatch(/^digest:\d+:2026-W49$/);
      expect(JSON.parse(r.headers)).toMatchObject({ "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "List-Unsubscribe": expect.stringMatching(/^<http.*\/unsubscribe\/[A-Za-z0-9_-]+>$/) });
    }
  });

  it("the analyst's digest: the view's figures for the week and the week before equal SQL, in English", async () => {
    const mail = (await digestRows()).find((r) => r.toAddress === "analyst-2@example.test")!;
    expect(mail.locale).toBe("en");
    expect(mail.subject).toBe("Weekly digest of “Trademark”: November 30, 2026 – December 6, 2026");
    const current = await sqlFigures("2026-11-30", "2026-12-06", { type: "trademark" });
    const previous = await sqlFigures("2026-11-23", "2026-11-29", { type: "trademark" });
    expect(current.cases).toBeGreaterThanOrEqual(3); // the planted ones
    const digest = await computeDigest(t.e, { id: "analyst-2", name: "analyst-2", email: "analyst-2@example.test", locale: "en", role: "analyst", holderId: null },
      { id: analystView, name: "Trademark", page: "dashboard", query: "type=trademark&from=2019-01-01" }, PERIOD);
    expect(digest.current).toEqual(current);
    expect(digest.previous).toEqual(previous);
    expect(mail.textBody).toContain(`Value (CNY): ${yuanText(current.valueFen, { group: "en" })} | Comparison ${yuanText(previous.valueFen, { group: "en" })}`);
    expect(mail.textBody).toContain(`Cases: ${formatCount(current.cases, "en")} | Comparison ${formatCount(previous.cases, "en")}`);
    expect(mail.textBody).toContain("Infringement type: Trademark");
    // new cases: entered in the period, largest first; the one entered a minute before is not new
    expect(digest.newCases.map((c) => c.caseNo)).toEqual(["0200-2026-9903", "0200-2026-9901"]);
    expect(mail.textBody).not.toContain("0200-2026-9904");
    // staff see every name
    expect(mail.textBody).toContain(co.name);
    expect(mail.textBody).toMatch(/\/\?from=2019-01-01&type=trademark/);
  });

  it("the member's digest is in Chinese, over its company's cases only, and never names another company", async () => {
    const mail = (await digestRows()).find((r) => r.toAddress === "member-1@example.test")!;
    expect(mail.locale).toBe("zh");
    expect(mail.subject).toBe("“Our cases”每周摘要：2026年11月30日 – 2026年12月6日");
    const current = await sqlFigures("2026-11-30", "2026-12-06", { holder: own.id });
    const digest = await computeDigest(t.e, { id: "member-1", name: "member-1", email: "member-1@example.test", locale: "zh", role: "member", holderId: own.id },
      { id: memberView, name: "Our cases", page: "cases", query: "sort=value.desc" }, PERIOD);
    expect(digest.current).toEqual(current);
    expect(digest.newCases.map((c) => c.caseNo)).toEqual(["0200-2026-9901", "0200-2026-9902"]);
    expect(mail.textBody).toContain(`货值（人民币）: ${yuanText(current.valueFen, { group: "zh" })}`);
    for (const body of [mail.textBody, mail.htmlBody, mail.subject]) {
      expect(body).not.toContain(co.name);
      expect(body).not.toContain(co.nameZh);
      expect(body).not.toContain(co.name.split(" ")[0]!);
      expect(body).not.toContain("0200-2026-9903");
    }
    expect(mail.textBody).toContain("Handbags with ▇▇▇ (▇▇▇) logos");
    expect(mail.textBody).toContain(own.nameZh);
  });

  it("the comparison is the period before, or the view's cmp=yoy / custom", () => {
    expect(digestComparison("type=trademark", PERIOD)).toEqual({ kind: "prev", from: "2026-11-23", to: "2026-11-29" });
    expect(digestComparison("cmp=yoy", duePeriod("monthly", NOW))).toEqual({ kind: "yoy", from: "2025-11-01", to: "2025-11-30" });
    expect(digestComparison("cmp=custom&cmpFrom=2024-01-01&cmpTo=2024-01-07", PERIOD)).toEqual({ kind: "custom", from: "2024-01-01", to: "2024-01-07" });
    expect(digestComparison("cmp=custom&cmpFrom=2024-02-30", PERIOD).kind).toBe("prev");
  });

  it("an unsubscribe token stops its own subscription only, once", async () => {
    const mail = (await digestRows()).find((r) => r.toAddress === "member-1@example.test")!;
    const token = /\/unsubscribe\/([A-Za-z0-9_-]+)/.exec(mail.textBody)![1]!;
    expect(await subscriptionByToken(t.e, token)).toMatchObject({ viewName: "Our cases", frequency: "weekly", email: "member-1@example.test", locale: "zh" });
    expect(await subscriptionByToken(t.e, token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA"))).toBeNull();
    expect(await subscriptionByToken(t.e, "../../etc")).toBeNull();
    expect(await unsubscribeByToken(t.e, token)).toMatchObject({ viewName: "Our cases" });
    expect(await unsubscribeByToken(t.e, token)).toBeNull();
    expect(await listSubscriptions(t.e, member)).toEqual([]);
    expect((await listSubscriptions(t.e, analyst2)).map((s) => s.viewName)).toEqual(["Trademark"]);
    const last = await t.e.get<{ userId: string; after: unknown }>(sql`select user_id as "userId", after from audit_log where entity = 'subscription' order by id desc limit 1`);
    expect(last).toMatchObject({ userId: "member-1" });
    expect(typeof last!.after === "string" ? JSON.parse(last!.after) : last!.after).toEqual({ viaLink: true });
  });

  it("a view made private sends nothing to its subscribers; deleting a view removes its subscriptions", async () => {
    await setSubscription(t.e, member2, memberView, "monthly", SUBSCRIBED);
    await setSubscription(t.e, analyst, analystView, "monthly", SUBSCRIBED);
    // monthly: November is due on 1 December, before the subscriptions were made → the first is December's
    expect(await scanDigests(t.e, beijing("2026-12-07T09:00:00"))).toBe(0);
    // a weekly digest switched to monthly on 20 December: November's (due 1 December) is not sent late
    await setSubscription(t.e, analyst2, analystView, "monthly", beijing("2026-12-20T10:00:00"));
    expect(await scanDigests(t.e, beijing("2026-12-20T10:01:00"))).toBe(0);
    await setSubscription(t.e, analyst2, analystView, "weekly", beijing("2026-12-20T10:02:00"));
    // the analyst makes its view private: its colleague's weekly digest stops; the owner's and the member's go
    await changeView(t.e, analyst, { id: analystView, shared: false });
    expect(await scanDigests(t.e, beijing("2027-01-01T08:00:00"))).toBe(2);
    expect((await digestRows()).filter((r) => r.dedupeKey.endsWith(":2026-12")).map((r) => r.toAddress).sort()).toEqual(["analyst-1@example.test", "member-2@example.test"]);
    expect((await digestRows()).filter((r) => r.toAddress === "analyst-2@example.test").length).toBe(1);
    await deleteView(t.e, analyst, analystView);
    expect(await count(sql`select count(*) as n from subscriptions where view_id = ${analystView}`)).toBe(0);
    expect((await listSubscriptions(t.e, analyst2))).toEqual([]);
  });
});
