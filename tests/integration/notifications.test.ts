import { spawn } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../db/engine";
import { createCase, updateCase, type CaseInput } from "../../db/mutations/cases";
import { insertNotifications, listNotifications, markRead, scanNotifications, unreadCount, type Reader } from "../../db/notifications";
import { loadStoredCase, VersionConflictError, writeCases } from "../../db/writer";
import type { ProcedureStep } from "../../lib/procedure";
import { addDays, addMonths, todayInBeijing } from "../../lib/recordations";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";

// Notifications on both engines (issue 16, item 4): the detention notice written with the
// notice_sent step (and not when the step is refused); a deadline one working day away and a
// recordation expiring notified once each per recipient, however often and by however many
// servers the scan runs (two scanner processes racing); a year the calendar does not know is
// skipped with a reason, not a crash; a member's list follows its scope when read.

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
type StepIn = ProcedureStep extends infer S ? (S extends ProcedureStep ? Omit<S, "by"> & { by?: string } : never) : never;

describe.each(ENGINES)("notifications on %s", (dialect) => {
  let fresh: FreshEngine;
  let e: Engine;
  let holderA = 0;
  let holderB = 0;
  let officeId = 0;
  const OFFICER = "u-admin-1";
  const reader = (userId: string, holders?: number[]): Reader => ({ userId, scope: holders ? { restrictToHolders: holders } : {} });
  const memberA1 = () => reader("u-member-a1", [holderA]);
  const memberB = () => reader("u-member-b", [holderB]);

  beforeAll(async () => {
    fresh = await freshEngine(dialect, "notifications");
    e = fresh.e;
    await e.transaction(async (tx) => {
      const { rightHolders, users, customsOffices } = tx.t;
      const [office] = await tx.db.insert(customsOffices).values({ code: "8600", nameEn: "Kunming", nameZh: "昆明海关", province: "Yunnan" }).returning({ id: customsOffices.id });
      officeId = office!.id;
      const rows = await tx.db
        .insert(rightHolders)
        .values([
          { name: "Acme Corp", country: "US", industry: "apparel_sportswear" },
          { name: "Brightlight GmbH", nameZh: "明光", country: "DE", industry: "lighting" },
        ])
        .returning({ id: rightHolders.id });
      holderA = rows[0]!.id;
      holderB = rows[1]!.id;
      const now = new Date();
      const user = (id: string, role: "admin" | "analyst" | "member", holderId: number | null = null) =>
        ({ id, name: id, email: `${id}@example.test`, role, holderId, createdAt: now, updatedAt: now });
      await tx.db.insert(users).values([
        user("u-admin-1", "admin"), user("u-admin-2", "admin"), user("u-analyst", "analyst"),
        user("u-member-a1", "member", holderA), user("u-member-a2", "member", holderA), { ...user("u-member-b", "member", holderB), locale: "zh" },
      ]);
    });
  });
  afterAll(async () => fresh?.close());

  let serial = 0;
  async function newCase(holders: number[], valueFen = 100): Promise<number> {
    const input: CaseInput = {
      caseNo: `8600-2024-${String(++serial).padStart(5, "0")}`, seizedOn: "2024-09-01", officeId, infringementType: "trademark", goodsCategory: "toys",
      goodsDescription: "Toys", pieces: 10, valueFen, direction: "import", channel: "postal", transport: "post", protectionMode: "ex_officio",
      status: "detained", hearingHeld: false, referredToPolice: false, rightHolderIds: holders,
    };
    return (await createCase(e, input, OFFICER)).id;
  }
  const step = async (id: number, s: StepIn) => {
    const version = (await loadStoredCase(e, id))!.version;
    return (await writeCases(e, [{ op: "step", id, expectedVersion: version, step: { by: OFFICER, ...s } as ProcedureStep }], { userId: OFFICER })).cases[0]!;
  };
  const at = (iso: string) => new Date(iso);
  const rowsOf = (caseId: number) =>
    e.all<{ key: string; userId: string; kind: string; holderId: number | null; params: string }>(sql`
      select key, user_id as "userId", kind, holder_id as "holderId", params from notifications where case_id = ${caseId} order by key`);
  const total = async () => Number((await e.get<{ n: number }>(sql`select count(*) as n from notifications`))!.n);
  /** the mails in the outbox: every notification written has one (under the same key) */
  const mailCount = async () => Number((await e.get<{ n: number }>(sql`select count(*) as n from outbox`))!.n);

  let noticeCase = 0;

  it("a detention notice goes to the member accounts of the case's right holders, in the step's transaction", async () => {
    noticeCase = await newCase([holderA, holderB]);
    await step(noticeCase, { kind: "suspected", at: at("2024-09-27T02:00:00Z") });
    expect(await rowsOf(noticeCase)).toEqual([]);
    const { stepId } = await step(noticeCase, { kind: "notice_sent", at: at("2024-09-29T03:00:00Z"), documentNo: "TZ2024-00001", servedOn: "2024-09-29" });
    const rows = await rowsOf(noticeCase);
    expect(rows.map((r) => [r.userId, r.kind, r.key])).toEqual([
      ["u-member-a1", "detention_notice", `notice:${stepId}:u-member-a1`],
      ["u-member-a2", "detention_notice", `notice:${stepId}:u-member-a2`],
      ["u-member-b", "detention_notice", `notice:${stepId}:u-member-b`],
    ]);
    expect(rows.map((r) => Number(r.holderId))).toEqual([holderA, holderA, holderB]);
    // served on the make-up Sunday 2024-09-29: 09-30, 10-08, 10-09
    expect(JSON.parse(rows[0]!.params)).toEqual({ caseNo: "8600-2024-00001", lastDay: "2024-10-09" });
    // each one's e-mail in the outbox, same key, in the recipient's language, linking to its inbox
    const mails = await e.all<{ key: string; to: string; locale: string; subject: string; text: string }>(sql`
      select dedupe_key as key, to_address as "to", locale, subject, text_body as text from outbox where dedupe_key like ${`notice:${stepId}:%`} order by dedupe_key`);
    expect(mails.map((m) => [m.key, m.to, m.locale])).toEqual([
      [`notice:${stepId}:u-member-a1`, "u-member-a1@example.test", "en"],
      [`notice:${stepId}:u-member-a2`, "u-member-a2@example.test", "en"],
      [`notice:${stepId}:u-member-b`, "u-member-b@example.test", "zh"],
    ]);
    expect(mails[0]!.subject).toBe("Detention notice on case 8600-2024-00001");
    expect(mails[0]!.text).toContain("Answer by 24:00 Beijing time on October 9, 2024");
    expect(mails[2]!.subject).toBe("案件8600-2024-00001扣留通知");
    expect(mails[2]!.text).toContain("请于北京时间2024年10月9日24时前答复");
    for (const m of mails) expect(m.text).toMatch(new RegExp(`/inbox/${noticeCase}\\n`));
  });

  it("a refused notice writes no notification (the step and its notifications are one transaction)", async () => {
    const id = await newCase([holderA]);
    const { version } = await step(id, { kind: "suspected", at: at("2024-09-27T02:00:00Z") });
    const before = await total();
    await expect(
      writeCases(e, [{ op: "step", id, expectedVersion: version - 1, step: { kind: "notice_sent", at: at("2024-09-29T03:00:00Z"), by: OFFICER, documentNo: "TZ2" } }], { userId: OFFICER }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    // a rollback after the notifications were inserted (a later write of the same batch fails)
    await expect(
      writeCases(e, [
        { op: "step", id, expectedVersion: version, step: { kind: "notice_sent", at: at("2024-09-29T03:00:00Z"), by: OFFICER, documentNo: "TZ3" } },
        { op: "delete", id: 999_999 },
      ], { userId: OFFICER }),
    ).rejects.toThrow(/999999/);
    expect(await total()).toBe(before);
    expect(await rowsOf(id)).toEqual([]);
    expect(await mailCount()).toBe(await total());
  });

  it("the answer deadline one working day away: from 00:00 Beijing time of 10-08, to the members, once", async () => {
    // the day before: nothing yet
    expect((await scanNotifications(e, at("2024-10-07T15:59:59Z"))).written).toBe(0);
    const first = await scanNotifications(e, at("2024-10-07T16:00:00Z"));
    expect(first.written).toBe(3);
    const deadlines = (await rowsOf(noticeCase)).filter((r) => r.kind === "deadline_tomorrow");
    expect(deadlines.map((r) => r.userId)).toEqual(["u-member-a1", "u-member-a2", "u-member-b"]);
    expect(JSON.parse(deadlines[0]!.params)).toEqual({ caseNo: "8600-2024-00001", lastDay: "2024-10-09", deadlineKind: "answer" });
    // again, and later the same day: nothing more
    expect((await scanNotifications(e, at("2024-10-07T16:01:00Z"))).written).toBe(0);
    expect((await scanNotifications(e, at("2024-10-09T12:00:00Z"))).written).toBe(0);
  });

  it("customs' determination deadline (Art. 20) goes to the admins, not to analysts or members", async () => {
    const id = await newCase([holderA]);
    await step(id, { kind: "suspected", at: at("2024-09-02T02:00:00Z") });
    await step(id, { kind: "notice_sent", at: at("2024-09-02T03:00:00Z"), documentNo: "TZ2024-00010" });
    await step(id, { kind: "holder_answered", at: at("2024-09-03T02:00:00Z"), answer: "requests_detention", bondKind: "deposit", bondFen: 100 });
    const { stepId: detainedId } = await step(id, { kind: "detained", at: at("2024-09-04T02:00:00Z"), documentNo: "KL2024-00010" });
    // the 30th working day from 09-04 is 10-22: announced from 10-21 00:00 Beijing time
    expect((await scanNotifications(e, at("2024-10-20T15:59:00Z"))).written).toBe(0);
    expect((await scanNotifications(e, at("2024-10-20T16:00:00Z"))).written).toBe(2);
    const rows = (await rowsOf(id)).filter((r) => r.kind === "deadline_tomorrow");
    expect(rows.map((r) => [r.userId, r.key])).toEqual([
      ["u-admin-1", `deadline:determination:${detainedId}:u-admin-1`],
      ["u-admin-2", `deadline:determination:${detainedId}:u-admin-2`],
    ]);
    expect(rows.every((r) => r.holderId === null)).toBe(true);
  });

  it("a recordation expiring: 6 months, then 1 month, to its company's members only, each once", async () => {
    const now = at("2026-03-10T04:00:00Z");
    const today = todayInBeijing(now);
    const validTo = addMonths(today, 5);
    const [rec] = await e.transaction((tx) =>
      tx.db.insert(tx.t.recordations).values({
        number: "T2016-00077", holderId: holderA, kind: "trademark", rightNo: "77", titleEn: "ACME", titleZh: "艾克米", validFrom: "2016-09-01", validTo,
        status: "approved", createdAt: 0, updatedAt: 0,
      }).returning({ id: tx.t.recordations.id }));
    const recordationRows = () => e.all<{ key: string; userId: string; kind: string }>(sql`
      select key, user_id as "userId", kind from notifications where recordation_id = ${rec!.id} order by kind desc, user_id`);
    expect((await scanNotifications(e, now)).written).toBe(2);
    expect((await scanNotifications(e, now)).written).toBe(0);
    // a month before its end: the second notice
    const later = new Date(`${addDays(addMonths(validTo, -1), 1)}T04:00:00Z`);
    expect((await scanNotifications(e, later)).written).toBe(2);
    expect((await recordationRows()).map((r) => [r.userId, r.kind])).toEqual([
      ["u-member-a1", "recordation_expiring_6m"], ["u-member-a2", "recordation_expiring_6m"],
      ["u-member-a1", "recordation_expiring_1m"], ["u-member-a2", "recordation_expiring_1m"],
    ]);
    expect((await recordationRows())[0]!.key).toBe(`recordation:6m:${rec!.id}:${validTo}:u-member-a1`);
    // expired: nothing more
    expect((await scanNotifications(e, new Date(`${addDays(validTo, 1)}T04:00:00Z`))).written).toBe(0);
  });

  it("a deadline in 2027, which the calendar does not know, is skipped with its reason; the scan goes on", async () => {
    const id = await newCase([holderA]);
    await step(id, { kind: "suspected", at: at("2026-12-29T02:00:00Z") });
    await step(id, { kind: "notice_sent", at: at("2026-12-30T02:00:00Z"), documentNo: "TZ2026-00001" });
    // the notice itself is notified, without a last day
    expect((await rowsOf(id)).map((r) => JSON.parse(r.params).lastDay)).toEqual([null, null]);
    const result = await scanNotifications(e, at("2026-12-31T02:00:00Z"));
    expect(result.skipped).toEqual([{ caseId: id, reason: expect.stringMatching(/2027/) }]);
    // once an admin enters January 2027, it is announced
    await e.transaction((tx) => tx.db.insert(tx.t.workingDayOverrides).values({ date: "2027-01-01", kind: "holiday", note: null, updatedAt: 0, updatedBy: null }));
    const after = await scanNotifications(e, at("2027-01-03T16:00:00Z"));
    expect(after.skipped).toEqual([]);
    expect((await rowsOf(id)).filter((r) => r.kind === "deadline_tomorrow").map((r) => JSON.parse(r.params).lastDay)).toEqual(["2027-01-05", "2027-01-05"]);
  });

  it("a notification written twice is written once (the key is unique): the second transaction writes nothing", async () => {
    const row = { key: "test:once:u-analyst", userId: "u-analyst", kind: "recordation_expiring_6m" as const, params: {} };
    expect(await e.transaction((tx) => insertNotifications(tx, [row], 1))).toHaveLength(1);
    expect(await e.transaction((tx) => insertNotifications(tx, [row, row], 2))).toHaveLength(0);
    expect(Number((await e.get<{ n: number }>(sql`select count(*) as n from notifications where key = ${row.key}`))!.n)).toBe(1);
  });

  it("two scanner processes racing write each notification exactly once", async () => {
    // three new notices served on 2024-10-10: their deadlines (10-14) are announced from Saturday 10-12, a make-up working day
    const ids = [await newCase([holderA]), await newCase([holderA, holderB]), await newCase([holderB])];
    for (const id of ids) {
      await step(id, { kind: "suspected", at: at("2024-10-10T01:00:00Z") });
      await step(id, { kind: "notice_sent", at: at("2024-10-10T02:00:00Z"), documentNo: `TZ2024-0${id}` });
    }
    const before = await total();
    const results = await race(fresh.url, "2024-10-11T16:00:00Z", 2);
    // members of A: 2 cases × 2 members; of B: 2 cases × 1 member
    expect(results.reduce((sum, r) => sum + r.written, 0)).toBe(6);
    expect((await total()) - before).toBe(6);
    const keys = await e.all<{ key: string; n: number }>(sql`select key, count(*) as n from notifications group by key having count(*) > 1`);
    expect(keys).toEqual([]);
    // one mail per notification, none twice
    expect(await mailCount()).toBe(await total());
    const unmatched = await e.all(sql`select n.key from notifications n where not exists (select 1 from outbox o where o.dedupe_key = n.key)`);
    expect(unmatched).toEqual([]);
  }, 60_000);

  it("a member reads only what its scope still allows; marking read touches only its own", async () => {
    const list = await listNotifications(e, memberB());
    expect(list.some((n) => n.caseId === noticeCase)).toBe(true);
    const unreadBefore = await unreadCount(e, memberB());
    // the case no longer names B's company: B's notifications of it are no longer shown
    const stored = (await loadStoredCase(e, noticeCase))!;
    const { version: _v, updatedBy: _u, updatedAt: _a, deletedAt: _d, ...values } = stored;
    await updateCase(e, noticeCase, stored.version, { ...values, rightHolderIds: [holderA] }, OFFICER);
    expect((await listNotifications(e, memberB())).some((n) => n.caseId === noticeCase)).toBe(false);
    expect(await unreadCount(e, memberB())).toBe(unreadBefore - 2);
    // a member moved to another company sees none of its old company's
    expect((await listNotifications(e, reader("u-member-b", [holderA]))).length).toBe(0);
    // an admin sees only its own; another's id is not found, and nothing is marked
    const mine = await listNotifications(e, memberA1());
    const someone = mine[0]!;
    expect(await markRead(e, reader("u-admin-1"), someone.id)).toBe(0);
    expect((await listNotifications(e, reader("u-admin-1"))).some((n) => n.id === someone.id)).toBe(false);
    // one, then all
    const unread = await unreadCount(e, memberA1());
    expect(await markRead(e, memberA1(), someone.id)).toBe(1);
    expect(await unreadCount(e, memberA1())).toBe(unread - 1);
    expect(await markRead(e, memberA1(), "all")).toBe(unread - 1);
    expect(await unreadCount(e, memberA1())).toBe(0);
    expect((await listNotifications(e, memberA1())).every((n) => n.readAt !== null)).toBe(true);
    // the other member of the same company keeps its own unread
    expect(await unreadCount(e, reader("u-member-a2", [holderA]))).toBeGreaterThan(0);
  });
});

/** Starts `n` scanner processes on the database, lets them scan at once, returns their results. */
async function race(url: string, nowIso: string, n: number): Promise<{ written: number }[]> {
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "tests", "support", "scanner.ts"), url, nowIso], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] }));
  const outputs = children.map(
    (child) =>
      new Promise<{ lines: string[] }>((resolve, reject) => {
        let out = "";
        let errors = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          if (out.includes("ready\n") && !(child as unknown as { ready?: boolean }).ready) {
            (child as unknown as { ready?: boolean }).ready = true;
            readyCount++;
            if (readyCount === n) for (const c of children) c.stdin.end("go\n");
          }
        });
        child.stderr.on("data", (d) => (errors += d));
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve({ lines: out.trim().split("\n") }) : reject(new Error(`scanner exited ${code}: ${errors}`))));
      }),
  );
  let readyCount = 0;
  const done = await Promise.all(outputs);
  return done.map((d) => JSON.parse(d.lines.at(-1)!) as { written: number });
}
