import { describe, expect, it } from "vitest";
import {
  PACKAGE_YEARS, UnknownHolidayYearError, addWorkingDays, beijingDateOf, deadlineOf, endOfBeijingDay,
  isIsoDate, isWorkingDay, workingDaysLeft,
} from "../../lib/working-days";

// Hand-checked against the State Council's arrangements:
// 2024 Mid-Autumn 09-15..17 off, 09-14 (Sat) worked; National Day 10-01..07 off, 09-29 (Sun) and
// 10-12 (Sat) worked. 2025 Spring Festival 01-28..02-04 off, 01-26 (Sun) and 02-08 (Sat) worked.

describe("isWorkingDay", () => {
  it("follows holidays and make-up working days", () => {
    expect(isWorkingDay("2024-09-29")).toBe(true); // Sunday, make-up day
    expect(isWorkingDay("2024-10-01")).toBe(false);
    expect(isWorkingDay("2024-10-07")).toBe(false); // Monday inside the week
    expect(isWorkingDay("2024-10-08")).toBe(true);
    expect(isWorkingDay("2024-10-12")).toBe(true); // Saturday, make-up day
    expect(isWorkingDay("2024-10-13")).toBe(false);
    expect(isWorkingDay("2025-01-26")).toBe(true); // Sunday, make-up day
    expect(isWorkingDay("2025-01-28")).toBe(false);
    expect(isWorkingDay("2025-02-04")).toBe(false);
    expect(isWorkingDay("2025-02-05")).toBe(true);
    expect(isWorkingDay("2025-02-08")).toBe(true); // Saturday, make-up day
    expect(isWorkingDay("2024-11-16")).toBe(false); // ordinary Saturday
    expect(isWorkingDay("2024-11-18")).toBe(true); // ordinary Monday
  });

  it("knows the years the package carries", () => {
    for (const y of [2004, 2016, 2024, 2025, 2026]) expect(PACKAGE_YEARS.has(y)).toBe(true);
    expect(PACKAGE_YEARS.has(2027)).toBe(false);
  });

  it("an override wins over the package", () => {
    expect(isWorkingDay("2024-10-08", { "2024-10-08": "holiday" })).toBe(false);
    expect(isWorkingDay("2024-10-05", new Map([["2024-10-05", "work" as const]]))).toBe(true);
  });

  it("a year nobody knows is an error naming the year, never a guess", () => {
    expect(() => isWorkingDay("2027-03-01")).toThrow(UnknownHolidayYearError);
    expect(() => isWorkingDay("2027-03-01")).toThrow(/2027/);
    try {
      addWorkingDays("2026-12-30", 3);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UnknownHolidayYearError);
      expect((e as UnknownHolidayYearError).year).toBe(2027);
    }
    expect(() => isWorkingDay("1999-05-03")).toThrow(/1999/);
  });

  it("an override table that enters a year makes that year known (weekdays work, unlisted weekends rest)", () => {
    const y2027 = { "2027-01-01": "holiday", "2027-02-06": "work" } as const;
    expect(isWorkingDay("2027-01-01", y2027)).toBe(false); // Friday, holiday
    expect(isWorkingDay("2027-01-04", y2027)).toBe(true); // Monday
    expect(isWorkingDay("2027-01-02", y2027)).toBe(false); // Saturday
    expect(isWorkingDay("2027-02-06", y2027)).toBe(true); // Saturday, make-up day
    expect(addWorkingDays("2026-12-30", 3, y2027)).toBe("2027-01-05"); // 12-31, (01-01 off, weekend), 01-04, 01-05
  });

  it("bad input gets a clear message", () => {
    expect(() => isWorkingDay("2024-02-30")).toThrow(/YYYY-MM-DD/);
    expect(() => isWorkingDay("2024/10/01")).toThrow(/YYYY-MM-DD/);
    expect(() => isWorkingDay("2024-10-01", { "2024-10-01": "maybe" as never })).toThrow(/"work" or "holiday"/);
    expect(() => isWorkingDay("2027-01-04", { "1-1-2027": "holiday" } as never)).toThrow(/not a date/);
    expect(() => addWorkingDays("2024-10-01", -1)).toThrow(/whole number/);
    expect(() => addWorkingDays("2024-10-01", 1.5)).toThrow(/whole number/);
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2023-02-29")).toBe(false);
  });

  it("a calendar with no working day for a month is refused, not looped over", () => {
    const allOff = Object.fromEntries(Array.from({ length: 40 }, (_, i) => {
      const d = new Date(Date.UTC(2025, 2, 1 + i)).toISOString().slice(0, 10);
      return [d, "holiday" as const];
    }));
    expect(() => addWorkingDays("2025-02-28", 1, allOff)).toThrow(/No working day/);
  });
});

describe("addWorkingDays: the day of service does not count (Measures Art. 41)", () => {
  it("a notice on 2024-09-29, a make-up working day, ends on 2024-10-09", () => {
    // 09-29 itself not counted; 09-30 (1); 10-01..07 off; 10-08 (2); 10-09 (3)
    expect(addWorkingDays("2024-09-29", 3)).toBe("2024-10-09");
  });

  it("a notice during the National Day week ends three working days after it", () => {
    expect(addWorkingDays("2024-10-01", 3)).toBe("2024-10-10");
    expect(addWorkingDays("2024-10-03", 3)).toBe("2024-10-10");
    expect(addWorkingDays("2024-10-07", 3)).toBe("2024-10-10");
    expect(addWorkingDays("2024-10-10", 3)).toBe("2024-10-14"); // 10-11, 10-12 (Sat, make-up), 10-14
  });

  it("Spring Festival 2025", () => {
    expect(addWorkingDays("2025-01-24", 3)).toBe("2025-02-05"); // 01-26 (Sun, make-up), 01-27, 02-05
    expect(addWorkingDays("2025-01-27", 3)).toBe("2025-02-07");
    expect(addWorkingDays("2025-02-01", 3)).toBe("2025-02-07");
    expect(addWorkingDays("2025-02-06", 3)).toBe("2025-02-10"); // 02-07, 02-08 (Sat, make-up), 02-10
  });

  it("an ordinary weekend", () => {
    expect(addWorkingDays("2024-11-15", 3)).toBe("2024-11-20"); // Friday
    expect(addWorkingDays("2024-11-16", 3)).toBe("2024-11-20"); // Saturday
    expect(addWorkingDays("2024-11-18", 3)).toBe("2024-11-21"); // Monday
    expect(addWorkingDays("2024-11-18", 0)).toBe("2024-11-18");
  });

  it("longer periods: 20 and 30 working days from a detention", () => {
    // detention 2024-09-20 (Fri): 09-23..27 (5), 09-29 Sun make-up (6), 09-30 (7), 10-08..11 (11), 10-12 Sat (12),
    // 10-14..18 (17), 10-21..23 (20)
    expect(addWorkingDays("2024-09-20", 20)).toBe("2024-10-23");
    // ... 10-24, 10-25 (22), 10-28..11-01 (27), 11-04..06 (30)
    expect(addWorkingDays("2024-09-20", 30)).toBe("2024-11-06");
  });
});

describe("deadlineOf: 24:00 Beijing time of the last working day", () => {
  it("is 16:00 UTC of that day", () => {
    const d = deadlineOf("2024-09-29", 3);
    expect(d).toMatchObject({ start: "2024-09-29", workingDays: 3, lastDay: "2024-10-09" });
    expect(d.endsAt.toISOString()).toBe("2024-10-09T16:00:00.000Z");
    expect(endOfBeijingDay("2025-02-07").toISOString()).toBe("2025-02-07T16:00:00.000Z");
  });

  it("an instant of service counts by its Beijing date", () => {
    // 2024-09-28T17:30Z is 2024-09-29 01:30 in Beijing
    expect(beijingDateOf(new Date("2024-09-28T17:30:00Z"))).toBe("2024-09-29");
    expect(deadlineOf(new Date("2024-09-28T17:30:00Z"), 3).lastDay).toBe("2024-10-09");
    // 2024-09-29T15:59:59Z is still 09-29 in Beijing; 16:00Z is 09-30
    expect(beijingDateOf(new Date("2024-09-29T15:59:59Z"))).toBe("2024-09-29");
    expect(deadlineOf(new Date("2024-09-29T16:00:00Z"), 3).lastDay).toBe("2024-10-10");
  });
});

describe("workingDaysLeft", () => {
  const deadline = deadlineOf("2024-09-29", 3); // ends 2024-10-09 24:00 Beijing
  it("counts today (if a working day) through the last day", () => {
    expect(workingDaysLeft(new Date("2024-09-29T02:00:00Z"), deadline)).toBe(4); // 09-29, 09-30, 10-08, 10-09
    expect(workingDaysLeft(new Date("2024-10-01T02:00:00Z"), deadline)).toBe(2); // holiday: 10-08, 10-09
    expect(workingDaysLeft(new Date("2024-10-09T02:00:00Z"), deadline.endsAt)).toBe(1);
    expect(workingDaysLeft(new Date("2024-10-09T15:59:59Z"), deadline)).toBe(1); // 23:59:59 Beijing
  });
  it("is 0 from 24:00 Beijing on", () => {
    expect(workingDaysLeft(new Date("2024-10-09T16:00:00Z"), deadline)).toBe(0);
    expect(workingDaysLeft(new Date("2025-01-01T00:00:00Z"), deadline)).toBe(0);
  });
});

describe("time zone of the server", () => {
  it("gives the same days whatever TZ the process runs in", () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ["America/Los_Angeles", "Asia/Shanghai", "Pacific/Kiritimati", "UTC"]) {
        process.env.TZ = tz;
        expect(addWorkingDays("2024-10-03", 3)).toBe("2024-10-10");
        expect(addWorkingDays("2025-01-24", 3)).toBe("2025-02-05");
        expect(deadlineOf(new Date("2024-09-28T17:30:00Z"), 3).endsAt.toISOString()).toBe("2024-10-09T16:00:00.000Z");
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
