import { describe, expect, it } from "vitest";
import { countryCodes, countryName, countryOptions, isCountryCode, searchCountries } from "../../lib/countries";
import { normaliseDateInput, parseDateInput } from "../../lib/dates";
import { provinceLabel, provinces } from "../../lib/enums";
import { latinLang } from "../../lib/format";
import fs from "node:fs";

describe("dates as people type them", () => {
  it("reads YYYY-MM-DD and the shapes Chinese users write", () => {
    for (const typed of ["2025-03-14", "2025-3-14", "2025/3/14", "2025/03/14", "2025.3.14", "2025年3月14日", "2025年03月14日", " 2025 年 3 月 14 日 ", "２０２５／３／１４"]) {
      expect(parseDateInput(typed), typed).toBe("2025-03-14");
    }
  });
  it("refuses dates the calendar does not have and other shapes", () => {
    for (const typed of ["2025-02-30", "2025/13/1", "2025年2月29日", "03/14/2025", "14.3.2025", "2025-03", "20250314", "", "yesterday"]) {
      expect(parseDateInput(typed), typed).toBeNull();
    }
    expect(parseDateInput("2024年2月29日")).toBe("2024-02-29");
    // what cannot be read goes on as typed, for the schema to refuse naming the field
    expect(normaliseDateInput(" 2025/2/30 ")).toBe("2025/2/30");
  });
});

describe("countries", () => {
  it("lists every ISO 3166-1 code once, named in both languages", () => {
    const codes = countryCodes();
    expect(codes.length).toBeGreaterThanOrEqual(249);
    expect(new Set(codes).size).toBe(codes.length);
    for (const locale of ["en", "zh"] as const) {
      const list = countryOptions(locale);
      expect(list.map((o) => o.code).sort()).toEqual([...codes].sort());
      for (const o of list) expect(o.name, o.code).not.toBe(o.code);
    }
    // Chinese names are Chinese, with no Latin letters
    for (const o of countryOptions("zh")) expect(o.name, o.code).not.toMatch(/[A-Za-z]/);
  });
  it("names codes as people say them", () => {
    expect(countryName("US", "en")).toBe("United States");
    expect(countryName("GB", "en")).toBe("United Kingdom");
    expect(countryName("KR", "en")).toBe("South Korea");
    expect(countryName("US", "zh")).toBe("美国");
    expect(countryName("GB", "zh")).toBe("英国");
    expect(countryName("CN", "zh")).toBe("中国");
    expect(countryName("XX", "zh")).toBe("XX");
    expect(isCountryCode("DE")).toBe(true);
    expect(isCountryCode("de")).toBe(false);
    expect(isCountryCode("XX")).toBe(false);
  });
  it("finds a country by its code, its name in either language, or a word of it", () => {
    expect(searchCountries("us", "en")[0]!.code).toBe("US");
    expect(searchCountries("germ", "en")[0]!.code).toBe("DE");
    expect(searchCountries("德国", "en")[0]!.code).toBe("DE");
    expect(searchCountries("德", "zh")[0]!.code).toBe("DE");
    expect(searchCountries("japan", "zh")[0]!.code).toBe("JP");
    expect(searchCountries("korea", "en").map((o) => o.code)).toEqual(expect.arrayContaining(["KR", "KP"]));
    expect(searchCountries("zzzz", "en")).toEqual([]);
  });
  it("sorts Chinese names by pinyin", () => {
    const names = countryOptions("zh").map((o) => o.name);
    expect(names.indexOf("阿根廷")).toBeLessThan(names.indexOf("中国"));
  });
});

describe("provinces and English data on Chinese pages", () => {
  it("names every province of the customs districts in Chinese", () => {
    const csv = fs.readFileSync(new URL("../../seed/reference/customs-districts.csv", import.meta.url), "utf8").trim().split("\n").slice(1);
    for (const line of csv) {
      const province = line.split(",")[3]!;
      expect(provinces.is(province), province).toBe(true);
      expect(provinceLabel(province, "zh")).toMatch(/^[\u4e00-\u9fff]+$/);
      expect(provinceLabel(province, "en")).toBe(province);
    }
    expect(provinceLabel("Inner Mongolia", "zh")).toBe("内蒙古");
    expect(provinceLabel("Atlantis", "zh")).toBe("Atlantis");
  });
  it("marks text in Latin letters with no Chinese as English", () => {
    expect(latinLang("Counterfeit running shoes")).toBe("en");
    expect(latinLang("假冒运动鞋")).toBeUndefined();
    expect(latinLang("耐克 Nike 运动鞋")).toBeUndefined();
    expect(latinLang("1200")).toBeUndefined();
    expect(latinLang(null)).toBeUndefined();
  });
});
