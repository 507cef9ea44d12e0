import { createTranslator } from "use-intl/core";
import { describe, expect, it } from "vitest";
import en from "../../messages/en.json";
import zh from "../../messages/zh.json";
import { notificationKinds } from "../../lib/enums";
import {
  deadlineNoticeFrom, deadlineRecipients, deadlineToNotify, notificationHref, notificationKey, recordationPhase, renderNotification,
  workingDayBefore, type NotificationParams,
} from "../../lib/notifications";
import type { ProcedureStep } from "../../lib/procedure";
import { UnknownHolidayYearError } from "../../lib/working-days";

// When a notification is due (issue 16, item 4), against hand-checked dates of the State
// Council's arrangements: National Day 2024 was 10-01 to 10-07, with make-up working days on
// Sunday 09-29 and Saturday 10-12. A deadline is announced from 00:00 Beijing time (16:00 UTC the
// day before) of the working day before its last day, and not once it has passed.

const by = "officer";
const at = (iso: string) => new Date(iso);
/** A procedure with a notice served on `servedOn` (the answer period runs from it). */
const noticeOn = (servedOn: string): ProcedureStep[] => [
  { kind: "suspected", at: at(`${servedOn}T00:00:00Z`), by },
  { kind: "notice_sent", at: at(`${servedOn}T01:00:00Z`), by, documentNo: "TZ1", servedOn },
];
/** 00:00 Beijing time of `date`. */
const beijingMidnight = (date: string) => new Date(new Date(`${date}T00:00:00Z`).getTime() - 8 * 3600_000);
const justBefore = (d: Date) => new Date(d.getTime() - 1);

describe("the working day before a deadline's last day", () => {
  it("skips the National Day week and counts the make-up Saturday 2024-10-12", () => {
    expect(workingDayBefore("2024-10-08")).toBe("2024-09-30");
    expect(workingDayBefore("2024-10-01")).toBe("2024-09-30");
    expect(workingDayBefore("2024-09-30")).toBe("2024-09-29"); // the make-up Sunday works
    expect(workingDayBefore("2024-10-14")).toBe("2024-10-12"); // the make-up Saturday works
    expect(workingDayBefore("2024-10-13")).toBe("2024-10-12");
    expect(workingDayBefore("2024-11-11")).toBe("2024-11-08"); // an ordinary Monday: the Friday
  });

  it("says 00:00 Beijing time, which is 16:00 UTC of the day before", () => {
    expect(deadlineNoticeFrom("2024-10-09").toISOString()).toBe("2024-10-07T16:00:00.000Z");
    expect(deadlineNoticeFrom("2024-10-14").toISOString()).toBe("2024-10-11T16:00:00.000Z");
  });

  it("refuses a year nobody knows (2027) with the year named", () => {
    expect(() => workingDayBefore("2027-01-05")).toThrow(UnknownHolidayYearError);
    expect(() => workingDayBefore("2027-01-05", new Map([["2027-01-01", "holiday"]]))).not.toThrow();
  });
});

describe("a deadline one working day away", () => {
  it("a notice served on 2024-09-29 (a make-up Sunday): last day 10-09, announced from 10-08 00:00 Beijing time", () => {
    const history = noticeOn("2024-09-29");
    const from = beijingMidnight("2024-10-08");
    expect(deadlineToNotify(history, justBefore(from))).toBeNull();
    expect(deadlineToNotify(history, from)).toMatchObject({ kind: "answer", lastDay: "2024-10-09", party: "right_holder" });
    // still on the last day, not once it has ended (24:00 Beijing time)
    expect(deadlineToNotify(history, at("2024-10-09T15:59:59Z"))).toMatchObject({ lastDay: "2024-10-09" });
    expect(deadlineToNotify(history, at("2024-10-09T16:00:00Z"))).toBeNull();
    // during the holiday week it is not yet one working day away
    expect(deadlineToNotify(history, at("2024-10-03T04:00:00Z"))).toBeNull();
  });

  it("a notice served during the National Day week (10-03): last day 10-10, announced from 10-09 00:00", () => {
    const history = noticeOn("2024-10-03");
    expect(deadlineToNotify(history, justBefore(beijingMidnight("2024-10-09")))).toBeNull();
    expect(deadlineToNotify(history, beijingMidnight("2024-10-09"))).toMatchObject({ lastDay: "2024-10-10" });
  });

  it("a deadline on Monday 10-14 after the make-up Saturday 10-12 is announced from the Saturday", () => {
    const history = noticeOn("2024-10-10");
    expect(deadlineToNotify(history, justBefore(beijingMidnight("2024-10-12")))).toBeNull();
    expect(deadlineToNotify(history, beijingMidnight("2024-10-12"))).toMatchObject({ lastDay: "2024-10-14" });
    // and a notice of 10-09 ends on that Saturday itself, announced from Friday 10-11
    expect(deadlineToNotify(noticeOn("2024-10-09"), beijingMidnight("2024-10-11"))).toMatchObject({ lastDay: "2024-10-12" });
    expect(deadlineToNotify(noticeOn("2024-10-09"), justBefore(beijingMidnight("2024-10-11")))).toBeNull();
  });

  it("customs' determination (30 working days from detention) goes to the admins; the answer and the court order to the members", () => {
    const history: ProcedureStep[] = [
      ...noticeOn("2024-09-02"),
      { kind: "holder_answered", at: at("2024-09-03T02:00:00Z"), by, answer: "requests_detention", bondKind: "deposit", bondFen: 100 },
      { kind: "detained", at: at("2024-09-04T02:00:00Z"), by, documentNo: "KL1" },
    ];
    // 30 working days from 2024-09-04, counted by hand: Mid-Autumn 09-15..17 off and Saturday 09-14
    // worked, National Day 10-01..07 off and 09-29, 10-12 worked: the 30th is Tuesday 2024-10-22
    const due = deadlineToNotify(history, beijingMidnight("2024-10-21"));
    expect(due).toMatchObject({ kind: "determination", lastDay: "2024-10-22", party: "customs" });
    expect(deadlineToNotify(history, justBefore(beijingMidnight("2024-10-21")))).toBeNull();
    expect(deadlineRecipients("determination")).toBe("admins");
    expect(deadlineRecipients("answer")).toBe("members");
    expect(deadlineRecipients("court_order")).toBe("members");
  });

  it("a deadline running into 2027 is an explicit error (the scan skips the case, saying why)", () => {
    expect(() => deadlineToNotify(noticeOn("2026-12-30"), at("2026-12-31T00:00:00Z"))).toThrow(/2027/);
    expect(deadlineToNotify(noticeOn("2026-12-30"), at("2027-01-04T00:00:00Z"), new Map([["2027-01-01", "holiday"]]))).toMatchObject({ lastDay: "2027-01-05" });
  });

  it("no deadline: nothing to announce", () => {
    expect(deadlineToNotify([], at("2024-10-08T00:00:00Z"))).toBeNull();
    expect(deadlineToNotify([{ kind: "suspected", at: at("2024-10-01T00:00:00Z"), by }], at("2024-10-08T00:00:00Z"))).toBeNull();
  });
});

describe("a recordation expiring", () => {
  it("6 months, then 1 month, before its last valid day; nothing once expired", () => {
    const today = "2026-06-15";
    expect(recordationPhase("2026-12-16", today)).toBeNull();
    expect(recordationPhase("2026-12-15", today)).toBe("6m");
    expect(recordationPhase("2026-07-16", today)).toBe("6m");
    expect(recordationPhase("2026-07-15", today)).toBe("1m");
    expect(recordationPhase(today, today)).toBe("1m");
    expect(recordationPhase("2026-06-14", today)).toBeNull();
    // month ends clamp: 08-31 + 6 months is 02-28
    expect(recordationPhase("2027-02-28", "2026-08-31")).toBe("6m");
    expect(recordationPhase("2027-03-01", "2026-08-31")).toBeNull();
  });
});

describe("keys, links and texts", () => {
  it("one key per event and recipient; a renewed recordation is a new event", () => {
    expect(notificationKey.notice(7, "u1")).not.toBe(notificationKey.notice(7, "u2"));
    expect(notificationKey.deadline("answer", 7, "u1")).not.toBe(notificationKey.deadline("court_order", 7, "u1"));
    expect(notificationKey.recordation("6m", 3, "2026-12-01", "u1")).not.toBe(notificationKey.recordation("6m", 3, "2036-12-01", "u1"));
  });

  it("a member opens a detention notice in its inbox; staff open the case", () => {
    const notice = { kind: "detention_notice" as const, caseId: 5, recordationId: null };
    expect(notificationHref(notice, "member")).toBe("/inbox/5");
    expect(notificationHref(notice, "admin")).toBe("/cases/5");
    expect(notificationHref(notice, "analyst")).toBe("/cases/5");
    expect(notificationHref({ kind: "deadline_tomorrow", caseId: 5, recordationId: null, params: { deadlineKind: "answer" } }, "member")).toBe("/inbox/5");
    expect(notificationHref({ kind: "deadline_tomorrow", caseId: 5, recordationId: null, params: { deadlineKind: "court_order" } }, "member")).toBe("/cases/5");
    expect(notificationHref({ kind: "recordation_expiring_1m", caseId: null, recordationId: 9 }, "member")).toBe("/recordations/9");
  });

  it("every kind has its title and text in both languages; the Chinese ones name dates the Chinese way", () => {
    const samples: [(typeof notificationKinds.values)[number], NotificationParams][] = [
      ["detention_notice", { caseNo: "8600-2024-00001", lastDay: "2024-10-09" }],
      ["detention_notice", { caseNo: "8600-2024-00001", lastDay: null }],
      ["deadline_tomorrow", { caseNo: "8600-2024-00001", lastDay: "2024-10-09", deadlineKind: "answer" }],
      ["deadline_tomorrow", { caseNo: "8600-2024-00001", lastDay: "2024-10-09", deadlineKind: "court_order" }],
      ["deadline_tomorrow", { caseNo: "8600-2024-00001", lastDay: "2024-10-09", deadlineKind: "determination" }],
      ["recordation_expiring_6m", { number: "T2016-12345", titleEn: "ACME", titleZh: "艾克米", validTo: "2026-12-01" }],
      ["recordation_expiring_1m", { number: "T2016-12345", titleEn: "ACME", titleZh: null, validTo: "2026-12-01" }],
    ];
    const tEn = createTranslator({ locale: "en", messages: en, namespace: "notifications" });
    const tZh = createTranslator({ locale: "zh", messages: zh, namespace: "notifications" });
    for (const [kind, params] of samples) {
      const e = renderNotification((k, v) => tEn(k as never, v as never), { kind, params }, "en");
      const z = renderNotification((k, v) => tZh(k as never, v as never), { kind, params }, "zh");
      for (const text of [e.title, e.text, z.title, z.text]) expect(text).not.toMatch(/notifications\.|\{|\}/);
      // Chinese: no Latin words but the case's or recordation's own number and a mark with no Chinese title
      expect(`${z.title} ${z.text}`.replace(/8600-2024-00001|T2016-12345|ACME/g, "")).not.toMatch(/[A-Za-z]/);
      if (params.lastDay) {
        expect(e.text).toContain("October 9, 2024");
        expect(z.text).toContain("2024年10月9日");
      }
    }
    expect(notificationKinds.values.every((k) => notificationKinds.label(k, "zh").length > 0)).toBe(true);
  });
});
