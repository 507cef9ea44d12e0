import { describe, expect, it } from "vitest";
import en from "../../messages/en.json";
import zh from "../../messages/zh.json";
import * as enums from "../../lib/enums";

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
    expect(all).toHaveLength(11);
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
