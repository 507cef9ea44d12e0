import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { formToObject } from "../../app/actions/wrapper";
import {
  CASE_ERROR_CODES, CASE_FORM_FIELDS, caseToFormValues, createCaseSchema, deleteCaseSchema, isRealDate, restoreCaseSchema,
  todayInShanghai, updateCaseSchema,
} from "../../lib/case-schema";
import { CASE_FIELDS, formNameOf, withBlanks } from "../../lib/case-definition";
import en from "../../messages/en.json";
import zh from "../../messages/zh.json";

vi.mock("server-only", () => ({}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("@/db/client", () => ({ getDb: () => null }));
vi.mock("@/db/auth", () => ({ AccountError: class extends Error {}, userLabels: () => new Map() }));
vi.mock("../../app/session", () => ({ currentUser: async () => null }));

// The case form's schema: what the admin types (strings from a FormData) in, CaseInput out,
// or one error CODE per field that the form translates.

/** A form as the browser posts it: every field a string, checkboxes only when ticked. */
function form(over: Record<string, string | string[] | undefined> = {}): Record<string, unknown> {
  const base: Record<string, string | string[] | undefined> = {
    caseNo: "0100-2026-9001",
    officeId: "12",
    seizedOn: "2025-03-15",
    infringementType: "trademark",
    goodsCategory: "apparel_footwear",
    goodsDescription: "  Sports shoes with counterfeit logos  ",
    pieces: "1200",
    valueYuan: "6,250,000.5",
    direction: "export",
    channel: "express",
    transport: "air",
    protectionMode: "ex_officio",
    originCountry: "",
    destinationCountry: "us",
    campaignId: "",
    status: "detained",
    disposal: "",
    hearingHeld: "on",
    penaltyYuan: "",
    notes: "   ",
    rightHolderIds: ["3", "7"],
  };
  const merged = { ...base, ...over };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
}

function errorsOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): Record<string, string> {
  expect(result.success).toBe(false);
  const out: Record<string, string> = {};
  for (const issue of result.error!.issues) out[String(issue.path[0])] ??= issue.message;
  return out;
}

beforeEach(() => {
  vi.useFakeTimers();
  // 2025-06-01 02:00 in Beijing is still 2025-05-31 in UTC
  vi.setSystemTime(new Date("2025-05-31T18:00:00Z"));
});
afterEach(() => vi.useRealTimers());

describe("the case form schema", () => {
  it("turns a complete form into CaseInput: numbers coerced, yuan into fen, blanks into null", () => {
    const parsed = createCaseSchema.parse(form());
    // every field of the definition: an optional one added later is blank (null)
    expect(parsed).toEqual(withBlanks({
      caseNo: "0100-2026-9001",
      officeId: 12,
      seizedOn: "2025-03-15",
      infringementType: "trademark",
      goodsCategory: "apparel_footwear",
      goodsDescription: "Sports shoes with counterfeit logos",
      pieces: 1200,
      valueFen: 625_000_050,
      direction: "export",
      channel: "express",
      transport: "air",
      protectionMode: "ex_officio",
      originCountry: null,
      destinationCountry: "US",
      campaignId: null,
      status: "detained",
      disposal: null,
      hearingHeld: true,
      referredToPolice: false,
      penaltyFen: null,
      notes: null,
      rightHolderIds: [3, 7],
    }));
  });

  it("reads the optional fields when they are filled", () => {
    const parsed = createCaseSchema.parse(
      form({ originCountry: " cn ", campaignId: "4", disposal: "destroyed", referredToPolice: "on", penaltyYuan: "¥12.3", notes: "  seen twice " }),
    );
    expect(parsed).toMatchObject({ originCountry: "CN", campaignId: 4, disposal: "destroyed", referredToPolice: true, penaltyFen: 1230, notes: "seen twice" });
  });

  it("takes what formToObject makes of a posted FormData, rightHolderIds[] included", () => {
    const data = new FormData();
    for (const [name, value] of Object.entries(form({ rightHolderIds: undefined }))) data.append(name, String(value));
    data.append("rightHolderIds[]", "9");
    data.append("rightHolderIds[]", "2");
    data.append("rightHolderIds[]", "9");
    data.append("$ACTION_ID_abc", "");
    const parsed = createCaseSchema.parse(formToObject(data));
    expect(parsed.rightHolderIds).toEqual([9, 2]);
    // a single right holder posted as rightHolderIds[] is still a list
    const one = new FormData();
    for (const [name, value] of Object.entries(form({ rightHolderIds: undefined }))) one.append(name, String(value));
    one.append("rightHolderIds[]", "5");
    expect(createCaseSchema.parse(formToObject(one)).rightHolderIds).toEqual([5]);
  });

  it("accepts JSON-like input too (numbers and booleans, not only strings)", () => {
    const parsed = createCaseSchema.parse({ ...form(), officeId: 12, pieces: 5, valueYuan: 10.5, hearingHeld: false, referredToPolice: true, rightHolderIds: [1] });
    expect(parsed).toMatchObject({ officeId: 12, pieces: 5, valueFen: 1050, hearingHeld: false, referredToPolice: true, rightHolderIds: [1] });
  });

  it("gives one code per bad field, for the form to translate", () => {
    const errors = errorsOf(
      createCaseSchema.safeParse(
        form({
          caseNo: "8600-16-12",
          officeId: "",
          seizedOn: "2025-02-30",
          infringementType: "piracy",
          goodsCategory: "",
          goodsDescription: "   ",
          pieces: "0",
          valueYuan: "-1",
          originCountry: "USA",
          campaignId: "x",
          disposal: "burnt",
          penaltyYuan: "12.345",
          rightHolderIds: [],
        }),
      ),
    );
    expect(errors).toEqual({
      caseNo: "format",
      officeId: "required",
      seizedOn: "format",
      infringementType: "choice",
      goodsCategory: "required",
      goodsDescription: "required",
      pieces: "min_pieces",
      valueYuan: "negative",
      originCountry: "country",
      campaignId: "format",
      disposal: "choice",
      penaltyYuan: "yuan",
      rightHolderIds: "required",
    });
    for (const code of Object.values(errors)) expect(CASE_ERROR_CODES).toContain(code);
  });

  it("requires what a case cannot lack, and says so with 'required'", () => {
    const errors = errorsOf(createCaseSchema.safeParse({}));
    for (const field of CASE_FORM_FIELDS) {
      const optional = [
        "originCountry", "destinationCountry", "campaignId", "disposal", "hearingHeld", "referredToPolice", "penaltyYuan", "notes",
        ...CASE_FIELDS.filter((f) => "optional" in f && f.optional).map((f) => formNameOf(f.key)),
      ];
      if (optional.includes(field)) expect(errors[field], field).toBeUndefined();
      else expect(errors[field], field).toBe("required");
    }
  });

  describe("pieces", () => {
    it.each([
      ["0", "min_pieces"], ["-3", "min_pieces"], ["1.5", "integer"], ["many", "format"], ["", "required"], ["2000000000", "too_large"],
    ])("refuses %j with %s", (pieces, code) => {
      expect(errorsOf(createCaseSchema.safeParse(form({ pieces }))).pieces).toBe(code);
    });
    it("accepts grouped digits", () => {
      expect(createCaseSchema.parse(form({ pieces: "12,000" })).pieces).toBe(12_000);
      expect(createCaseSchema.parse(form({ pieces: " 1 " })).pieces).toBe(1);
    });
  });

  describe("money in yuan", () => {
    it.each([
      ["0", 0], ["6,250,000.5", 625_000_050], ["6250000.00", 625_000_000], ["12.34", 1234], ["RMB 7,000,000", 700_000_000], ["¥0.05", 5],
    ])("reads %j as %d fen", (valueYuan, fen) => {
      expect(createCaseSchema.parse(form({ valueYuan })).valueFen).toBe(fen);
    });
    it.each([
      ["-1", "negative"], ["-0.01", "negative"], ["1.234", "yuan"], ["12.", "yuan"], ["abc", "yuan"], ["", "required"], ["1e5", "yuan"],
    ])("refuses %j with %s", (valueYuan, code) => {
      expect(errorsOf(createCaseSchema.safeParse(form({ valueYuan }))).valueYuan).toBe(code);
    });
    it("leaves a blank penalty null but checks a typed one", () => {
      expect(createCaseSchema.parse(form({ penaltyYuan: "  " })).penaltyFen).toBeNull();
      expect(createCaseSchema.parse(form({ penaltyYuan: "0" })).penaltyFen).toBe(0);
      expect(errorsOf(createCaseSchema.safeParse(form({ penaltyYuan: "-5" }))).penaltyYuan).toBe("negative");
    });
  });

  describe("the seizure date", () => {
    it("is a real date", () => {
      expect(isRealDate("2024-02-29")).toBe(true);
      expect(isRealDate("2025-02-29")).toBe(false);
      expect(isRealDate("2025-13-01")).toBe(false);
      expect(isRealDate("2025-3-1")).toBe(false);
      for (const seizedOn of ["2025-02-29", "15/03/2025", "2025-03-15T00:00", "yesterday"]) {
        expect(errorsOf(createCaseSchema.safeParse(form({ seizedOn }))).seizedOn, seizedOn).toBe("format");
      }
      expect(errorsOf(createCaseSchema.safeParse(form({ seizedOn: "" }))).seizedOn).toBe("required");
      expect(errorsOf(createCaseSchema.safeParse(form({ seizedOn: "0202-03-15" }))).seizedOn).toBe("too_early");
    });

    it("is also read as Chinese users write it: 2025/3/15 and 2025年3月15日 are 2025-03-15", () => {
      for (const seizedOn of ["2025/3/15", "2025年3月15日", "2025-3-15"]) {
        const parsed = createCaseSchema.safeParse(form({ seizedOn }));
        expect(parsed.success, seizedOn).toBe(true);
        expect(parsed.data?.seizedOn, seizedOn).toBe("2025-03-15");
      }
      expect(errorsOf(createCaseSchema.safeParse(form({ seizedOn: "2025年2月29日" }))).seizedOn).toBe("format");
    });

    it("is not in the future, counted in Beijing time", () => {
      // the clock says 2025-05-31T18:00Z, which is 2025-06-01 02:00 in Beijing
      expect(todayInShanghai()).toBe("2025-06-01");
      expect(todayInShanghai(Date.parse("2025-05-31T15:59:59Z"))).toBe("2025-05-31");
      expect(createCaseSchema.parse(form({ seizedOn: "2025-06-01" })).seizedOn).toBe("2025-06-01");
      expect(errorsOf(createCaseSchema.safeParse(form({ seizedOn: "2025-06-02" }))).seizedOn).toBe("future");
      expect(errorsOf(createCaseSchema.safeParse(form({ seizedOn: "2031-01-01" }))).seizedOn).toBe("future");
    });

    it("compares with the day of the check, not of loading the module", () => {
      expect(errorsOf(createCaseSchema.safeParse(form({ seizedOn: "2025-07-01" }))).seizedOn).toBe("future");
      vi.setSystemTime(new Date("2025-07-01T00:00:00Z"));
      expect(createCaseSchema.parse(form({ seizedOn: "2025-07-01" })).seizedOn).toBe("2025-07-01");
    });
  });

  it("checks the case number's pattern, district-year-sequence", () => {
    expect(createCaseSchema.parse(form({ caseNo: " 8600-2016-0012 " })).caseNo).toBe("8600-2016-0012");
    for (const caseNo of ["8600-2016-12", "8600_2016_0012", "86002016 0012", "ABCD-2016-0012", "8600-2016-00123"]) {
      expect(errorsOf(createCaseSchema.safeParse(form({ caseNo }))).caseNo, caseNo).toBe("format");
    }
  });

  it("checks every enumeration against lib/enums", () => {
    for (const [field, bad] of [
      ["infringementType", "Trademark"], ["goodsCategory", "shoes"], ["direction", "transit"], ["channel", "mail"],
      ["transport", "pipeline"], ["protectionMode", "auto"], ["status", "open"], ["disposal", "sold"],
    ] as const) {
      expect(errorsOf(createCaseSchema.safeParse(form({ [field]: bad })))[field], field).toBe("choice");
    }
  });

  it("wants ISO-2 country codes, upper-cased, or nothing", () => {
    expect(createCaseSchema.parse(form({ originCountry: "de", destinationCountry: " " }))).toMatchObject({ originCountry: "DE", destinationCountry: null });
    for (const c of ["D", "DEU", "1A", "U S"]) expect(errorsOf(createCaseSchema.safeParse(form({ originCountry: c }))).originCountry, c).toBe("country");
  });

  it("wants at least one right holder, each a positive whole number", () => {
    expect(errorsOf(createCaseSchema.safeParse(form({ rightHolderIds: undefined }))).rightHolderIds).toBe("required");
    expect(errorsOf(createCaseSchema.safeParse(form({ rightHolderIds: ["", " "] }))).rightHolderIds).toBe("required");
    expect(errorsOf(createCaseSchema.safeParse(form({ rightHolderIds: ["0"] }))).rightHolderIds).toBe("format");
    expect(errorsOf(createCaseSchema.safeParse(form({ rightHolderIds: ["3", "x"] }))).rightHolderIds).toBe("format");
    expect(createCaseSchema.parse(form({ rightHolderIds: "4" })).rightHolderIds).toEqual([4]);
    expect(createCaseSchema.parse(form({ rightHolderIds: ["4", "4", "2"] })).rightHolderIds).toEqual([4, 2]);
  });

  it("limits the text fields' length and treats blank notes as none", () => {
    expect(errorsOf(createCaseSchema.safeParse(form({ goodsDescription: "x".repeat(501) }))).goodsDescription).toBe("too_long");
    expect(errorsOf(createCaseSchema.safeParse(form({ notes: "x".repeat(4001) }))).notes).toBe("too_long");
    expect(createCaseSchema.parse(form({ notes: "\n \t" })).notes).toBeNull();
  });

  it("reads checkboxes: ticked is 'on', unticked is absent", () => {
    expect(createCaseSchema.parse(form({ hearingHeld: undefined }))).toMatchObject({ hearingHeld: false, referredToPolice: false });
    expect(createCaseSchema.parse(form({ hearingHeld: "on", referredToPolice: "on" }))).toMatchObject({ hearingHeld: true, referredToPolice: true });
  });
});

describe("edits, deletions and restores", () => {
  it("an edit carries the case id and the version it was made against", () => {
    const parsed = updateCaseSchema.parse({ ...form(), id: "42", version: "3" });
    expect(parsed.id).toBe(42);
    expect(parsed.version).toBe(3);
    expect(parsed.input.caseNo).toBe("0100-2026-9001");
    expect(parsed.input).not.toHaveProperty("id");
    expect(parsed.input).not.toHaveProperty("version");
    const errors = errorsOf(updateCaseSchema.safeParse({ ...form(), id: "", version: "0" }));
    expect(errors).toEqual({ id: "required", version: "format" });
  });

  it("a deletion names the case and the version shown; a restore the case", () => {
    expect(deleteCaseSchema.parse({ id: "7", version: "2" })).toEqual({ id: 7, version: 2 });
    expect(deleteCaseSchema.safeParse({ id: "7" }).success).toBe(false);
    expect(restoreCaseSchema.parse({ id: "7" })).toEqual({ id: 7 });
    expect(restoreCaseSchema.safeParse({ id: "-7" }).success).toBe(false);
  });

  it("a stored case becomes form values that parse back to the same case", () => {
    const input = createCaseSchema.parse(form({ campaignId: "2", disposal: "auctioned", penaltyYuan: "1,000.05", notes: "n", originCountry: "cn" }));
    const values = caseToFormValues(input);
    expect(values.valueYuan).toBe("6250000.50");
    expect(values.penaltyYuan).toBe("1000.05");
    expect(createCaseSchema.parse({ ...values, hearingHeld: values.hearingHeld ? "on" : undefined })).toEqual(input);
    expect(caseToFormValues({ ...input, valueFen: 700_000_000, penaltyFen: null }).valueYuan).toBe("7000000");
  });
});

describe("the form's messages", () => {
  const catalogs = { en, zh } as unknown as Record<string, { forms: { errors: Record<string, unknown> } }>;
  it("translate every error code in both languages", () => {
    for (const [locale, catalog] of Object.entries(catalogs)) {
      for (const code of CASE_ERROR_CODES) expect(typeof catalog.forms.errors[code], `${locale}: forms.errors.${code}`).toBe("string");
      for (const code of ["taken", "unknown", "invalid"]) expect(typeof catalog.forms.errors[code], `${locale}: forms.errors.${code}`).toBe("string");
    }
  });
});
