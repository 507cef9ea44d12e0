import { getTableColumns } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import en from "../../messages/en.json";
import zh from "../../messages/zh.json";
import { cases } from "../../db/sqlite/schema";
import {
  CASE_COLUMN_FIELDS, CASE_EXPORT_HEADERS, CASE_FIELDS, CASE_FORM_FIELDS, CASE_INPUT_KEYS, ENUM_FIELDS, caseFromRow, caseRowArray, caseRowValues,
  enumFieldsOf, formNameOf, importColumnOf, withBlanks, type CaseFieldDef, type CaseInput,
} from "../../lib/case-definition";
import { caseToFormValues, createCaseSchema } from "../../lib/case-schema";
import { ENUMS } from "../../lib/enums";
import { EXPORT_COLUMNS, exportCells, exportHeader, type ExportRow } from "../../lib/export-columns";
import { EMPTY_FILTERS } from "../../lib/filters";
import { formatYuanAmount, yuanText } from "../../lib/format";
import { REQUIRED_COLUMNS, columnOfHeader } from "../../lib/import/columns";

// The derivations from the one case definition (lib/case-definition.ts): what a new field
// gets by being added there.

const fields = CASE_FIELDS as readonly CaseFieldDef[];

const sample: CaseInput = {
  caseNo: "5300-2024-0001", seizedOn: "2024-05-06", officeId: 3, infringementType: "trademark", goodsCategory: "toys",
  goodsDescription: "Toy cars", pieces: 1200, valueFen: 625_000_050, direction: "export", channel: "express", transport: "sea",
  protectionMode: "ex_officio", originCountry: "CN", destinationCountry: null, campaignId: null, status: "closed",
  disposal: "destroyed", hearingHeld: true, referredToPolice: false, penaltyFen: null, rightHolderIds: [4, 9], notes: null,
};

describe("the case definition", () => {
  it("names each field, column and export column once", () => {
    const unique = (xs: readonly string[]) => expect(new Set(xs).size).toBe(xs.length);
    unique(fields.map((f) => f.key));
    unique(CASE_COLUMN_FIELDS.map((f) => f.column));
    unique(CASE_EXPORT_HEADERS.map((h) => h.key));
    unique(CASE_EXPORT_HEADERS.map((h) => h.en.toLowerCase()));
    unique(CASE_EXPORT_HEADERS.map((h) => h.zh));
  });

  it("has every column of the cases table that a case's input fills, and no other", () => {
    const tableColumns = Object.values(getTableColumns(cases)).map((c) => c.name);
    const bookkeeping = ["id", "created_at", "created_by", "updated_at", "updated_by", "version", "deleted_at"];
    expect(CASE_COLUMN_FIELDS.map((f) => f.column).sort()).toEqual(tableColumns.filter((c) => !bookkeeping.includes(c)).sort());
  });

  it("uses enumerations of lib/enums.ts, filters of lib/filters.ts and labels both catalogs have", () => {
    const enums = Object.values(ENUMS);
    for (const f of ENUM_FIELDS) expect(enums, f.key).toContain(f.enum);
    for (const f of fields) if (f.filter) expect(Object.keys(EMPTY_FILTERS), f.key).toContain(f.filter);
    for (const catalog of [en, zh]) {
      const labels = catalog.forms.fields as Record<string, string>;
      for (const name of CASE_FORM_FIELDS) expect(labels[name], `forms.fields.${name}`).toBeTruthy();
      for (const f of ENUM_FIELDS) if (f.noneLabel) expect(labels[f.noneLabel.replace(/^fields\./, "")], f.noneLabel).toBeTruthy();
      for (const section of new Set(fields.map((f) => f.section))) expect((catalog.forms.sections as Record<string, string>)[section]).toBeTruthy();
    }
  });
});

describe("derived: the input, the form and the schema", () => {
  it("the input's keys are the definition's, and the form names money in yuan", () => {
    expect(Object.keys(withBlanks(sample)).sort()).toEqual([...CASE_INPUT_KEYS].sort());
    expect(formNameOf("valueFen")).toBe("valueYuan");
    expect(formNameOf("penaltyFen")).toBe("penaltyYuan");
    expect(CASE_FORM_FIELDS).toEqual(CASE_INPUT_KEYS.map((k) => formNameOf(k)));
  });

  it("every enumerated field is a select of its section, required unless optional", () => {
    const sections = new Set(ENUM_FIELDS.map((f) => f.section));
    expect([...sections].flatMap((s) => enumFieldsOf(s).map((f) => f.key)).sort()).toEqual(ENUM_FIELDS.map((f) => f.key).sort());
    const noValue = Object.fromEntries(Object.entries(caseToFormValues(sample)).map(([k, v]) => [k, ENUM_FIELDS.some((f) => f.key === k) ? "" : v]));
    const result = createCaseSchema.safeParse(noValue);
    expect(result.success).toBe(false);
    const missing = result.success ? [] : result.error.issues.filter((i) => i.message === "required").map((i) => String(i.path[0])).sort();
    expect(missing).toEqual(ENUM_FIELDS.filter((f) => !f.optional).map((f) => f.key).sort());
  });

  it("an enumerated field refuses a value outside its enumeration with 'choice'", () => {
    for (const f of ENUM_FIELDS) {
      const result = createCaseSchema.safeParse({ ...caseToFormValues(sample), [f.key]: "no_such_value" });
      expect(result.success, f.key).toBe(false);
      if (!result.success) expect(result.error.issues.map((i) => [i.path[0], i.message])).toContainEqual([f.key, "choice"]);
    }
  });

  it("form values → schema → input round-trips a case", () => {
    const result = createCaseSchema.safeParse(caseToFormValues(sample));
    expect(result.success).toBe(true);
    expect(result.data).toEqual(withBlanks(sample));
  });

  it("the writer's row values and the stored row round-trip a case (flags as 0/1, no right holders)", () => {
    const row = caseRowValues(withBlanks(sample));
    expect(Object.keys(row).sort()).toEqual(CASE_COLUMN_FIELDS.map((f) => f.key).sort());
    expect(row.hearingHeld).toBe(1);
    expect(row.referredToPolice).toBe(0);
    expect(caseFromRow(row, sample.rightHolderIds)).toEqual(withBlanks(sample));
    expect(caseRowArray(sample)).toEqual(CASE_COLUMN_FIELDS.map((f) => row[f.key]));
  });
});

describe("derived: import and export columns", () => {
  it("the export writes the definition's columns in order, and the import recognises each header in both languages", () => {
    expect(EXPORT_COLUMNS.map((c) => c.key)).toEqual(CASE_EXPORT_HEADERS.map((h) => h.key));
    expect(exportHeader("zh")).toEqual(CASE_EXPORT_HEADERS.map((h) => h.zh));
    for (const h of CASE_EXPORT_HEADERS) {
      expect(columnOfHeader(h.en)).toBe(h.key);
      expect(columnOfHeader(h.zh)).toBe(h.key);
    }
  });

  it("requires the columns of the fields that cannot be blank (a flag's blank is no)", () => {
    expect([...REQUIRED_COLUMNS].sort()).toEqual(fields.filter((f) => !f.optional && f.kind !== "flag").map(importColumnOf).sort());
  });

  it("writes enumerations as labels, money in yuan and flags as yes/no", () => {
    const row: ExportRow = {
      ...sample, districtCode: "5300", districtNameEn: "Shenzhen Customs", districtNameZh: "深圳海关", officeCode: "5301",
      officeNameEn: "Huanggang", officeNameZh: "皇岗", campaignCode: null, campaignNameEn: null, campaignNameZh: null,
      hearingHeld: 1, referredToPolice: 0, rightHolders: "A; B",
    };
    const cell = (locale: "en" | "zh", key: string) => exportCells(row, locale)[EXPORT_COLUMNS.findIndex((c) => c.key === key)];
    expect(cell("en", "infringement_type")).toBe("Trademark");
    expect(cell("zh", "infringement_type")).toBe("商标权");
    expect(cell("en", "value_yuan")).toBe("6250000.50");
    expect(cell("en", "penalty_yuan")).toBeNull();
    expect(cell("en", "hearing_held")).toBe("yes");
    expect(cell("zh", "referred_to_police")).toBe("否");
    expect(cell("zh", "office")).toBe("皇岗");
    expect(cell("en", "right_holders")).toBe("A; B");
  });
});

describe("fen → yuan, one function", () => {
  it("writes exact yuan, grouped or plain, with or without whole cents", () => {
    expect(yuanText(625_000_000)).toBe("6250000.00");
    expect(yuanText(625_000_000, { group: "en" })).toBe("6,250,000.00");
    expect(yuanText(625_000_000, { cents: "if-any" })).toBe("6250000");
    expect(yuanText(1205, { cents: "if-any" })).toBe("12.05");
    expect(yuanText(-29)).toBe("-0.29");
    expect(formatYuanAmount(123_456_789, "zh")).toBe(yuanText(123_456_789, { group: "zh" }));
    expect(() => yuanText(1.5)).toThrow(RangeError);
  });
});
