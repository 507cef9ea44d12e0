import { describe, expect, it } from "vitest";
import { addMonths, defaultValidTo, parseClasses, parseRecordationFilters, recordationState, renewable, renewedValidTo, todayInBeijing } from "../../lib/recordations";
import { sniffImageType } from "../../lib/file-types";

// The recordations' pure rules: ten years, renewable in the last six months, the derived state.

describe("recordation dates", () => {
  it("moves by months with the day clamped to the month's last", () => {
    expect(addMonths("2024-08-31", 6)).toBe("2025-02-28");
    expect(addMonths("2023-08-31", 6)).toBe("2024-02-29");
    expect(addMonths("2026-01-15", -1)).toBe("2025-12-15");
  });
  it("lasts ten years less a day; a renewal adds ten years from the next day", () => {
    expect(defaultValidTo("2016-07-01")).toBe("2026-06-30");
    expect(defaultValidTo("2016-02-29")).toBe("2026-02-27");
    expect(renewedValidTo("2026-06-30")).toBe("2036-06-30");
  });
  it("derives the state from the approval and the dates", () => {
    const today = "2026-06-15";
    expect(recordationState({ status: "approved", validTo: "2026-12-16" }, today)).toBe("valid");
    expect(recordationState({ status: "approved", validTo: "2026-12-15" }, today)).toBe("expiring");
    expect(recordationState({ status: "approved", validTo: "2026-06-15" }, today)).toBe("expiring");
    expect(recordationState({ status: "approved", validTo: "2026-06-14" }, today)).toBe("expired");
    expect(recordationState({ status: "pending", validTo: "2020-01-01" }, today)).toBe("pending");
    expect(recordationState({ status: "revoked", validTo: "2030-01-01" }, today)).toBe("revoked");
    expect(renewable({ status: "approved", validTo: "2026-12-15" }, today)).toBe(true);
    expect(renewable({ status: "approved", validTo: "2026-12-16" }, today)).toBe(false);
    expect(renewable({ status: "approved", validTo: "2026-06-14" }, today)).toBe(false);
  });
  it("counts today in Beijing", () => {
    expect(todayInBeijing(new Date("2026-06-14T16:30:00Z"))).toBe("2026-06-15");
    expect(todayInBeijing(new Date("2026-06-14T15:59:00Z"))).toBe("2026-06-14");
  });
});

describe("recordation input pieces", () => {
  it("reads Nice classes in any separator, sorted, once", () => {
    expect(parseClasses("25, 9，9 35")).toEqual([9, 25, 35]);
    expect(parseClasses("")).toEqual([]);
    expect(parseClasses("0")).toBeNull();
    expect(parseClasses("46")).toBeNull();
    expect(parseClasses("9a")).toBeNull();
  });
  it("tells PNG, JPEG and WebP by their bytes, nothing else", () => {
    expect(sniffImageType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe("image/png");
    expect(sniffImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(sniffImageType(new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 "))).toBe("image/webp");
    expect(sniffImageType(new TextEncoder().encode("<svg xmlns="))).toBeNull();
    expect(sniffImageType(new TextEncoder().encode("GIF89a"))).toBeNull();
  });
  it("drops and names a bad filter parameter", () => {
    expect(parseRecordationFilters({ holder: "3", kind: "trademark", state: "expiring" })).toEqual({ filters: { page: 1, holder: 3, kind: "trademark", state: "expiring" }, ignored: [] });
    expect(parseRecordationFilters({ holder: "x", kind: "song", state: "soon", page: "0" })).toEqual({ filters: { page: 1 }, ignored: ["holder", "kind", "state", "page"] });
  });
});
