import {
  caseStatuses, channels, directions, disposals, goodsCategories, infringementTypes, partyKinds, ports, protectionModes, transports,
  type Locale, type PartyRole,
} from "./enums";
import type { Filters } from "./filters";

// The ONE definition of a case: every field a case holds, in the order the form shows them,
// the export writes them and audit entries list them. From it are derived the input type
// (CaseInput), the zod schema (lib/case-schema.ts), the form's enumerated selects and field
// order (components/forms/CaseForm.tsx), the import's label columns and field-to-column map
// (lib/import/validate.ts), the export columns (lib/export-columns.ts) and the writer's column
// lists (db/writer.ts).
//
// A new enumerated field: add its enum to lib/enums.ts, one entry here, one migration adding
// the column (with its CHECK), and the catalog strings (forms.fields.<form name>).

/** An enumeration of lib/enums.ts as the definition needs it. */
export type EnumLike<V extends string = string> = {
  values: readonly [V, ...V[]];
  is(value: unknown): value is V;
  label(value: V, locale: Locale): string;
};

/** How a field is checked and stored. */
export type FieldKind =
  | "caseNo" //   the case number, NNNN-YYYY-NNNN
  | "date" //     the seizure date (YYYY-MM-DD, not in the future)
  | "office" //   a customs office id
  | "campaign" // an optional campaign id
  | "enum" //     one of an enumeration's values
  | "text" //     free text with a length limit
  | "count" //    a whole number of pieces
  | "money" //    fen, entered and exported in yuan
  | "country" //  an ISO 3166 alpha-2 code
  | "flag" //     yes / no
  | "hs" //       an HS heading: four digits (an optional column)
  | "partyCode" // a party's code: a unified social credit code, a foreign registration or an identity number (checked against the party's kind)
  | "holders" // the case's right holders (a link table, not a column)
  | "recordations"; // the recordations the case rests on (a link table; blank: none)

/** The form's section a field sits in (forms.sections.<section> in the catalogs). */
export type FormSection = "identity" | "goods" | "how" | "outcome" | "holders" | "parties";

/** The part of a party a field holds (the party is a row of table `parties`, linked by `case_parties`). */
export type PartyPart = "kind" | "name" | "code" | "address";

/** One column of the export (and the import template): its key and headers in both languages. */
export type ExportHeader = { key: string; en: string; zh: string };

type FieldBase = {
  /** the name in CaseInput */
  key: string;
  /** the column of table `cases`; null for the link table of right holders */
  column: string | null;
  kind: FieldKind;
  /** blank is allowed (stored as null; a flag is false) */
  optional?: boolean;
  /** the most characters (text) or the largest number (count) */
  max?: number;
  /** the form's section; the label is forms.fields.<formName> */
  section: FormSection;
  /** the column(s) the export writes and the import reads for this field */
  export: readonly ExportHeader[];
  /** the filter of lib/filters.ts that selects on this field, if any */
  filter?: keyof Filters;
  /** a part of one of the case's parties (column null: stored in `parties`/`case_parties`, db/parties.ts) */
  party?: { role: PartyRole; part: PartyPart };
};

export type EnumField = FieldBase & { kind: "enum"; enum: EnumLike; /** the "none" option's catalog key, when optional */ noneLabel?: string };
export type CaseFieldDef = FieldBase | EnumField;

// The headers of the export/import: the same text in every file and template since the
// first export, so that older files still import.
export const CASE_FIELDS = [
  { key: "caseNo", column: "case_no", kind: "caseNo", section: "identity", export: [{ key: "case_no", en: "Case number", zh: "案件编号" }], filter: "q" },
  { key: "seizedOn", column: "seized_on", kind: "date", section: "identity", export: [{ key: "seized_on", en: "Seized on", zh: "查扣日期" }], filter: "from" },
  {
    key: "officeId", column: "office_id", kind: "office", section: "identity", filter: "office",
    export: [
      { key: "district_code", en: "District code", zh: "直属海关代码" },
      { key: "district", en: "Customs district", zh: "直属海关" },
      { key: "office_code", en: "Office code", zh: "查发海关代码" },
      { key: "office", en: "Customs office", zh: "查发海关" },
    ],
  },
  { key: "infringementType", column: "infringement_type", kind: "enum", enum: infringementTypes, section: "goods", export: [{ key: "infringement_type", en: "Infringement type", zh: "侵权类型" }], filter: "type" },
  { key: "goodsCategory", column: "goods_category", kind: "enum", enum: goodsCategories, section: "goods", export: [{ key: "goods_category", en: "Goods category", zh: "商品类别" }], filter: "category" },
  { key: "goodsDescription", column: "goods_description", kind: "text", max: 500, section: "goods", export: [{ key: "goods_description", en: "Goods", zh: "商品描述" }], filter: "q" },
  { key: "pieces", column: "pieces", kind: "count", max: 1_000_000_000, section: "goods", export: [{ key: "pieces", en: "Pieces", zh: "件数" }] },
  { key: "valueFen", column: "value_fen", kind: "money", section: "goods", export: [{ key: "value_yuan", en: "Value (RMB)", zh: "货值（元）" }] },
  { key: "direction", column: "direction", kind: "enum", enum: directions, section: "how", export: [{ key: "direction", en: "Direction", zh: "进出境" }], filter: "direction" },
  { key: "channel", column: "channel", kind: "enum", enum: channels, section: "how", export: [{ key: "channel", en: "Channel", zh: "渠道" }], filter: "channel" },
  { key: "transport", column: "transport", kind: "enum", enum: transports, section: "how", export: [{ key: "transport", en: "Transport", zh: "运输方式" }], filter: "transport" },
  { key: "protectionMode", column: "protection_mode", kind: "enum", enum: protectionModes, section: "how", export: [{ key: "protection_mode", en: "Protection mode", zh: "保护模式" }], filter: "mode" },
  { key: "originCountry", column: "origin_country", kind: "country", optional: true, section: "how", export: [{ key: "origin_country", en: "Origin", zh: "起运国" }], filter: "origin" },
  { key: "destinationCountry", column: "destination_country", kind: "country", optional: true, section: "how", export: [{ key: "destination_country", en: "Destination", zh: "目的国" }] },
  { key: "campaignId", column: "campaign_id", kind: "campaign", optional: true, section: "how", export: [{ key: "campaign", en: "Campaign", zh: "专项行动" }], filter: "campaign" },
  { key: "status", column: "status", kind: "enum", enum: caseStatuses, section: "outcome", export: [{ key: "status", en: "Status", zh: "状态" }], filter: "status" },
  { key: "disposal", column: "disposal", kind: "enum", enum: disposals, optional: true, noneLabel: "fields.noDisposal", section: "outcome", export: [{ key: "disposal", en: "Disposal", zh: "处置方式" }], filter: "disposal" },
  { key: "hearingHeld", column: "hearing_held", kind: "flag", section: "outcome", export: [{ key: "hearing_held", en: "Hearing held", zh: "举行听证" }] },
  { key: "referredToPolice", column: "referred_to_police", kind: "flag", section: "outcome", export: [{ key: "referred_to_police", en: "Referred to police", zh: "移交公安" }] },
  { key: "penaltyFen", column: "penalty_fen", kind: "money", optional: true, section: "outcome", export: [{ key: "penalty_yuan", en: "Penalty (RMB)", zh: "罚款（元）" }] },
  { key: "rightHolderIds", column: null, kind: "holders", section: "holders", export: [{ key: "right_holders", en: "Right holders", zh: "权利人" }], filter: "holder" },
  { key: "notes", column: "notes", kind: "text", max: 4000, optional: true, section: "outcome", export: [{ key: "notes", en: "Notes", zh: "备注" }] },
  // last: files exported before it keep their columns' places
  {
    key: "recordationIds", column: null, kind: "recordations", optional: true, section: "holders", filter: "recordation",
    export: [{ key: "recordations", en: "Recordations", zh: "海关备案号" }],
  },
  // parties and route (issue 18), after every earlier column
  { key: "consignorKind", column: null, kind: "enum", enum: partyKinds, optional: true, noneLabel: "fields.noParty", section: "parties", party: { role: "consignor", part: "kind" }, export: [{ key: "consignor_kind", en: "Consignor type", zh: "发货人类型" }] },
  { key: "consignorName", column: null, kind: "text", max: 200, optional: true, section: "parties", party: { role: "consignor", part: "name" }, export: [{ key: "consignor_name", en: "Consignor", zh: "发货人" }] },
  { key: "consignorCode", column: null, kind: "partyCode", max: 40, optional: true, section: "parties", party: { role: "consignor", part: "code" }, export: [{ key: "consignor_code", en: "Consignor code", zh: "发货人代码／证件号" }] },
  { key: "consignorAddress", column: null, kind: "text", max: 300, optional: true, section: "parties", party: { role: "consignor", part: "address" }, export: [{ key: "consignor_address", en: "Consignor address", zh: "发货人地址" }] },
  { key: "consigneeKind", column: null, kind: "enum", enum: partyKinds, optional: true, noneLabel: "fields.noParty", section: "parties", party: { role: "consignee", part: "kind" }, export: [{ key: "consignee_kind", en: "Consignee type", zh: "收货人类型" }] },
  { key: "consigneeName", column: null, kind: "text", max: 200, optional: true, section: "parties", party: { role: "consignee", part: "name" }, export: [{ key: "consignee_name", en: "Consignee", zh: "收货人" }] },
  { key: "consigneeCode", column: null, kind: "partyCode", max: 40, optional: true, section: "parties", party: { role: "consignee", part: "code" }, export: [{ key: "consignee_code", en: "Consignee code", zh: "收货人代码／证件号" }] },
  { key: "consigneeAddress", column: null, kind: "text", max: 300, optional: true, section: "parties", party: { role: "consignee", part: "address" }, export: [{ key: "consignee_address", en: "Consignee address", zh: "收货人地址" }] },
  { key: "declarantKind", column: null, kind: "enum", enum: partyKinds, optional: true, noneLabel: "fields.noParty", section: "parties", party: { role: "declarant", part: "kind" }, export: [{ key: "declarant_kind", en: "Declarant type", zh: "申报人类型" }] },
  { key: "declarantName", column: null, kind: "text", max: 200, optional: true, section: "parties", party: { role: "declarant", part: "name" }, export: [{ key: "declarant_name", en: "Declarant", zh: "申报人" }] },
  { key: "declarantCode", column: null, kind: "partyCode", max: 40, optional: true, section: "parties", party: { role: "declarant", part: "code" }, export: [{ key: "declarant_code", en: "Declarant code", zh: "申报人代码／证件号" }] },
  { key: "declarantAddress", column: null, kind: "text", max: 300, optional: true, section: "parties", party: { role: "declarant", part: "address" }, export: [{ key: "declarant_address", en: "Declarant address", zh: "申报人地址" }] },
  { key: "loadingPlace", column: "loading_place", kind: "text", max: 200, optional: true, section: "parties", export: [{ key: "loading_place", en: "Place of loading", zh: "装货地" }] },
  { key: "port", column: "port", kind: "enum", enum: ports, optional: true, noneLabel: "fields.noPort", section: "parties", export: [{ key: "port", en: "Port of entry or exit", zh: "进出境口岸" }], filter: "port" },
  { key: "hsHeading", column: "hs_heading", kind: "hs", optional: true, section: "parties", export: [{ key: "hs_heading", en: "HS heading", zh: "商品编码（品目）" }], filter: "hs" },
  { key: "declaredDescription", column: "declared_description", kind: "text", max: 500, optional: true, section: "parties", export: [{ key: "declared_description", en: "Declared as", zh: "申报品名" }] },
] as const satisfies readonly CaseFieldDef[];

type Def = (typeof CASE_FIELDS)[number];

// ---- the input type ----------------------------------------------------------------------

type ValueOf<F> = F extends { kind: "enum"; enum: EnumLike<infer V> }
  ? V
  : F extends { kind: "caseNo" | "date" | "text" | "country" | "hs" | "partyCode" }
    ? string
    : F extends { kind: "office" | "campaign" | "count" | "money" }
      ? number
      : F extends { kind: "flag" }
        ? boolean
        : F extends { kind: "holders" | "recordations" }
          ? number[]
          : never;
type Nullable<F, T> = F extends { optional: true } ? (F extends { kind: "flag" | "recordations" } ? T : T | null) : T;

/** A case with every field (a blank optional field is null, a flag false): as stored and as the schema gives it. */
export type CaseValues = { [F in Def as F["key"]]: Nullable<F, ValueOf<F>> };
export type CaseFieldKey = Def["key"];
/** The key of an export/import column. */
export type ExportColumnKey = Def["export"][number]["key"];

export type OptionalKey = { [F in Def as F["key"]]: F extends { optional: true } ? F["key"] : never }[CaseFieldKey];
/**
 * A case as it is written (db/writer.ts): what the form, the import and the seed give. An
 * optional field may be left out (it is then blank), so that code and data that predate a
 * new optional field need no change.
 */
export type CaseInput = Omit<CaseValues, OptionalKey> & Partial<Pick<CaseValues, OptionalKey>>;

/** The input with every optional field it leaves out blank (null; a flag false). */
export function withBlanks(input: CaseInput): CaseValues {
  const out: Record<string, unknown> = { ...input };
  for (const f of OPTIONAL_FIELDS) if (out[f.key] === undefined) out[f.key] = f.kind === "flag" ? false : f.kind === "recordations" ? [] : null;
  return out as CaseValues;
}
const OPTIONAL_FIELDS = (CASE_FIELDS as readonly CaseFieldDef[]).filter((f) => f.optional);

/** The fields of CaseInput in the definition's order (audit entries list them in this order). */
export const CASE_INPUT_KEYS = CASE_FIELDS.map((f) => f.key) as readonly CaseFieldKey[];

// ---- the form ---------------------------------------------------------------------------

/** The name the form posts for a field: sums of money are typed in yuan (valueFen → valueYuan). */
export function formNameOf<K extends CaseFieldKey>(key: K): FormName<K> {
  return (key.endsWith("Fen") ? `${key.slice(0, -3)}Yuan` : key) as FormName<K>;
}
type FormName<K extends string> = K extends `${infer B}Fen` ? `${B}Yuan` : K;
export type CaseFormField = FormName<CaseFieldKey>;

/** The form's field names in the definition's order. */
export const CASE_FORM_FIELDS = CASE_FIELDS.map((f) => formNameOf(f.key)) as readonly CaseFormField[];

/** The enumerated fields, by form name (a select of the enumeration's labels). */
export const ENUM_FIELDS: readonly EnumField[] = CASE_FIELDS.filter((f): f is Extract<Def, { kind: "enum" }> => f.kind === "enum");

/** The enumerated fields of one form section, in order (the form renders them as selects). */
export function enumFieldsOf(section: FormSection): readonly EnumField[] {
  return ENUM_FIELDS.filter((f) => f.section === section);
}

export function fieldOf(key: CaseFieldKey): CaseFieldDef {
  return CASE_FIELDS.find((f) => f.key === key)!;
}

// ---- storage ------------------------------------------------------------------------------

/** The fields stored as columns of `cases` (all but the link tables: right holders, recordations), in order. */
export const CASE_COLUMN_FIELDS = CASE_FIELDS.filter((f): f is Extract<Def, { column: string }> => f.column !== null);

/** A case's row values as the database binds them (flags as 0/1), keyed by field name. */
export function caseRowValues(input: CaseInput): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const f of CASE_COLUMN_FIELDS) {
    const v = (input as Record<string, unknown>)[f.key];
    out[f.key] = f.kind === "flag" ? (v ? 1 : 0) : ((v ?? null) as string | number | null);
  }
  return out;
}

/** A case's row values in CASE_COLUMN_FIELDS order, as the writer binds them to `?` (flags as 0/1). */
export function caseRowArray(input: CaseInput): (string | number | null)[] {
  const out: (string | number | null)[] = new Array(CASE_COLUMN_FIELDS.length);
  for (let i = 0; i < CASE_COLUMN_FIELDS.length; i++) {
    const f = CASE_COLUMN_FIELDS[i]!;
    const v = (input as Record<string, unknown>)[f.key];
    out[i] = f.kind === "flag" ? (v ? 1 : 0) : ((v ?? null) as string | number | null);
  }
  return out;
}

/** A stored row (flags as 0/1, keyed by field name) back as CaseInput values. */
export function caseFromRow(row: Record<string, unknown>, rightHolderIds: number[], recordationIds: number[] = []): CaseValues {
  const out: Record<string, unknown> = {};
  for (const f of CASE_FIELDS as readonly CaseFieldDef[]) {
    out[f.key] = f.kind === "holders" ? rightHolderIds : f.kind === "recordations" ? recordationIds : f.kind === "flag" ? row[f.key] === 1 || row[f.key] === true
      // a party's parts come from its tables (the store adds them to the row); none: blank
      : f.party ? (row[f.key] ?? null) : row[f.key];
  }
  return out as CaseValues;
}

// ---- import and export ---------------------------------------------------------------------

/** Every export/import column in order. */
export const CASE_EXPORT_HEADERS = (CASE_FIELDS as readonly CaseFieldDef[]).flatMap((f) => f.export);

/** The column a field's messages point at in an import (its first export column; the office code for the office). */
export function importColumnOf(f: CaseFieldDef): string {
  return f.kind === "office" ? "office_code" : f.export[0]!.key;
}

// ---- parties ----------------------------------------------------------------------------------

/** The fields that are parts of a party, in order. */
export const PARTY_FIELDS = (CASE_FIELDS as readonly CaseFieldDef[]).filter((f) => f.party);

/** A party of a case as the writer stores it (db/parties.ts). */
export type CaseParty = { kind: "enterprise" | "foreign" | "person"; name: string; code: string | null; address: string | null };

/** The key of a party's part: consignor + code → consignorCode. */
export function partyKey(role: PartyRole, part: PartyPart): CaseFieldKey {
  return `${role}${part[0]!.toUpperCase()}${part.slice(1)}` as CaseFieldKey;
}

/** The case's party in a role, or null when it names none (its kind blank). */
export function partyOf(values: CaseValues | CaseInput, role: PartyRole): CaseParty | null {
  const v = values as Record<string, unknown>;
  const kind = v[partyKey(role, "kind")] as CaseParty["kind"] | null | undefined;
  if (!kind) return null;
  return {
    kind,
    name: String(v[partyKey(role, "name")] ?? ""),
    code: (v[partyKey(role, "code")] as string | null | undefined) ?? null,
    address: (v[partyKey(role, "address")] as string | null | undefined) ?? null,
  };
}

/** The party fields' values of a party in a role (all null when none): what a store gives back. */
export function partyValues(role: PartyRole, party: CaseParty | null): Record<string, string | null> {
  return {
    [partyKey(role, "kind")]: party?.kind ?? null,
    [partyKey(role, "name")]: party?.name ?? null,
    [partyKey(role, "code")]: party?.code ?? null,
    [partyKey(role, "address")]: party?.address ?? null,
  };
}
