import { describe, expect, it } from "vitest";
import { addDays, canonicalProfileQuery, isActiveOn, lastMonths, shanghaiDate, shanghaiStart } from "../../lib/risk-profiles";

// Risk profiles' pure parts (issue 18, item 4): the canonical filter query (the filter model's,
// no sort, size or page), Beijing dates, the active test and the sparkline's months.

describe("risk profiles", () => {
  it("keeps a filter as the filter model's canonical query, dropping what is no filter", () => {
    expect(canonicalProfileQuery("?sort=value.desc&size=50&q=toys&type=trademark&bogus=1&page=3")).toBe("type=trademark&q=toys");
    expect(canonicalProfileQuery("type=nothing")).toBe("");
    expect(canonicalProfileQuery(new URLSearchParams("district=8600&from=2024-01-01"))).toBe("from=2024-01-01&district=8600");
  });

  it("counts days in Beijing time", () => {
    // 2026-01-31 17:00 UTC is already 1 February in Beijing
    expect(shanghaiDate(Date.parse("2026-01-31T17:00:00Z"))).toBe("2026-02-01");
    expect(shanghaiStart("2026-02-01")).toBe(Date.parse("2026-01-31T16:00:00Z"));
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
  });

  it("is active from its first to its last valid day, unless archived", () => {
    const p = { archived: false, validFrom: "2026-01-01", validTo: "2026-06-30" };
    expect(isActiveOn(p, "2025-12-31")).toBe(false);
    expect(isActiveOn(p, "2026-01-01")).toBe(true);
    expect(isActiveOn(p, "2026-06-30")).toBe(true);
    expect(isActiveOn(p, "2026-07-01")).toBe(false);
    expect(isActiveOn({ ...p, validTo: null }, "2099-01-01")).toBe(true);
    expect(isActiveOn({ ...p, archived: true }, "2026-03-01")).toBe(false);
  });

  it("lists the last months across a year's end", () => {
    expect(lastMonths("2026-02-14", 4)).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(lastMonths("2026-12-01", 1)).toEqual(["2026-12"]);
  });
});
