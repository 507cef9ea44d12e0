import { CASE_FIELDS, importColumnOf, type CaseFieldDef, type ExportColumnKey } from "../case-definition";
import { EXPORT_COLUMNS } from "../export-columns";
import type { Locale } from "../enums";

// The import reads the columns the export writes (lib/export-columns.ts), recognising each
// by its header in English or Chinese, whatever its letter case, spacing or full-width
// punctuation ("货值（元）" is "货值(元)"). Unknown columns are ignored.

export type ColumnKey = ExportColumnKey;

/** Columns every file must have; the others may be left out (blank). */
export const REQUIRED_COLUMNS: readonly ColumnKey[] = (CASE_FIELDS as readonly CaseFieldDef[])
  .filter((f) => !f.optional && f.kind !== "flag")
  .map((f) => importColumnOf(f) as ColumnKey);

/** A header or label as compared: NFKC (full-width to ASCII), lower case, no spaces. */
export const headerKey = (text: string) => text.normalize("NFKC").toLowerCase().replace(/\s+/g, "");

const BY_HEADER = new Map<string, ColumnKey>();
for (const c of EXPORT_COLUMNS) {
  BY_HEADER.set(headerKey(c.en), c.key as ColumnKey);
  BY_HEADER.set(headerKey(c.zh), c.key as ColumnKey);
  BY_HEADER.set(headerKey(c.key), c.key as ColumnKey);
}

/** The column a header names, or null. */
export function columnOfHeader(header: string): ColumnKey | null {
  return BY_HEADER.get(headerKey(header)) ?? null;
}

export type ColumnMap = {
  /** column key → index in the row, for the columns the file has (the first of repeated headers) */
  index: Map<ColumnKey, number>;
  /** column key → the header as the file writes it */
  header: Map<ColumnKey, string>;
  /** the language most headers are in, to name missing columns in it */
  locale: Locale;
};

export function mapColumns(header: string[]): ColumnMap {
  const index = new Map<ColumnKey, number>();
  const names = new Map<ColumnKey, string>();
  let zh = 0;
  header.forEach((h, i) => {
    const key = columnOfHeader(h);
    if (!key || index.has(key)) return;
    index.set(key, i);
    names.set(key, h);
    if (/[\u4e00-\u9fff]/.test(h)) zh++;
  });
  return { index, header: names, locale: zh > index.size / 2 ? "zh" : "en" };
}

/** The export's header of a column in a language. */
export function exportHeaderOf(key: ColumnKey, locale: Locale): string {
  const column = EXPORT_COLUMNS.find((c) => c.key === key)!;
  return column[locale];
}
