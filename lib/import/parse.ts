import ExcelJS from "exceljs";
import { UTF8_BOM, parseCsv } from "../csv";
import { checkZipUnpackedSize, ZipLimitError } from "./zip";

// Reading an uploaded spreadsheet into a header and rows of strings: CSV (UTF-8 with or
// without a byte-order mark; comma or semicolon, taken from the header line; quoted fields)
// or XLSX (the cases sheet of an export, else the first worksheet). Nothing here knows
// what the columns mean: see ./validate.ts.

/** Files larger than this are refused before they are read (50 MB). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** The sheet names an export gives its cases (messages "export.casesSheet", both locales). */
export const CASES_SHEET_NAMES = ["Cases", "案件"];

export type ImportFileErrorCode = "too_large" | "too_large_unpacked" | "empty" | "unreadable" | "not_utf8" | "unsupported";

/** The file as a whole cannot be imported; `code` is translated by the UI (import.fileErrors). */
export class ImportFileError extends Error {
  override name = "ImportFileError";
  constructor(readonly code: ImportFileErrorCode, message: string) {
    super(message);
  }
}

/**
 * One data row: its number as the spreadsheet shows it (the header is row 1), its cells, and
 * which of them hold a formula (refused by the validation, never stored).
 */
export type ParsedRow = { row: number; cells: string[]; formulas?: number[] };
export type ParsedFile = { format: "csv" | "xlsx"; header: string[]; rows: ParsedRow[] };

/** `bytes` is the size, or with `atLeast` how much was received before reading stopped. */
export function tooLargeError(bytes: number, atLeast = false): ImportFileError {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  const size = atLeast ? `over ${mb(MAX_IMPORT_BYTES)} MB` : `${mb(bytes)} MB`;
  return new ImportFileError("too_large", `The file is ${size}; the limit is ${mb(MAX_IMPORT_BYTES)} MB. Split it into smaller files.`);
}

/** Refuses a file over the limit, from its size alone (call before reading or parsing it). */
export function checkImportSize(bytes: number): void {
  if (bytes > MAX_IMPORT_BYTES) throw tooLargeError(bytes);
}

const isBlankRow = (cells: string[]) => cells.every((c) => c.trim() === "");

/** The delimiter of a CSV file, from its header line: the one of ',' and ';' that occurs more often outside quotes. */
export function detectDelimiter(text: string): "," | ";" {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && ch === ",") commas++;
    else if (!quoted && ch === ";") semicolons++;
  }
  return semicolons > commas ? ";" : ",";
}

/**
 * The export puts an apostrophe before a cell that a spreadsheet would run as a formula
 * (lib/csv.ts); reading it back takes that one apostrophe off again.
 */
export function unneutralise(cell: string): string {
  return /^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/**
 * Whether a CSV cell (as it would be stored, trimmed) is one a spreadsheet would run as a
 * formula: it starts with = or @, or with + or - before anything but a plain number
 * ("-5", "+86" and a lone "-" are not formulas). Such a cell is refused, not stored; text
 * that really starts so is written with an apostrophe first, as the export does.
 */
export function looksLikeFormula(cell: string): boolean {
  return /^(?:[=@]|[+-](?![\d.,\s]*$))/.test(cell.trim());
}

function toParsed(format: "csv" | "xlsx", table: ParsedRow[]): ParsedFile {
  const first = table.findIndex((r) => !isBlankRow(r.cells));
  if (first < 0) throw new ImportFileError("empty", "The file holds no header line and no rows.");
  const header = table[first]!.cells.map((c) => c.trim());
  const rows = table.slice(first + 1).filter((r) => !isBlankRow(r.cells));
  if (format === "xlsx") return { format, header, rows }; // strings are strings there; formulas are marked
  return {
    format,
    header,
    rows: rows.map((r) => {
      const formulas = r.cells.flatMap((c, i) => (looksLikeFormula(c) ? [i] : []));
      return { row: r.row, cells: r.cells.map(unneutralise), ...(formulas.length ? { formulas } : {}) };
    }),
  };
}

/** CSV text (a BOM is dropped) into header and rows. */
export function parseCsvText(text: string): ParsedFile {
  const input = text.startsWith(UTF8_BOM) ? text.slice(1) : text;
  const table = parseCsv(input, detectDelimiter(input));
  return toParsed("csv", table.map((cells, i) => ({ row: i + 1, cells })));
}

/** CSV bytes, which must be UTF-8. */
export function parseCsvBytes(bytes: Uint8Array): ParsedFile {
  checkImportSize(bytes.byteLength);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ImportFileError("not_utf8", "The CSV file is not UTF-8 text. Save it as “CSV UTF-8” and try again.");
  }
  return parseCsvText(text);
}

/** An ISO date (YYYY-MM-DD) from a date cell; the calendar day as written, whatever the time zone. */
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** A cell's value as the text a person sees in it. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return isoDate(value);
  if (typeof value === "object") {
    if ("richText" in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join("");
    if ("text" in value && typeof value.text === "string") return value.text; // hyperlink
    if ("result" in value) return cellText((value.result ?? null) as ExcelJS.CellValue); // a formula's result
    if ("error" in value) return "";
  }
  return String(value);
}

/** Whether a cell holds a formula (its own or a shared one). */
export function isFormula(value: ExcelJS.CellValue): boolean {
  return typeof value === "object" && value !== null && ("formula" in value || "sharedFormula" in value);
}

/** The worksheet to read: the one named like an export's cases sheet, else the first. */
function casesSheet(workbook: ExcelJS.Workbook): ExcelJS.Worksheet | undefined {
  const named = workbook.worksheets.find((w) => CASES_SHEET_NAMES.some((n) => n.toLowerCase() === w.name.trim().toLowerCase()));
  return named ?? workbook.worksheets[0];
}

/** XLSX bytes into header and rows (row numbers as Excel shows them). */
export async function parseXlsxBytes(bytes: Uint8Array): Promise<ParsedFile> {
  checkImportSize(bytes.byteLength);
  // a zip bomb is refused before the workbook reader unpacks it into memory
  try {
    await checkZipUnpackedSize(bytes);
  } catch (error) {
    if (error instanceof ZipLimitError) throw new ImportFileError(error.reason === "too_large" ? "too_large_unpacked" : "unreadable", error.message);
    throw error;
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    throw new ImportFileError("unreadable", "The file could not be read as an Excel workbook (XLSX).");
  }
  const sheet = casesSheet(workbook);
  if (!sheet) throw new ImportFileError("empty", "The workbook has no worksheet.");
  const table: ParsedRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[]; // 1-based: values[0] is empty
    const cells: string[] = [];
    const formulas: number[] = [];
    for (let i = 1; i < values.length; i++) {
      const value = values[i] ?? null;
      if (isFormula(value)) {
        // the formula itself, for the rejection to show
        const f = value as { formula?: string; sharedFormula?: string };
        cells.push(`=${f.formula ?? f.sharedFormula ?? ""}`);
        formulas.push(i - 1);
      } else cells.push(cellText(value));
    }
    table.push({ row: rowNumber, cells, ...(formulas.length ? { formulas } : {}) });
  });
  return toParsed("xlsx", table);
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** Whether the bytes are a zip archive (XLSX is one); CSV never starts with "PK\3\4". */
export function looksLikeXlsx(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/** A CSV or XLSX file, told apart by its content (its name is only a hint for the message). */
export async function parseImportFile(bytes: Uint8Array, fileName = ""): Promise<ParsedFile> {
  checkImportSize(bytes.byteLength);
  if (bytes.byteLength === 0) throw new ImportFileError("empty", "The file is empty.");
  if (looksLikeXlsx(bytes)) return parseXlsxBytes(bytes);
  if (/\.(xls|ods|numbers)$/i.test(fileName)) {
    throw new ImportFileError("unsupported", "Only CSV (UTF-8) and Excel XLSX files can be imported; save the file in one of these formats.");
  }
  return parseCsvBytes(bytes);
}
