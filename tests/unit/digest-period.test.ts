import { describe, expect, it } from "vitest";
import { duePeriod, isoWeekKey, nextPeriod, nextSendAt } from "../../lib/digest-period";

// Digest periods (issue 20, item 3) for fixed clocks: the ISO week or the month just ended,
// due at 08:00 Beijing time (00:00 UTC) on the Monday or the 1st after it.

const at = (beijing: string) => Date.parse(`${beijing}+08:00`);

describe("digest periods in Beijing time", () => {
  it("a weekly digest is the ISO week just ended, due Monday 08:00 Beijing", () => {
    // Monday 30 Nov 2026, 08:00 Beijing: the week 23–29 Nov (2026-W48) is due
    expect(duePeriod("weekly", at("2026-11-30T08:00:00"))).toEqual({
      frequency: "weekly", key: "2026-W48", from: "2026-11-23", to: "2026-11-29",
      startMs: at("2026-11-23T00:00:00"), endMs: at("2026-11-30T00:00:00"), sendAt: at("2026-11-30T08:00:00"),
    });
    // a minute earlier (07:59 Beijing, still Sunday 23:59 UTC): the week before
    expect(duePeriod("weekly", at("2026-11-30T07:59:00")).key).toBe("2026-W47");
    // the whole week after: still W48, until the next Monday 08:00
    expect(duePeriod("weekly", at("2026-12-06T23:59:59")).key).toBe("2026-W48");
    expect(duePeriod("weekly", at("2026-12-07T08:00:00")).key).toBe("2026-W49");
  });

  it("ISO weeks across a year boundary take the year of their Thursday", () => {
    expect(isoWeekKey("2026-12-28")).toBe("2026-W53");
    expect(isoWeekKey("2027-01-04")).toBe("2027-W01");
    expect(isoWeekKey("2024-12-30")).toBe("2025-W01");
    expect(isoWeekKey("2021-01-04")).toBe("2021-W01");
    expect(isoWeekKey("2020-12-28")).toBe("2020-W53");
    // Monday 4 Jan 2027 08:00 Beijing: 28 Dec 2026 – 3 Jan 2027 is 2026-W53
    expect(duePeriod("weekly", at("2027-01-04T08:00:00"))).toMatchObject({ key: "2026-W53", from: "2026-12-28", to: "2027-01-03" });
  });

  it("a monthly digest is the month just ended, due the 1st 08:00 Beijing", () => {
    expect(duePeriod("monthly", at("2026-12-01T08:00:00"))).toEqual({
      frequency: "monthly", key: "2026-11", from: "2026-11-01", to: "2026-11-30",
      startMs: at("2026-11-01T00:00:00"), endMs: at("2026-12-01T00:00:00"), sendAt: at("2026-12-01T08:00:00"),
    });
    expect(duePeriod("monthly", at("2026-12-01T07:59:59")).key).toBe("2026-10");
    expect(duePeriod("monthly", at("2027-01-01T08:00:00"))).toMatchObject({ key: "2026-12", from: "2026-12-01", to: "2026-12-31" });
    expect(duePeriod("monthly", at("2028-03-01T09:00:00"))).toMatchObject({ key: "2028-02", to: "2028-02-29" });
  });

  it("the next period and the next send time", () => {
    expect(nextPeriod(duePeriod("monthly", at("2026-12-05T12:00:00")))).toMatchObject({ key: "2026-12", from: "2026-12-01", to: "2026-12-31" });
    expect(nextPeriod(duePeriod("weekly", at("2026-12-31T12:00:00")))).toMatchObject({ key: "2026-W53", from: "2026-12-28" });
    expect(nextSendAt("weekly", at("2026-12-02T10:00:00"))).toBe(at("2026-12-07T08:00:00"));
    expect(nextSendAt("monthly", at("2026-12-31T23:00:00"))).toBe(at("2027-01-01T08:00:00"));
  });
});
