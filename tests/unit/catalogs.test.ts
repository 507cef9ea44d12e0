import { describe, expect, it } from "vitest";
import en from "../../messages/en.json";
import zh from "../../messages/zh.json";
import * as enums from "../../lib/enums";
import { FILTER_LABELS, filterChips } from "../../lib/filter-labels";
import { EMPTY_FILTERS, ENUM_FILTERS, FACET_NAMES, FILTER_NAMES } from "../../lib/filters";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function leaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null) return [];
  return Object.values(value).flatMap(leaves);
}

describe("message catalogs", () => {
  it("English and Chinese have exactly the same keys", () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort());
  });

  it("no message is empty, and the Chinese catalog is really Chinese", () => {
    for (const s of [...leaves(en), ...leaves(zh)]) expect(s.trim()).not.toBe("");
    const zhTexts = leaves(zh).filter((s) => s !== "English");
    const withHan = zhTexts.filter((s) => /\p{Script=Han}/u.test(s));
    expect(withHan.length).toBe(zhTexts.length);
  });
});

describe("enumerations", () => {
  const all = Object.values(enums.ENUMS) as unknown as { values: string[]; labels: Record<string, { en: string; zh: string }> }[];

  it("are all found, each with a label in both languages", () => {
    expect(all).toHaveLength(15);
    for (const e of all) {
      expect(e.values.length).toBeGreaterThan(1);
      for (const v of e.values) {
        expect(v).toMatch(/^[a-z_]+$/);
        expect(e.labels[v]!.en.trim()).not.toBe("");
        expect(e.labels[v]!.zh).toMatch(/\p{Script=Han}/u);
      }
    }
  });

  it("name the seven infringement types of the national statistics", () => {
    expect(enums.infringementTypes.values).toEqual([
      "trademark", "copyright", "invention_patent", "utility_model", "design_patent", "olympic_symbol", "world_expo_symbol",
    ]);
    expect(enums.infringementTypes.is("trademark")).toBe(true);
    expect(enums.infringementTypes.is("toString")).toBe(false);
    expect(enums.infringementTypes.label("copyright", "zh")).toBe("著作权");
  });
});

describe("filter names: one place, the catalogs", () => {
  it("every filter of lib/filters.ts is named in both catalogs' \"filters\", and nothing else is", () => {
    expect(Object.keys(en.filters).sort()).toEqual([...FILTER_NAMES].sort());
    expect(Object.keys(zh.filters).sort()).toEqual([...FILTER_NAMES].sort());
    for (const name of FACET_NAMES) expect(FILTER_NAMES).toContain(name);
  });

  it("the catalogs no longer name filters anywhere else (the facet selects read \"filters\")", () => {
    for (const name of FILTER_NAMES) expect(Object.keys(en.cases.facets)).not.toContain(name);
  });

  it("the chips and the export's filter sheet take their names from the catalogs", () => {
    expect(FILTER_LABELS.office).toEqual({ en: en.filters.office, zh: zh.filters.office });
    const [chip] = filterChips({ ...EMPTY_FILTERS, office: ["8601"] }, "en", {
      district: {}, office: { "8601": { en: "Kunming Airport", zh: "昆明机场" } }, holder: {}, campaign: {},
    });
    expect(chip!.label).toBe(`${en.filters.office}: Kunming Airport (8601)`);
    expect(filterChips({ ...EMPTY_FILTERS, q: "shoes" }, "zh")[0]!.label).toBe(`${zh.filters.q}：shoes`);
  });

  it("every enumerated filter is an enumeration of lib/enums.ts, so its values' labels come from there", () => {
    // the disposal filter is the disposals and "not disposed of yet" (lib/enums.ts disposalFilterValues)
    const known = new Set<unknown>([...Object.values(enums.ENUMS), enums.disposalFilterValues]);
    for (const [name, e] of Object.entries(ENUM_FILTERS)) {
      expect(known.has(e), name).toBe(true);
      expect(FILTER_NAMES).toContain(name);
    }
    for (const value of enums.disposals.values) expect(enums.disposalFilterValues.labels[value]).toEqual(enums.disposals.labels[value]);
  });
});
