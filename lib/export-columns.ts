import { CASE_FIELDS, type CaseFieldDef, type CaseInput, type EnumField, type ExportHeader } from "./case-definition";
import { yuanText } from "./format";
import type { Locale } from "./enums";

// The columns of a case export (CSV and XLSX), in order, with headers in both languages: the
// export columns of the case definition (lib/case-definition.ts), each field's cells by its
// kind. Money is written in yuan with two decimals, computed from integer fen.

/** A case as the export reads it: its values, with names for its office, campaign and right holders. */
export type ExportRow = Omit<CaseInput, "officeId" | "campaignId" | "rightHolderIds" | "recordationIds" | "hearingHeld" | "referredToPolice"> & {
  districtCode: string;
  districtNameEn: string;
  districtNameZh: string;
  officeCode: string;
  officeNameEn: string;
  officeNameZh: string;
  campaignCode: string | null;
  campaignNameEn: string | null;
  campaignNameZh: string | null;
  hearingHeld: number | boolean;
  referredToPolice: number | boolean;
  rightHolders: string | null;
  /** the recordations' numbers, "; " between them (a member's export: its own company's only) */
  recordations?: string | null;
};

type Cell = string | number | null;
type Column = ExportHeader & { value: (row: ExportRow, locale: Locale) => Cell };

/** Yuan with two decimals and no grouping, exact from fen: "6250000.00". */
export function plainYuan(fen: number): string {
  return yuanText(fen);
}

const yesNo = (v: unknown, locale: Locale) => (v ? (locale === "zh" ? "是" : "yes") : locale === "zh" ? "否" : "no");

/** The cell of one export column of a field. */
function cellOf(f: CaseFieldDef, header: ExportHeader): Column["value"] {
  const raw = (r: ExportRow) => (r as Record<string, unknown>)[f.key] as Cell | boolean | undefined;
  switch (f.kind) {
    case "office": {
      const byKey: Record<string, Column["value"]> = {
        district_code: (r) => r.districtCode,
        district: (r, l) => (l === "zh" ? r.districtNameZh : r.districtNameEn),
        office_code: (r) => r.officeCode,
        office: (r, l) => (l === "zh" ? r.officeNameZh : r.officeNameEn),
      };
      return byKey[header.key]!;
    }
    case "campaign": return (r, l) => (l === "zh" ? r.campaignNameZh : r.campaignNameEn);
    case "holders": return (r) => r.rightHolders;
    case "recordations": return (r) => r.recordations ?? null;
    case "enum": {
      const e = (f as EnumField).enum;
      return (r, l) => {
        const v = raw(r);
        return typeof v === "string" && v ? e.label(v, l) : null;
      };
    }
    case "money": return (r) => {
      const v = raw(r);
      return typeof v === "number" ? plainYuan(v) : null;
    };
    case "flag": return (r, l) => yesNo(raw(r), l);
    default: return (r) => (raw(r) ?? null) as Cell;
  }
}

export const EXPORT_COLUMNS: Column[] = (CASE_FIELDS as readonly CaseFieldDef[]).flatMap((f) => f.export.map((h) => ({ ...h, value: cellOf(f, h) })));

export function exportHeader(locale: Locale): string[] {
  return EXPORT_COLUMNS.map((c) => c[locale]);
}

export function exportCells(row: ExportRow, locale: Locale): Cell[] {
  return EXPORT_COLUMNS.map((c) => c.value(row, locale));
}
