import { z } from "zod";
import { CASE_FIELDS, fieldOf, formNameOf, type CaseFieldDef, type CaseFormField, type CaseInput, type CaseValues, type OptionalKey } from "./case-definition";
import { parseYuanToFen, yuanText as fenToYuan } from "./format";
import { normaliseDateInput } from "./dates";
import { partyRoles } from "./enums";
import { isMasked, isValidIdNumber, normaliseCode, usccProblem } from "./parties";
import { partyKey } from "./case-definition";

export type { CaseInput, CaseValues, CaseFormField } from "./case-definition";

// The case form as data: what an admin may enter for a case, checked on the server by the
// action wrapper (app/actions/wrapper.ts). Every message is a lowercase CODE that the form
// translates (messages/*.json, "forms.errors"); the wrapper puts min/max into its params.
//
// Form field names are those of CaseInput, except the two sums of money: `valueYuan` and
// `penaltyYuan` hold yuan as typed ("6,250,000.5", "¥12.30") and become `valueFen` and
// `penaltyFen`. `rightHolderIds` comes as a list (the form posts `rightHolderIds[]`).
//
// "Today" is today in Beijing time (Asia/Shanghai, UTC+8 all year, no daylight saving): the
// cases are seized at China's borders, so a seizure made this morning in Kunming counts as
// today even while it is still yesterday in UTC.

/** Codes of the field errors this schema gives, for the form's catalog and the tests. */
export const CASE_ERROR_CODES = [
  "required", "format", "integer", "min_pieces", "too_large", "negative", "yuan", "future", "too_early", "choice",
  "country", "too_long",
  // parties and route (issue 18)
  "hs", "uscc_length", "uscc_chars", "uscc_check", "id_check", "code_format", "masked", "party_kind",
] as const;

export const CASE_NO_PATTERN = /^\d{4}-\d{4}-\d{4}$/;
export const MAX_PIECES = fieldOf("pieces").max!;
export const MAX_GOODS_LENGTH = fieldOf("goodsDescription").max!;
export const MAX_NOTES_LENGTH = fieldOf("notes").max!;
/** No case predates customs IP protection (1995); earlier dates are typing mistakes. */
export const EARLIEST_SEIZURE = "1990-01-01";

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Today's date in Beijing time, YYYY-MM-DD. */
export function todayInShanghai(now: number = Date.now()): string {
  return new Date(now + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** A calendar date written YYYY-MM-DD that exists (no 2025-02-30). */
export function isRealDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

// ---- building blocks -------------------------------------------------------------------

/** A form's blank field is no value at all. */
const blank = (v: unknown) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);
const present = z.any().refine((v) => v !== undefined, { error: "required", abort: true });

/** A whole number typed by a person: "12 000" and "12,000" are 12000. */
function wholeNumber(min: number, minCode: string, max: number) {
  return z
    .preprocess((v) => (typeof v === "string" ? blank(v.replace(/[,\s]/g, "")) : blank(v)), present)
    .pipe(z.coerce.number({ error: "format" }).int("integer").min(min, minCode).max(max, "too_large"));
}

/** A record's id (an office, campaign, right holder, the case itself). */
const id = () =>
  z.preprocess(blank, present).pipe(z.coerce.number({ error: "format" }).int("format").positive("format"));

const optionalId = () =>
  z.preprocess(blank, z.coerce.number({ error: "format" }).int("format").positive("format").optional())
    .transform((v) => v ?? null);

function text(max: number) {
  return z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string({ error: "required" }).min(1, "required").max(max, "too_long"));
}

function optionalText(max: number) {
  return z
    .preprocess((v) => (typeof v === "string" ? v.trim() : blank(v)), z.string({ error: "format" }).max(max, "too_long").optional())
    .transform((v) => (v ? v : null));
}

/** One of an enumeration's values; blank is "required" unless the field is optional. */
function choice<const K extends string>(values: readonly [K, ...K[]]) {
  return z.preprocess(blank, present).pipe(z.enum(values, { error: "choice" }));
}

function optionalChoice<const K extends string>(values: readonly [K, ...K[]]) {
  return z.preprocess(blank, z.enum(values, { error: "choice" }).optional()).transform((v) => v ?? null);
}

/** An amount of yuan as typed, in fen (blank is undefined here; the caller decides). */
const yuanText = z
  .preprocess((v) => (typeof v === "number" ? String(v) : v === null || v === undefined ? "" : v), z.string({ error: "yuan" }))
  .transform((raw, ctx): number | undefined => {
    const typed = raw.trim();
    if (!typed) return undefined;
    if (/^-/.test(typed.replace(/^(RMB|¥|CNY)\s*/i, ""))) {
      ctx.issues.push({ code: "custom", message: "negative", input: raw });
      return z.NEVER;
    }
    const fen = parseYuanToFen(typed);
    if (fen === null) {
      ctx.issues.push({ code: "custom", message: "yuan", input: raw });
      return z.NEVER;
    }
    return fen;
  });

const requiredYuan = () =>
  yuanText.transform((fen, ctx): number => {
    if (fen !== undefined) return fen;
    ctx.issues.push({ code: "custom", message: "required", input: "" });
    return z.NEVER;
  });
const optionalYuan = () => yuanText.transform((fen): number | null => fen ?? null);

/** Optional ISO 3166 alpha-2 code: "us" is taken as "US"; blank is null. */
const country = () =>
  z
    .preprocess((v) => (typeof v === "string" ? blank(v.trim().toUpperCase()) : blank(v)), z.string({ error: "country" }).regex(/^[A-Z]{2}$/, "country").optional())
    .transform((v) => v ?? null);

/** An HS heading: the first four digits of the Harmonized System code ("6403", or "6403.99" cut to its heading); blank is null. */
const hsHeading = () =>
  z
    .preprocess((v) => (typeof v === "string" ? blank(v.trim()) : blank(v)), z.string({ error: "hs" }).regex(/^\d{4}(\.?\d{2,6})?$/, "hs").optional())
    .transform((v) => (v ? v.slice(0, 4) : null));

/** A party's code as typed: spaces and dashes dropped, capitals (checked against the party's kind by partyRules). */
const partyCode = (max: number) =>
  z
    .preprocess((v) => (typeof v === "string" ? blank(normaliseCode(v)) : blank(v)), z.string({ error: "code_format" }).max(max, "too_long").optional())
    .transform((v) => v ?? null);

const flag = () => z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());

const seizedOn = () =>
  z.preprocess(
    // 2025/3/14 and 2025年3月14日 are the same day as 2025-03-14
    (v) => (typeof v === "string" ? normaliseDateInput(v) : v),
    z
      .string({ error: "required" })
      .min(1, { error: "required", abort: true })
      .refine(isRealDate, { error: "format", abort: true })
      .refine((d) => d >= EARLIEST_SEIZURE, { error: "too_early", abort: true })
      // compared when the form is checked, not when this module loads
      .refine((d) => d <= todayInShanghai(), { error: "future" }),
  );

const rightHolderIds = () =>
  z
    .preprocess(
      (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v.filter((x) => blank(x) !== undefined) : blank(v) === undefined ? [] : [v]),
      z.array(z.coerce.number({ error: "format" }).int("format").positive("format")).min(1, "required"),
    )
    .transform((ids) => [...new Set(ids)]);

/** The recordations a case rests on: a list of ids (the form posts `recordationIds[]`), blank for none. */
const recordationIds = () =>
  z
    .preprocess(
      (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v.filter((x) => blank(x) !== undefined) : blank(v) === undefined ? [] : [v]),
      z.array(z.coerce.number({ error: "format" }).int("format").positive("format")),
    )
    .transform((ids) => [...new Set(ids)]);

// ---- the form: one checker per field of the definition (lib/case-definition.ts) ---------

const caseNo = () =>
  z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string({ error: "required" }).min(1, { error: "required", abort: true }).regex(CASE_NO_PATTERN, "format"));

/** The zod checker of a field of the definition, by its kind. */
function checkerOf(f: CaseFieldDef): z.ZodType {
  switch (f.kind) {
    case "caseNo": return caseNo();
    case "date": return seizedOn();
    case "office": return id();
    case "campaign": return optionalId();
    case "enum": {
      const values = (f as { enum: { values: readonly [string, ...string[]] } }).enum.values;
      return f.optional ? optionalChoice(values) : choice(values);
    }
    case "text": return f.optional ? optionalText(f.max!) : text(f.max!);
    case "count": return wholeNumber(1, "min_pieces", f.max!);
    case "money": return f.optional ? optionalYuan() : requiredYuan();
    case "country": return country();
    case "flag": return flag();
    case "hs": return hsHeading();
    case "partyCode": return partyCode(f.max!);
    case "holders": return rightHolderIds();
    case "recordations": return recordationIds();
  }
}

const fields = Object.fromEntries(CASE_FIELDS.map((f) => [formNameOf(f.key), checkerOf(f)])) as Record<CaseFormField, z.ZodType>;

/** The names the form posts, in its order (rightHolderIds is posted as `rightHolderIds[]`). */
export { CASE_FORM_FIELDS } from "./case-definition";
/** What the form's inputs hold: text, ticks, and the list of right-holder ids (an optional field may be left out: blank). */
type FormValueOf<K> = K extends "hearingHeld" | "referredToPolice" ? boolean : K extends "rightHolderIds" | "recordationIds" ? string[] : string;
type OptionalFormField = Extract<CaseFormField, OptionalKey | `${string}Yuan`> extends infer F ? (F extends "valueYuan" ? never : F) : never;
export type CaseFormValues = { [K in Exclude<CaseFormField, OptionalFormField>]: FormValueOf<K> } & { [K in OptionalFormField]?: FormValueOf<K> };

/** The form's values (named as the form posts them), checked, as CaseValues (every field). */
function toInput(p: Record<string, unknown>): CaseValues {
  return Object.fromEntries(CASE_FIELDS.map((f) => [f.key, p[formNameOf(f.key)]])) as CaseValues;
}

/**
 * The rules between a party's fields: a party is named when its kind is chosen (a name, code or
 * address without a kind is refused on the kind); an enterprise's code is a unified social
 * credit code with its check character (GB 32100-2015), a person's an 18-character resident
 * identity number with its check character (GB 11643-1999) or another identity document's
 * number, a foreign enterprise's its registration; a masked number (from an export) is refused.
 */
export function partyRules(values: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const role of partyRoles.values) {
    const kind = values[partyKey(role, "kind")] as string | null;
    const name = values[partyKey(role, "name")] as string | null;
    const code = values[partyKey(role, "code")] as string | null;
    const address = values[partyKey(role, "address")] as string | null;
    const issue = (part: "kind" | "name" | "code", message: string) =>
      ctx.addIssue({ code: "custom", message, path: [partyKey(role, part)] });
    if (!kind) {
      if (name || code || address) issue("kind", "party_kind");
      continue;
    }
    if (!name) issue("name", "required");
    if (!code) continue;
    if (isMasked(code)) issue("code", "masked");
    else if (kind === "enterprise") {
      const problem = usccProblem(code);
      if (problem) issue("code", problem);
    } else if (kind === "person") {
      if (/^\d{17}[\dX]$/.test(code)) {
        if (!isValidIdNumber(code)) issue("code", "id_check");
      } else if (!/^[A-Z0-9]{5,20}$/.test(code)) issue("code", "code_format");
    } else if (!/^[A-Z0-9][A-Z0-9./]{2,39}$/.test(code)) issue("code", "code_format");
  }
}

/** A new case: the form's values, checked, as CaseInput. */
export const createCaseSchema = z.object(fields).superRefine(partyRules).transform(toInput);

/** An edit: the case id, the version the form was loaded at, and the values. */
export const updateCaseSchema = z
  .object({ ...fields, id: id(), version: id() })
  .superRefine(partyRules)
  .transform(({ id: caseId, version, ...rest }) => ({ id: caseId as number, version: version as number, input: toInput(rest) }));

/** Deleting asks for the version shown, so a case changed meanwhile is not deleted unseen. */
export const deleteCaseSchema = z.object({ id: id(), version: id() });
export const restoreCaseSchema = z.object({ id: id() });

/** A case's values as the form shows them (strings, yuan), from CaseInput. */
export function caseToFormValues(c: CaseInput): CaseFormValues {
  const out: Record<string, unknown> = {};
  for (const f of CASE_FIELDS) {
    const v = (c as Record<string, unknown>)[f.key];
    out[formNameOf(f.key)] =
      f.kind === "flag" ? Boolean(v)
      : f.kind === "holders" || f.kind === "recordations" ? ((v as number[] | undefined) ?? []).map(String)
      : v === null || v === undefined ? ""
      : f.kind === "money" ? fenToYuan(v as number, { cents: "if-any" })
      : String(v);
  }
  return out as CaseFormValues;
}
