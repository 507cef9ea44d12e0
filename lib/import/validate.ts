import { createCaseSchema, type CaseValues } from "../case-schema";
import { maskIdNumber } from "../party-codes";
import { CASE_FIELDS, ENUM_FIELDS, formNameOf, importColumnOf, type CaseFieldDef, type EnumLike } from "../case-definition";
import type { GoodsCategory, Industry } from "../enums";
import { REQUIRED_COLUMNS, exportHeaderOf, mapColumns, type ColumnKey, type ColumnMap } from "./columns";
import type { ParsedFile } from "./parse";

// Each row of a parsed file into a case (CaseInput), or the list of what is wrong with it:
// row number as the spreadsheet shows it, column as the file names it, a reason code and an
// English message (the UI translates the code: messages "import.reasons"). Pure: the
// reference data and the case numbers already taken come in as maps (see db/import.ts).

export const IMPORT_REASONS = [
  "missing_column", "required", "bad_case_no", "bad_date", "pieces_min", "bad_number", "negative_value", "unknown_label",
  "unknown_district", "unknown_office", "district_mismatch", "unknown_campaign", "unknown_holder", "bad_country",
  "too_long", "formula", "duplicate_in_file", "exists", "exists_deleted", "invalid", "unknown_recordation", "recordation_holder",
] as const;

/**
 * What an import lets in but reports: an ex-officio case naming no recordation valid on its
 * seizure date (the form refuses that for a new case; an import of older records may lack one,
 * and the case is then listed for completion: /cases?recordation=none); a recordation number
 * this database does not hold (a file exported from another one) is left out, named.
 */
export type ImportWarning = { row: number; caseNo: string; reason: "no_recordation" | "unknown_recordation"; message: string };
export type ImportReason = (typeof IMPORT_REASONS)[number];
export type RejectionParams = Record<string, string | number>;
export type Rejection = { row: number; column: string; reason: ImportReason; message: string; params: RejectionParams };

export type ImportOptions = {
  /** a case number already in the database updates that case (otherwise the row is rejected) */
  update: boolean;
  /** commit the valid rows even when others are rejected */
  skipInvalid: boolean;
  /** right holders the database does not know are created (otherwise the row is rejected) */
  createHolders: boolean;
};

export type ImportReference = {
  /** direct customs districts: code → id */
  districts: Map<string, number>;
  /** every customs office (districts too): code → id and its district's code */
  offices: Map<string, { id: number; districtCode: string }>;
  /** right holders by name, English or Chinese (nameKey) → id */
  holders: Map<string, number>;
  /** campaigns by name, English or Chinese, or code (nameKey) → id */
  campaigns: Map<string, number>;
  /** recordations by number (upper case) */
  recordations?: Map<string, { id: number; holderId: number; validFrom: string; validTo: string; status: string }>;
};

/** Cases already in the database, by case number. */
export type ExistingCases = Map<string, { id: number; version: number; deleted: boolean }>;

export type AcceptedRow = {
  row: number;
  input: CaseValues;
  /** right holders of this case to create first (names as written; their ids are added to input.rightHolderIds) */
  newHolders: string[];
  /** set for an update: the case and its version */
  existing?: { id: number; version: number };
};

export type NewHolder = { name: string; nameZh: string | null; industry: Industry };

export type Validation = {
  accepted: AcceptedRow[];
  rejected: Rejection[];
  /** right holders to create (with createHolders), in the order first named */
  holdersToCreate: NewHolder[];
  /** the data rows of the file */
  total: number;
  /** accepted rows the report warns about */
  warnings: ImportWarning[];
};

/** Names and labels as compared: NFKC, lower case, single spaces. */
export const nameKey = (text: string) => text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();

/** Right holders in one cell: the export writes "A; B"; a full-width "；" is read too. */
export function splitHolders(cell: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const part of cell.split(/[;；]/)) {
    const name = part.trim();
    if (name && !seen.has(nameKey(name))) {
      seen.add(nameKey(name));
      out.push(name);
    }
  }
  return out;
}

function labelMap(e: EnumLike): Map<string, string> {
  const map = new Map<string, string>();
  for (const v of e.values) {
    map.set(nameKey(v), v);
    map.set(nameKey(e.label(v, "en")), v);
    map.set(nameKey(e.label(v, "zh")), v);
  }
  return map;
}

/** The enumerated fields' columns (from the case definition): labels of either language, or the stored value. */
const ENUM_COLUMNS = new Map(ENUM_FIELDS.map((f) => [importColumnOf(f) as ColumnKey, { field: formNameOf(f.key as never) as string, map: labelMap(f.enum) }]));

const YES = new Set(["yes", "y", "true", "1", "是", "x", "✓"]);
const NO = new Set(["no", "n", "false", "0", "否", ""]);

/** The form field each column fills (case-schema.ts names), for its messages. */
const FIELD_COLUMN: Record<string, ColumnKey> = Object.fromEntries(
  (CASE_FIELDS as readonly CaseFieldDef[]).map((f) => [formNameOf(f.key as never) as string, importColumnOf(f) as ColumnKey]),
);

/** Fields whose cell goes to the schema as typed (the others are looked up or read as yes/no). */
const TYPED_KINDS = new Set<CaseFieldDef["kind"]>(["caseNo", "date", "text", "count", "money", "country", "hs", "partyCode"]);

/** A zod error code of case-schema.ts on a field, as an import reason. */
function reasonOf(field: string, code: string): ImportReason {
  if (code === "required") return "required";
  if (field === "caseNo") return "bad_case_no";
  if (field === "seizedOn") return "bad_date";
  if (code === "min_pieces") return "pieces_min";
  if (code === "negative") return "negative_value";
  if (code === "yuan" || code === "integer" || code === "too_large" || (code === "format" && field === "pieces")) return "bad_number";
  if (code === "choice") return "unknown_label";
  if (code === "country") return "bad_country";
  if (code === "too_long") return "too_long";
  return "invalid";
}

const q = (v: string | number) => `"${v}"`;

/** The English sentence of a rejection (the CLI prints it; the UI translates the reason instead). */
export function describeRejection(reason: ImportReason, p: RejectionParams): string {
  switch (reason) {
    case "missing_column": return `The file has no ${q(p.column!)} column, which every row needs.`;
    case "required": return "This value is required.";
    case "bad_case_no": return `${q(p.value!)} is not a case number like 0200-2024-0001.`;
    case "bad_date":
      return p.detail === "future" ? `${q(p.value!)} is in the future.`
        : p.detail === "too_early" ? `${q(p.value!)} is before 1990.`
        : `${q(p.value!)} is not a valid date (YYYY-MM-DD).`;
    case "pieces_min": return `The number of pieces must be at least 1, not ${q(p.value!)}.`;
    case "bad_number": return `${q(p.value!)} is not a valid number here.`;
    case "negative_value": return `An amount cannot be negative (${q(p.value!)}).`;
    case "unknown_label": return `${q(p.value!)} is not one of the allowed values.`;
    case "unknown_district": return `No customs district has the code ${q(p.value!)}.`;
    case "unknown_office": return `No customs office has the code ${q(p.value!)}.`;
    case "district_mismatch": return `Office ${q(p.office!)} belongs to district ${q(p.expected!)}, not ${q(p.value!)}.`;
    case "unknown_campaign": return `No campaign is called ${q(p.value!)}.`;
    case "unknown_holder": return `Unknown right holder: ${p.value}.`;
    case "bad_country": return `${q(p.value!)} is not a two-letter country code.`;
    case "too_long": return "The text is too long.";
    case "formula": return `${q(p.value!)} is a spreadsheet formula; enter the value itself (text that starts with =, +, - or @ needs an apostrophe first).`;
    case "duplicate_in_file": return `Case number ${q(p.value!)} already appears in row ${p.first}.`;
    case "exists": return `Case ${q(p.value!)} is already in the database (tick “update existing cases” to update it).`;
    case "exists_deleted": return `Case ${q(p.value!)} exists as a deleted case; restore it first.`;
    case "invalid": return `${q(p.value ?? "")} is not valid here.`;
    case "unknown_recordation": return `Unknown recordation: ${p.value}.`;
    case "recordation_holder": return `Recordation ${q(p.value!)} belongs to none of the row's right holders.`;
  }
}

/** YYYY-MM-DD from "2024-3-5", "2024/03/05" or "2024.03.05"; anything else as it is. */
function normalDate(text: string): string {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text.trim());
  return m ? `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}` : text.trim();
}

/** The industry a new right holder is filed under, guessed from the goods of its first case. */
const INDUSTRY_OF: Record<GoodsCategory, Industry> = {
  apparel_footwear: "apparel_sportswear", bags_leather: "luxury", watches_jewellery: "luxury", electronics: "wireless_ic",
  communication: "wireless_ic", lighting: "lighting", cosmetics: "personal_care", medicines: "pharma_medical",
  auto_parts: "automotive", hardware_machinery: "machinery_tools", sports_goods: "apparel_sportswear", toys: "luxury",
  stationery: "luxury", tobacco: "luxury", other: "machinery_tools",
};

const hasHan = (s: string) => /[\u3400-\u9fff]/.test(s);

/** Validates every row of a file. */
export function validateImport(parsed: ParsedFile, ref: ImportReference, existing: ExistingCases, options: ImportOptions): Validation {
  const columns: ColumnMap = mapColumns(parsed.header);
  const rejected: Rejection[] = [];
  const reject = (row: number, column: string, reason: ImportReason, params: RejectionParams = {}) =>
    rejected.push({ row, column, reason, params, message: describeRejection(reason, params) });

  const missing = REQUIRED_COLUMNS.filter((k) => !columns.index.has(k));
  if (missing.length) {
    for (const key of missing) reject(1, exportHeaderOf(key, columns.locale), "missing_column", { column: exportHeaderOf(key, columns.locale) });
    return { accepted: [], rejected, holdersToCreate: [], total: parsed.rows.length, warnings: [] };
  }

  const headerOf = (key: ColumnKey) => columns.header.get(key) ?? exportHeaderOf(key, columns.locale);
  const accepted: AcceptedRow[] = [];
  const firstRowOf = new Map<string, number>();
  const newHolders = new Map<string, NewHolder>();
  const warnings: ImportWarning[] = [];

  const keyAt = new Map([...columns.index].map(([key, i]) => [i, key]));
  for (const { row, cells, formulas } of parsed.rows) {
    const cell = (key: ColumnKey): string => {
      const i = columns.index.get(key);
      return i === undefined ? "" : (cells[i] ?? "").trim();
    };
    const problems = new Map<ColumnKey, { reason: ImportReason; params: RejectionParams }>();
    const problem = (key: ColumnKey, reason: ImportReason, params: RejectionParams = {}) => {
      if (!problems.has(key)) problems.set(key, { reason, params });
    };
    // a formula is never stored, neither as its text nor as its result (columns not read are let be)
    for (const i of formulas ?? []) {
      const key = keyAt.get(i);
      if (key) problem(key, "formula", { value: (cells[i] ?? "").trim().slice(0, 80) });
    }

    const values: Record<string, unknown> = { officeId: "1", campaignId: "", rightHolderIds: ["1"] };
    for (const f of CASE_FIELDS as readonly CaseFieldDef[]) {
      if (!TYPED_KINDS.has(f.kind)) continue;
      const text = cell(importColumnOf(f) as ColumnKey);
      // a masked identity number (an export never holds one in full) is no number: the person
      // is imported without it (an update keeps the number the case has, db/import.ts)
      values[formNameOf(f.key as never)] = f.kind === "date" ? normalDate(text) : f.kind === "partyCode" && text.includes("*") ? "" : text;
    }

    // the office, and the district when given
    const officeCode = cell("office_code");
    const office = ref.offices.get(officeCode);
    if (!officeCode) problem("office_code", "required");
    else if (!office) problem("office_code", "unknown_office", { value: officeCode });
    else values.officeId = String(office.id);
    const districtCode = cell("district_code");
    if (districtCode) {
      if (!ref.districts.has(districtCode)) problem("district_code", "unknown_district", { value: districtCode });
      else if (office && office.districtCode !== districtCode) {
        problem("district_code", "district_mismatch", { value: districtCode, office: officeCode, expected: office.districtCode });
      }
    }

    // labels of either language, or the stored value
    for (const [key, { field, map }] of ENUM_COLUMNS) {
      const text = cell(key);
      if (!text) {
        values[field] = "";
        continue;
      }
      const value = map.get(nameKey(text));
      if (value === undefined) problem(key, "unknown_label", { value: text });
      values[field] = value ?? "";
    }
    for (const f of (CASE_FIELDS as readonly CaseFieldDef[]).filter((d) => d.kind === "flag")) {
      const key = importColumnOf(f) as ColumnKey;
      const field = f.key;
      const text = nameKey(cell(key));
      if (YES.has(text)) values[field] = true;
      else if (NO.has(text)) values[field] = false;
      else {
        problem(key, "unknown_label", { value: cell(key) });
        values[field] = false;
      }
    }

    const campaign = cell("campaign");
    if (campaign) {
      const id = ref.campaigns.get(nameKey(campaign));
      if (id === undefined) problem("campaign", "unknown_campaign", { value: campaign });
      else values.campaignId = String(id);
    }

    // right holders: known ones by id; unknown ones created (createHolders) or refused
    const holderIds: number[] = [];
    const toCreate: string[] = [];
    const names = splitHolders(cell("right_holders"));
    if (!names.length) problem("right_holders", "required");
    const unknown: string[] = [];
    for (const name of names) {
      const id = ref.holders.get(nameKey(name));
      if (id !== undefined) holderIds.push(id);
      else if (options.createHolders) toCreate.push(name);
      else unknown.push(name);
    }
    if (unknown.length) problem("right_holders", "unknown_holder", { value: unknown.join("; ") });

    // recordations by number ("T2016-12345; T2018-00042"), each of one of the row's right holders
    const recordations: { id: number; validFrom: string; validTo: string; status: string }[] = [];
    const numbers = splitHolders(cell("recordations")).map((n) => n.toUpperCase());
    const unknownNumbers = numbers.filter((n) => !ref.recordations?.has(n));
    for (const n of numbers) {
      const r = ref.recordations?.get(n);
      if (!r) continue;
      if (!holderIds.includes(r.holderId)) problem("recordations", "recordation_holder", { value: n });
      recordations.push(r);
    }

    // everything else exactly as the case form checks it
    const parsedRow = createCaseSchema.safeParse(values);
    if (!parsedRow.success) {
      for (const issue of parsedRow.error.issues) {
        const field = String(issue.path[0] ?? "");
        const key = FIELD_COLUMN[field];
        if (!key) continue;
        const code = issue.message && /^[a-z_]+$/.test(issue.message) ? issue.message : issue.code;
        const raw = field in values ? values[field] : "";
        let value = typeof raw === "string" ? raw : String(raw);
        // a natural person's identity number is never repeated in a message (PIPL): masked
        if (/Code$/.test(field) && values[field.replace(/Code$/, "Kind")] === "person") value = maskIdNumber(value);
        problem(key, reasonOf(field, code), { value, detail: code });
      }
    }

    // the case number: once in the file, and new unless updating
    const caseNo = cell("case_no");
    if (caseNo && !problems.has("case_no")) {
      const first = firstRowOf.get(caseNo);
      if (first !== undefined) problem("case_no", "duplicate_in_file", { value: caseNo, first });
      else {
        firstRowOf.set(caseNo, row);
        const found = existing.get(caseNo);
        if (found?.deleted) problem("case_no", "exists_deleted", { value: caseNo });
        else if (found && !options.update) problem("case_no", "exists", { value: caseNo });
      }
    }

    if (problems.size || !parsedRow.success) {
      // rows are reported in the file's column order
      const order = (key: ColumnKey) => columns.index.get(key) ?? Number.MAX_SAFE_INTEGER;
      for (const [key, p] of [...problems].sort((a, b) => order(a[0]) - order(b[0]))) reject(row, headerOf(key), p.reason, p.params);
      continue;
    }
    const input: CaseValues = { ...parsedRow.data, rightHolderIds: holderIds, recordationIds: recordations.map((r) => r.id) };
    if (unknownNumbers.length) {
      warnings.push({
        row, caseNo: input.caseNo, reason: "unknown_recordation",
        message: `Case ${input.caseNo} names recordation(s) this database does not hold (${unknownNumbers.join("; ")}): imported without them.`,
      });
    }
    if (input.protectionMode === "ex_officio" && !recordations.some((r) => r.status === "approved" && r.validFrom <= input.seizedOn && input.seizedOn <= r.validTo)) {
      warnings.push({
        row, caseNo: input.caseNo, reason: "no_recordation",
        message: `Ex-officio case ${input.caseNo} names no recordation valid on its seizure date (${input.seizedOn}): it is imported and listed for completion.`,
      });
    }
    for (const name of toCreate) {
      const k = nameKey(name);
      if (!newHolders.has(k)) newHolders.set(k, { name, nameZh: hasHan(name) ? name : null, industry: INDUSTRY_OF[input.goodsCategory] });
    }
    const found = existing.get(caseNo);
    accepted.push({ row, input, newHolders: toCreate, ...(found ? { existing: { id: found.id, version: found.version } } : {}) });
  }
  return { accepted, rejected, holdersToCreate: [...newHolders.values()], total: parsed.rows.length, warnings };
}
