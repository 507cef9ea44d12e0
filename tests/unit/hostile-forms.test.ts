import ExcelJS from "exceljs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formToObject } from "../../app/actions/wrapper";
import type { CaseValues } from "../../lib/case-definition";
import {
  CASE_FORM_FIELDS, CASE_NO_PATTERN, EARLIEST_SEIZURE, MAX_GOODS_LENGTH, MAX_NOTES_LENGTH, MAX_PIECES, createCaseSchema,
  todayInShanghai, updateCaseSchema,
} from "../../lib/case-schema";
import { csvLine, neutraliseFormula, UTF8_BOM } from "../../lib/csv";
import {
  caseStatuses, channels, directions, disposals, goodsCategories, infringementTypes, protectionModes, transports,
} from "../../lib/enums";
import { exportHeader } from "../../lib/export-columns";
import { isIsoDate } from "../../lib/filters";
import { ImportFileError, parseCsvBytes, parseCsvText, parseImportFile, unneutralise } from "../../lib/import/parse";
import { validateImport, type ImportReference } from "../../lib/import/validate";

// Hostile input at the forms and the import (issue 7, item 3): the case schema and the
// FormData reader never throw, whatever arrives (a server action can be posted any body);
// what they accept keeps the domain rules; the import reads junk, huge cells and formula
// cells without an unexpected error.
//
// Formula cells and the leading apostrophe — the policy these tests pin down:
// * Neutralising is an OUTPUT concern for what people type: a case form stores "=1+1" as a
//   goods text like any other (the UI renders it as text); every CSV export prefixes a cell
//   that starts with = + - @ TAB CR (or apostrophes before one) with an apostrophe (lib/csv.ts
//   neutraliseFormula), and the XLSX export writes strings as strings, never as formulas.
// * An uploaded file is refused, row by row, where it holds a formula: an XLSX formula cell
//   (neither its formula nor its cached result is stored), or a CSV cell that a spreadsheet
//   would run (= or @ first, or + - before anything but a plain number). Such text is
//   written with an apostrophe first, as the export does; the import takes that one
//   apostrophe off again (lib/import/parse.ts unneutralise), so export → import gives back
//   the stored text exactly. An apostrophe not followed by a formula character ("'tis") is
//   kept as written.

const MALICIOUS = [
  "' or 1=1 --", "1; drop table cases", "\"; delete from cases; --", "NEAR(", "*", "col:", "\"", "=HYPERLINK(\"http://evil\",\"x\")",
  "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1:A9)", "=1+1", "\t=1", "\r=1", "'=1+1", "''=1", "'tis",
  "1e308", "-1e308", "Infinity", "-Infinity", "NaN", "-0", "0", "9007199254740993", "2e53", "0x10", "1_000", "1,000", "12 000",
  "¥12.30", "RMB 1,234.5", "CNY-5", "-5", "+5", "5.", ".5", "5.555", "99999999999999", "1e9", "1000000001", "٣", "１２",
  "2016-02-30", "1989-12-31", "1990-01-01", "9999-12-31", "2016-1-1", " 2020-01-01 ", "+002020-01-01",
  "trademark", "TRADEMARK", "__proto__", "constructor", "toString", "on", "true", "1", "us", "USA", "u",
  "\u0000", "\r\n", "\u0085", "\u202e", "e\u0301\u0301", "😀", "\ud800", "阿维", "x".repeat(10_001), "", " ",
];

const hostileScalar = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...MALICIOUS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom(1e308, -0, Number.NaN, Infinity, 2 ** 53 + 1, -1, 0, 1, 0.5, 12, Number.MAX_SAFE_INTEGER) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, true, false) },
  { weight: 1, arbitrary: fc.date() },
);
const hostileValue = fc.oneof(
  { weight: 6, arbitrary: hostileScalar },
  { weight: 1, arbitrary: fc.array(hostileScalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), hostileScalar, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2, withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true }) },
);

/** A case form that passes, so that hostile values in some fields still leave others valid. */
const VALID: Record<string, unknown> = {
  caseNo: "8600-2016-0012", officeId: "3", seizedOn: "2020-02-29", infringementType: "trademark", goodsCategory: "lighting",
  goodsDescription: "LED lamps", pieces: "120", valueYuan: "12,345.60", direction: "export", channel: "express", transport: "air",
  protectionMode: "ex_officio", originCountry: "cn", destinationCountry: "", campaignId: "", status: "detained", disposal: "",
  hearingHeld: "on", penaltyYuan: "", notes: "", rightHolderIds: ["1", "2"],
};
const FIELD_NAMES = [...CASE_FORM_FIELDS, "id", "version"];
/** The valid form with some fields replaced by hostile values, some removed, junk added. */
const hostileForm = fc
  .tuple(
    fc.dictionary(fc.constantFrom(...FIELD_NAMES), hostileValue, { maxKeys: 6 }),
    fc.subarray(FIELD_NAMES, { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("__proto__", "constructor", "toString", "$ACTION_ID_1", "x", ""), hostileValue, { maxKeys: 2 }),
    fc.boolean(),
  )
  .map(([replaced, removed, junk, withId]) => {
    const form: Record<string, unknown> = { ...VALID, ...(withId ? { id: "7", version: "1" } : {}) };
    for (const name of removed) delete form[name];
    for (const [k, v] of Object.entries(replaced)) form[k] = v;
    for (const [k, v] of Object.entries(junk)) Object.defineProperty(form, k, { value: v, enumerable: true, configurable: true, writable: true });
    return form;
  });

const ENUMS = { infringementTypes, goodsCategories, directions, channels, transports, protectionModes, caseStatuses };
const positiveId = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 1;

function expectDomainRules(c: CaseValues) {
  expect(c.caseNo).toMatch(CASE_NO_PATTERN);
  expect(positiveId(c.officeId), `officeId ${c.officeId}`).toBe(true);
  expect(isIsoDate(c.seizedOn), c.seizedOn).toBe(true);
  expect(c.seizedOn >= EARLIEST_SEIZURE && c.seizedOn <= todayInShanghai(), c.seizedOn).toBe(true);
  expect(Number.isSafeInteger(c.pieces) && c.pieces >= 1 && c.pieces <= MAX_PIECES, `pieces ${c.pieces}`).toBe(true);
  expect(Number.isSafeInteger(c.valueFen) && c.valueFen >= 0 && !Object.is(c.valueFen, -0), `valueFen ${c.valueFen}`).toBe(true);
  if (c.penaltyFen !== null) expect(Number.isSafeInteger(c.penaltyFen) && c.penaltyFen >= 0, `penaltyFen ${c.penaltyFen}`).toBe(true);
  expect(infringementTypes.is(c.infringementType)).toBe(true);
  expect(goodsCategories.is(c.goodsCategory)).toBe(true);
  expect(directions.is(c.direction)).toBe(true);
  expect(channels.is(c.channel)).toBe(true);
  expect(transports.is(c.transport)).toBe(true);
  expect(protectionModes.is(c.protectionMode)).toBe(true);
  expect(caseStatuses.is(c.status)).toBe(true);
  if (c.disposal !== null) expect(disposals.is(c.disposal)).toBe(true);
  expect(typeof c.goodsDescription).toBe("string");
  expect(c.goodsDescription.length >= 1 && c.goodsDescription.length <= MAX_GOODS_LENGTH).toBe(true);
  expect(c.goodsDescription).toBe(c.goodsDescription.trim());
  if (c.notes !== null) expect(typeof c.notes === "string" && c.notes.length <= MAX_NOTES_LENGTH).toBe(true);
  for (const country of [c.originCountry, c.destinationCountry]) if (country !== null) expect(country).toMatch(/^[A-Z]{2}$/);
  if (c.campaignId !== null) expect(positiveId(c.campaignId)).toBe(true);
  expect(typeof c.hearingHeld).toBe("boolean");
  expect(typeof c.referredToPolice).toBe("boolean");
  expect(c.rightHolderIds.length).toBeGreaterThan(0);
  for (const h of c.rightHolderIds) expect(positiveId(h), `rightHolderId ${String(h)}`).toBe(true);
  expect(new Set(c.rightHolderIds).size).toBe(c.rightHolderIds.length);
  void ENUMS;
}

describe("the case form's schema under hostile input", () => {
  it("never throws, and whatever it accepts keeps the domain rules", () => {
    fc.assert(
      fc.property(hostileForm, (form) => {
        const created = createCaseSchema.safeParse(form);
        if (created.success) expectDomainRules(created.data);
        else expect(created.error.issues.length).toBeGreaterThan(0);
        const updated = updateCaseSchema.safeParse(form);
        if (updated.success) {
          expect(positiveId(updated.data.id) && positiveId(updated.data.version)).toBe(true);
          expectDomainRules(updated.data.input);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it("never throws on a body that is not a form at all", () => {
    fc.assert(
      fc.property(hostileValue, (body) => {
        expect(() => createCaseSchema.safeParse(body)).not.toThrow();
        expect(() => updateCaseSchema.safeParse(body)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it("accepts the valid form (the generator's base), so the property above exercises acceptance", () => {
    const parsed = createCaseSchema.safeParse(VALID);
    expect(parsed.success).toBe(true);
    expectDomainRules(parsed.data!);
    expect(parsed.data!.valueFen).toBe(1_234_560);
  });

  it.each([
    ["pieces", "1e308"], ["pieces", 1e308], ["pieces", "0"], ["pieces", "-0"], ["pieces", 2 ** 53 + 1], ["pieces", "NaN"], ["pieces", "1.5"],
    ["valueYuan", "1e308"], ["valueYuan", "-1"], ["valueYuan", "99999999999999"], ["valueYuan", "NaN"], ["valueYuan", ["1", "2"]],
    ["seizedOn", "9999-12-31"], ["seizedOn", "2016-02-30"], ["seizedOn", ["2020-01-01"]],
    ["rightHolderIds", []], ["rightHolderIds", ["0"]], ["rightHolderIds", ["9007199254740993"]], ["rightHolderIds", ["1e400"]],
    ["status", "__proto__"], ["infringementType", "toString"], ["caseNo", "8600-2016-0012'; drop table cases; --"],
  ])("refuses %s=%j", (field, value) => {
    expect(createCaseSchema.safeParse({ ...VALID, [field]: value }).success).toBe(false);
  });
});

describe("formToObject under hostile FormData", () => {
  const formName = fc.oneof(
    fc.constantFrom(...FIELD_NAMES, "rightHolderIds[]", "__proto__", "__proto__[]", "constructor", "constructor[]", "toString",
      "toString[]", "hasOwnProperty", "valueOf[]", "$ACTION_ID_abc", "$ACTION_REF_1", "[]", "", "x[][]"),
    fc.string({ unit: "binary", maxLength: 12 }),
  );
  const formValue = fc.oneof(fc.constantFrom(...MALICIOUS), fc.string({ unit: "binary", maxLength: 20 }));
  const formEntries = fc.array(fc.tuple(formName, formValue, fc.boolean()), { maxLength: 25 });

  it("never throws; gives own, plain values (strings or string lists) and no prototype tricks", () => {
    fc.assert(
      fc.property(formEntries, (entries) => {
        const form = new FormData();
        for (const [name, value, asFile] of entries) {
          if (asFile) form.append(name, new Blob([value]), "x.csv");
          else form.append(name, value);
        }
        const out = formToObject(form);
        expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
        for (const [name, value] of Object.entries(out)) {
          expect(name.startsWith("$ACTION")).toBe(false);
          const ok = typeof value === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string"));
          expect(ok, `${name} → ${typeof value}`).toBe(true);
        }
        // every text entry is kept, in order, under its name
        const expected = new Map<string, string[]>();
        for (const [name, value] of form.entries()) {
          if (name.startsWith("$ACTION") || typeof value !== "string") continue;
          const key = name.endsWith("[]") ? name.slice(0, -2) : name;
          expected.set(key, [...(expected.get(key) ?? []), value]);
        }
        expect(new Set(Object.keys(out))).toEqual(new Set(expected.keys()));
        for (const [name, values] of expected) {
          const got = Object.getOwnPropertyDescriptor(out, name)!.value as string | string[];
          expect(Array.isArray(got) ? got : [got]).toEqual(values);
        }
        // and the schema takes whatever it gives without throwing
        expect(() => createCaseSchema.safeParse(out)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a list a list: `x[]` once is a one-element list, `x` then `x[]` a list of both", () => {
    const form = new FormData();
    form.append("rightHolderIds[]", "4");
    form.append("pieces", "1");
    form.append("pieces[]", "2");
    expect(formToObject(form)).toEqual({ rightHolderIds: ["4"], pieces: ["1", "2"] });
  });
});

describe("the import parser under hostile files", () => {
  const expectCleanRefusal = (error: unknown) => {
    expect(error, String(error)).toBeInstanceOf(ImportFileError);
    expect(["too_large", "empty", "unreadable", "not_utf8", "unsupported"]).toContain((error as ImportFileError).code);
  };
  const expectParsed = (p: { header: string[]; rows: { row: number; cells: string[] }[] }) => {
    expect(Array.isArray(p.header)).toBe(true);
    for (const r of p.rows) {
      expect(Number.isInteger(r.row) && r.row >= 2).toBe(true);
      for (const c of r.cells) expect(typeof c).toBe("string");
    }
  };

  it("reads or cleanly refuses binary junk, with or without a zip signature", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2_000 }),
          fc.uint8Array({ maxLength: 2_000 }).map((b) => Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...b])),
          fc.string({ unit: "binary", maxLength: 500 }).map((s) => new TextEncoder().encode(s)),
        ),
        fc.constantFrom("cases.csv", "cases.xlsx", "cases.xls", "x", ""),
        async (bytes, name) => {
          try {
            expectParsed(await parseImportFile(bytes, name));
          } catch (error) {
            expectCleanRefusal(error);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reads a damaged real workbook or refuses it as unreadable", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Cases");
    sheet.addRow(exportHeader("en"));
    sheet.addRow(["0200-2024-9501", "2024-03-05", { formula: "HYPERLINK(\"http://evil\",\"x\")", result: "x" }]);
    const good = new Uint8Array(await workbook.xlsx.writeBuffer());
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.nat({ max: good.length }), async (at, byte, cut) => {
        const bytes = good.slice(0, Math.max(cut, 4));
        if (at < bytes.length) bytes[at] = byte;
        try {
          expectParsed(await parseImportFile(bytes, "cases.xlsx"));
        } catch (error) {
          expectCleanRefusal(error);
        }
      }),
      { numRuns: 60 },
    );
    // intact, its formula cell is marked as one (the validation refuses it), with the formula to show
    const parsed = await parseImportFile(good, "cases.xlsx");
    expect(parsed.rows[0]!.cells[2]).toBe('=HYPERLINK("http://evil","x")');
    expect(parsed.rows[0]!.formulas).toEqual([2]);
  });

  const cellText = fc.oneof(
    fc.constantFrom(...MALICIOUS),
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 20 }),
    // huge cells: 10k–30k repetitions of a tricky piece
    fc.tuple(fc.constantFrom("x", "😀", "\"", ",", ";", "\r\n", "=1+", "\u0000"), fc.integer({ min: 10_000, max: 30_000 })).map(([s, n]) => s.repeat(n)),
  );

  it("parses CSV with hostile and huge cells (quotes, delimiters, line breaks) without throwing", () => {
    fc.assert(
      fc.property(fc.array(fc.array(cellText, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), (rows) => {
        const text = UTF8_BOM + rows.map((r) => csvLine(r)).join("");
        try {
          expectParsed(parseCsvText(text));
          expectParsed(parseCsvBytes(new TextEncoder().encode(text)));
        } catch (error) {
          expectCleanRefusal(error);
        }
      }),
      { numRuns: 150 },
    );
    // a bound for a hang, not a measure: 150 runs of cells up to 30,000 characters took over
    // vitest's 5 s default on a machine at load average 20
  }, 60_000);

  it("gives back exactly the text an export wrote, formula-looking or not (no apostrophe added or lost)", () => {
    const apostrophes = fc.constantFrom("'=x", "''=1", "'''+1", "'-", "'tis", "''", "'");
    fc.assert(
      fc.property(fc.array(fc.oneof(cellText, apostrophes), { minLength: 1, maxLength: 5 }), (texts) => {
        const header = texts.map((_, i) => `c${i}`);
        const parsed = parseCsvText(UTF8_BOM + csvLine(header) + csvLine(texts));
        if (texts.every((t) => t.trim() === "")) return; // a blank line is no row
        // a CSV cell holds no lone surrogates once encoded; compare what survives encoding
        expect(parsed.rows[0]!.cells).toEqual(texts.map((t) => t));
        // and nothing the export wrote is taken for a formula
        expect(parsed.rows[0]!.formulas).toBeUndefined();
        for (const t of texts) expect(unneutralise(neutraliseFormula(t))).toBe(t);
      }),
      { numRuns: 200 },
    );
  });

  const REFERENCE: ImportReference = {
    districts: new Map([["0200", 1]]),
    offices: new Map([["0200", { id: 1, districtCode: "0200" }], ["0201", { id: 2, districtCode: "0200" }]]),
    holders: new Map([["acme corp", 10]]),
    campaigns: new Map([["longteng", 3]]),
  };
  const STRICT = { update: false, skipInvalid: false, createHolders: false };

  it("refuses formula cells of an uploaded file, row and column named; an apostrophe makes them text", async () => {
    const header = exportHeader("en");
    const goods = header.indexOf("Goods");
    expect(goods).toBeGreaterThan(0);
    const base = ["0200-2024-9501", "2024-03-05", "0200", "Tianjin", "0201", "Tianjin Port", "Trademark", "Lighting", "lamps", "12", "1.50"];
    const row = (goodsCell: string) => header.map((_, i) => (i === goods ? goodsCell : (base[i] ?? "")));
    for (const f of ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1:A9)", " =1+1", "\t=1"]) {
      const parsed = parseCsvText(csvLine(header) + row(f).map((c) => `"${c.replace(/"/g, '""')}"`).join(",") + "\r\n");
      expect(parsed.rows[0]!.formulas, f).toEqual([goods]);
      const { rejected, accepted } = validateImport(parsed, REFERENCE, new Map(), STRICT);
      expect(accepted).toEqual([]);
      expect(rejected, f).toContainEqual(expect.objectContaining({ row: 2, column: "Goods", reason: "formula" }));
    }
    // numbers, a lone dash and apostrophe-escaped text are not formulas
    for (const text of ["-5", "+86", "-", "12.5", "'=1+1", "'@home", "a=b", "Nike - shoes"]) {
      expect(parseCsvText(`Goods\r\n"${text}"\r\n`).rows[0]!.formulas, text).toBeUndefined();
    }
    // our export's apostrophe is taken off; an apostrophe before ordinary text is kept
    expect(parseCsvText("a\r\n'=1+1\r\n").rows[0]!.cells[0]).toBe("=1+1");
    expect(parseCsvText("a\r\n'tis\r\n").rows[0]!.cells[0]).toBe("'tis");

    // an XLSX formula cell in a column that is read: refused, showing the formula, not its result
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Cases");
    sheet.addRow(header);
    sheet.addRow(row("").map((c, i) => (i === goods ? { formula: "1+1", result: 2 } : c)));
    const parsed = await parseImportFile(new Uint8Array(await workbook.xlsx.writeBuffer()), "cases.xlsx");
    expect(parsed.rows[0]!.cells[goods]).toBe("=1+1");
    const { rejected, accepted } = validateImport(parsed, REFERENCE, new Map(), STRICT);
    expect(accepted).toEqual([]);
    expect(rejected.filter((r) => r.reason === "formula")).toEqual([expect.objectContaining({ row: 2, column: "Goods", params: { value: "=1+1" } })]);
  });

  it("validates hostile rows under the export's header without throwing; accepted rows keep the domain rules", () => {
    const reference: ImportReference = {
      districts: new Map([["0200", 1]]),
      offices: new Map([["0200", { id: 1, districtCode: "0200" }], ["0201", { id: 2, districtCode: "0200" }]]),
      holders: new Map([["acme corp", 10]]),
      campaigns: new Map([["longteng", 3]]),
    };
    const header = exportHeader("en");
    const base = ["0200-2024-9501", "2024-03-05", "0200", "Tianjin", "0201", "Tianjin Port", "Trademark", "Lighting", "lamps", "12", "1.50"];
    const options = fc.record({ update: fc.boolean(), skipInvalid: fc.boolean(), createHolders: fc.boolean() });
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.option(cellText, { nil: undefined }), { maxLength: header.length + 2 }), { minLength: 1, maxLength: 5 }),
        options,
        (rows, opts) => {
          const parsed = {
            format: "csv" as const,
            header,
            rows: rows.map((cells, i) => ({ row: i + 2, cells: header.map((_, j) => cells[j] ?? base[j] ?? "") })),
          };
          const v = validateImport(parsed, reference, new Map(), opts);
          expect(v.accepted.length + new Set(v.rejected.map((r) => r.row)).size).toBeGreaterThanOrEqual(Math.min(1, rows.length));
          for (const a of v.accepted) {
            // a right holder created by this import has no id yet: check the others
            expectDomainRules({ ...a.input, rightHolderIds: a.input.rightHolderIds.length ? a.input.rightHolderIds : [1] });
          }
          for (const r of v.rejected) expect(typeof r.message).toBe("string");
        },
      ),
      { numRuns: 200 },
    );
  });
});
