import { z } from "zod";
import {
  caseStatuses, channels, directions, disposals, goodsCategories, infringementTypes, protectionModes, transports,
  type CaseStatus, type Channel, type Direction, type Disposal, type GoodsCategory, type InfringementType,
  type ProtectionMode, type Transport,
} from "./enums";
import { parseYuanToFen } from "./format";

/** A case as it is written (db/mutations/cases.ts): what the form, the import and the seed give. */
export type CaseInput = {
  caseNo: string;
  officeId: number;
  /** YYYY-MM-DD */
  seizedOn: string;
  infringementType: InfringementType;
  goodsCategory: GoodsCategory;
  goodsDescription: string;
  pieces: number;
  valueFen: number;
  direction: Direction;
  channel: Channel;
  transport: Transport;
  protectionMode: ProtectionMode;
  originCountry: string | null;
  destinationCountry: string | null;
  campaignId: number | null;
  status: CaseStatus;
  disposal: Disposal | null;
  hearingHeld: boolean;
  referredToPolice: boolean;
  penaltyFen: number | null;
  notes: string | null;
  rightHolderIds: number[];
};

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
] as const;

export const CASE_NO_PATTERN = /^\d{4}-\d{4}-\d{4}$/;
export const MAX_PIECES = 1_000_000_000;
export const MAX_GOODS_LENGTH = 500;
export const MAX_NOTES_LENGTH = 4000;
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

const flag = () => z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());

const seizedOn = () =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
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

// ---- the form ----------------------------------------------------------------------------

const fields = {
  caseNo: z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string({ error: "required" }).min(1, { error: "required", abort: true }).regex(CASE_NO_PATTERN, "format")),
  officeId: id(),
  seizedOn: seizedOn(),
  infringementType: choice(infringementTypes.values),
  goodsCategory: choice(goodsCategories.values),
  goodsDescription: text(MAX_GOODS_LENGTH),
  pieces: wholeNumber(1, "min_pieces", MAX_PIECES),
  valueYuan: requiredYuan(),
  direction: choice(directions.values),
  channel: choice(channels.values),
  transport: choice(transports.values),
  protectionMode: choice(protectionModes.values),
  originCountry: country(),
  destinationCountry: country(),
  campaignId: optionalId(),
  status: choice(caseStatuses.values),
  disposal: optionalChoice(disposals.values),
  hearingHeld: flag(),
  referredToPolice: flag(),
  penaltyYuan: optionalYuan(),
  notes: optionalText(MAX_NOTES_LENGTH),
  rightHolderIds: rightHolderIds(),
};

/** The names the form posts, in its order (rightHolderIds is posted as `rightHolderIds[]`). */
export const CASE_FORM_FIELDS = Object.keys(fields) as (keyof typeof fields)[];
export type CaseFormField = (typeof CASE_FORM_FIELDS)[number];
/** What the form's inputs hold: text, ticks, and the list of right-holder ids. */
export type CaseFormValues = {
  [K in CaseFormField]: K extends "hearingHeld" | "referredToPolice" ? boolean : K extends "rightHolderIds" ? string[] : string;
};

type Parsed = z.output<z.ZodObject<typeof fields>>;

function toInput(p: Parsed): CaseInput {
  const { valueYuan, penaltyYuan, ...rest } = p;
  return { ...rest, valueFen: valueYuan, penaltyFen: penaltyYuan } satisfies CaseInput;
}

/** A new case: the form's values, checked, as CaseInput. */
export const createCaseSchema = z.object(fields).transform(toInput);

/** An edit: the case id, the version the form was loaded at, and the values. */
export const updateCaseSchema = z
  .object({ ...fields, id: id(), version: id() })
  .transform(({ id: caseId, version, ...rest }) => ({ id: caseId, version, input: toInput(rest) }));

/** Deleting asks for the version shown, so a case changed meanwhile is not deleted unseen. */
export const deleteCaseSchema = z.object({ id: id(), version: id() });
export const restoreCaseSchema = z.object({ id: id() });

/** A case's values as the form shows them (strings, yuan), from CaseInput. */
export function caseToFormValues(c: CaseInput): CaseFormValues {
  const yuanText = (fen: number | null) =>
    fen === null ? "" : `${Math.floor(fen / 100)}${fen % 100 ? `.${String(fen % 100).padStart(2, "0")}` : ""}`;
  return {
    caseNo: c.caseNo,
    officeId: String(c.officeId),
    seizedOn: c.seizedOn,
    infringementType: c.infringementType,
    goodsCategory: c.goodsCategory,
    goodsDescription: c.goodsDescription,
    pieces: String(c.pieces),
    valueYuan: yuanText(c.valueFen),
    direction: c.direction,
    channel: c.channel,
    transport: c.transport,
    protectionMode: c.protectionMode,
    originCountry: c.originCountry ?? "",
    destinationCountry: c.destinationCountry ?? "",
    campaignId: c.campaignId === null ? "" : String(c.campaignId),
    status: c.status,
    disposal: c.disposal ?? "",
    hearingHeld: c.hearingHeld,
    referredToPolice: c.referredToPolice,
    penaltyYuan: yuanText(c.penaltyFen),
    notes: c.notes ?? "",
    rightHolderIds: c.rightHolderIds.map(String),
  };
}
