import { z } from "zod";
import {
  infringementTypes, recordationPartyKinds, recordationStates,
  type RecordationApproval, type RecordationPartyKind, type RecordationState,
} from "./enums";

// Customs IP recordations (docs/procedure.md, "Recordation"): pure rules with no I/O.
// - A recordation is valid 10 years from GACC's approval (Reg. Art. 10) and may be renewed in
//   the 6 months before it expires, each renewal for 10 years.
// - What a reader sees (valid / expiring within 6 months / expired) is derived from the stored
//   approval state, the dates and today; it is never stored.
// - The input schemas give the forms their field-level error codes (messages/*.json,
//   "recordations.errors").

/** The validity of one recordation, in years (Reg. Art. 10). */
export const VALIDITY_YEARS = 10;
/** "Expiring" means within this many months of the valid-to date: the renewal window. */
export const EXPIRING_MONTHS = 6;
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
export const MAX_PARTIES = 50;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `value` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Today's date in Beijing (the customs' calendar), YYYY-MM-DD. */
export function todayInBeijing(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** A date moved by whole months (the day clamped to the month's last: 2024-08-31 + 6 → 2025-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`).getTime() + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The last day of a recordation that starts on `from`: ten years less a day. */
export function defaultValidTo(from: string): string {
  return addDays(addMonths(from, VALIDITY_YEARS * 12), -1);
}

/** The last date that still counts as "expiring" from today: today + 6 months. */
export function expiringHorizon(today: string): string {
  return addMonths(today, EXPIRING_MONTHS);
}

/** What a reader sees of a recordation on `today`. */
export function recordationState(r: { status: RecordationApproval; validTo: string }, today: string): RecordationState {
  if (r.status !== "approved") return r.status;
  if (r.validTo < today) return "expired";
  if (r.validTo <= expiringHorizon(today)) return "expiring";
  return "valid";
}

/** Whether a recordation may be renewed on `today`: approved, not yet expired, within 6 months of its end. */
export function renewable(r: { status: RecordationApproval; validTo: string }, today: string): boolean {
  return r.status === "approved" && r.validTo >= today && r.validTo <= expiringHorizon(today);
}

/** The new valid-to date of a renewal: ten more years from the day after the current end. */
export function renewedValidTo(validTo: string): string {
  return defaultValidTo(addDays(validTo, 1));
}

// ---- classes ------------------------------------------------------------------------------

/** "25, 9 ,25" → [9, 25]; null when something is not a Nice class (1–45). */
export function parseClasses(text: string): number[] | null {
  const parts = text.split(/[\s,，;；、]+/).filter(Boolean);
  const out = new Set<number>();
  for (const part of parts) {
    if (!/^\d{1,2}$/.test(part)) return null;
    const n = Number(part);
    if (n < 1 || n > 45) return null;
    out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

export const classesToText = (classes: readonly number[]) => classes.join(",");
export const classesFromText = (text: string): number[] => (text ? text.split(",").map(Number) : []);

// ---- input --------------------------------------------------------------------------------

const blankToNull = (v: unknown) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? null : v);
const requiredText = (max: number) => z.string({ error: "required" }).trim().min(1, "required").max(max, "too_long");
const optionalText = (max: number) => z.preprocess(blankToNull, z.string().trim().max(max, "too_long").nullable());
const date = z.string({ error: "required" }).trim().min(1, "required").refine(isIsoDate, "date");
const optionalDate = z.preprocess(blankToNull, z.string().trim().refine(isIsoDate, "date").nullable());

export const RECORDATION_NUMBER = /^[A-Z]\d{4}-\d{5}$/;
export const recordationNumber = z.string({ error: "required" }).trim().toUpperCase().min(1, "required").regex(RECORDATION_NUMBER, "recordation_number");

/** One name a line (or a list): trimmed, blank lines dropped, duplicates once. */
const nameList = z
  .preprocess(
    (v) => (Array.isArray(v) ? v : typeof v === "string" ? v.split(/\r?\n/) : v === undefined || v === null ? [] : v),
    z.array(z.string()),
  )
  .transform((names) => [...new Set(names.map((n) => n.trim()).filter(Boolean))])
  .pipe(z.array(z.string().max(200, "too_long")).max(MAX_PARTIES, "too_many"));

export type PartyInput = { kind: RecordationPartyKind; name: string };

/** Licensees and authorised consignors, one name a line each. */
export const partiesSchema = z.object({ licensees: nameList, consignors: nameList });
export function partiesOf(input: { licensees: string[]; consignors: string[] }): PartyInput[] {
  return [
    ...input.licensees.map((name) => ({ kind: "licensee" as const, name })),
    ...input.consignors.map((name) => ({ kind: "consignor" as const, name })),
  ];
}

const recordationFields = z.object({
  number: recordationNumber,
  holderId: z.preprocess(blankToNull, z.coerce.number().int("required").positive("required").max(2_147_483_647, "unknown").nullable()),
  kind: z.enum(infringementTypes.values, { error: "choose" }),
  rightNo: requiredText(60),
  titleEn: requiredText(200),
  titleZh: optionalText(200),
  classes: z.preprocess((v) => (v === undefined || v === null ? "" : v), z.string()),
  validFrom: date,
  validTo: optionalDate,
  licensees: partiesSchema.shape.licensees,
  consignors: partiesSchema.shape.consignors,
});

/** A recordation as entered (create and the admin's edit); validTo defaults to ten years. */
export const recordationInput = recordationFields
  .superRefine((v, ctx) => {
    const classes = parseClasses(v.classes);
    if (classes === null) ctx.addIssue({ code: "custom", path: ["classes"], message: "classes" });
    else if (v.kind === "trademark" && classes.length === 0) ctx.addIssue({ code: "custom", path: ["classes"], message: "classes_required" });
    if (v.validTo !== null && isIsoDate(v.validFrom)) {
      // (a new one's ten-year limit is checked on creation: a renewed one spans several terms)
      if (v.validTo < v.validFrom) ctx.addIssue({ code: "custom", path: ["validTo"], message: "before_start" });
    }
  })
  .transform((v) => ({
    number: v.number,
    holderId: v.holderId,
    kind: v.kind,
    rightNo: v.rightNo,
    titleEn: v.titleEn,
    titleZh: v.titleZh,
    classes: parseClasses(v.classes) ?? [],
    validFrom: v.validFrom,
    validTo: v.validTo ?? defaultValidTo(v.validFrom),
    parties: partiesOf(v),
  }));
export type RecordationInput = z.infer<typeof recordationInput>;

/** The list's filters from URL parameters; a bad value is dropped and named. */
export type RecordationFilters = { holder?: number; kind?: (typeof infringementTypes.values)[number]; state?: RecordationState; page: number };

export function parseRecordationFilters(params: Record<string, string | string[] | undefined>): { filters: RecordationFilters; ignored: string[] } {
  const one = (k: string) => {
    const v = params[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const ignored: string[] = [];
  const filters: RecordationFilters = { page: 1 };
  const holder = one("holder");
  if (holder) {
    if (/^\d{1,9}$/.test(holder) && Number(holder) > 0) filters.holder = Number(holder);
    else ignored.push("holder");
  }
  const kind = one("kind");
  if (kind) {
    if (infringementTypes.is(kind)) filters.kind = kind;
    else ignored.push("kind");
  }
  const state = one("state");
  if (state) {
    if (recordationStates.is(state)) filters.state = state;
    else ignored.push("state");
  }
  const page = one("page");
  if (page) {
    if (/^\d{1,6}$/.test(page) && Number(page) >= 1) filters.page = Number(page);
    else ignored.push("page");
  }
  return { filters, ignored };
}

export { recordationPartyKinds };
