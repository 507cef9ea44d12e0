import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { UTF8_BOM, csvLine } from "./csv";
import type { Locale } from "./enums";
import { EXPORT_COLUMNS, exportCells, exportHeader, type ExportRow } from "./export-columns";

// Streams an export from a row iterator: chunks are produced only as fast as the client
// reads them, so memory stays flat however many rows there are.

const ROWS_PER_CHUNK = 2_000;
export const XLSX_MAX_ROWS_PER_SHEET = 1_048_575; // Excel's limit, less the header row

/** Rows from a cursor in this process, or from a reader process a chunk at a time (db/budget). */
export type ExportRows = Iterator<ExportRow> | AsyncIterator<ExportRow>;

export function csvStream(rows: ExportRows, locale: Locale, onEnd: () => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = "";
      if (!started) {
        text += UTF8_BOM + csvLine(exportHeader(locale));
        started = true;
      }
      for (let i = 0; i < ROWS_PER_CHUNK; i++) {
        let next: IteratorResult<ExportRow>;
        try {
          next = await rows.next();
        } catch (error) {
          // a read stopped at its budget: the download breaks off rather than ending short
          onEnd();
          throw error;
        }
        if (next.done) {
          if (text) controller.enqueue(encoder.encode(text));
          controller.close();
          onEnd();
          return;
        }
        text += csvLine(exportCells(next.value, locale));
      }
      controller.enqueue(encoder.encode(text));
    },
    cancel() {
      onEnd();
    },
  });
}

export type FilterSummaryLine = { label: string; value: string };

export function xlsxStream(
  rows: ExportRows,
  locale: Locale,
  summary: { title: string; lines: FilterSummaryLine[]; exportedAtLabel: string; rowsLabel: string; sheetName: string; filtersSheetName: string },
  onEnd: () => void,
): ReadableStream<Uint8Array> {
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  let cancelled = false;

  const newSheet = (n: number) => {
    const sheet = workbook.addWorksheet(n === 1 ? summary.sheetName : `${summary.sheetName} (${n})`, {
      views: [{ state: "frozen", ySplit: 1 }],
    });
    sheet.columns = EXPORT_COLUMNS.map((c) => ({ header: c[locale], key: c.key, width: Math.max(10, c[locale].length + 4) }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    return sheet;
  };

  (async () => {
    let count = 0;
    let sheetNo = 1;
    let sheet = newSheet(sheetNo);
    let inSheet = 0;
    try {
      for (;;) {
        if (cancelled) return;
        const next = await rows.next();
        if (next.done) break;
        if (inSheet === XLSX_MAX_ROWS_PER_SHEET) {
          sheet.commit();
          sheet = newSheet(++sheetNo);
          inSheet = 0;
        }
        sheet.addRow(exportCells(next.value, locale)).commit();
        count++;
        inSheet++;
        if (count % 1_000 === 0 && output.writableNeedDrain) {
          await new Promise<void>((resolve) => output.once("drain", () => resolve()));
        } else if (count % 5_000 === 0) {
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
      sheet.commit();
      const filters = workbook.addWorksheet(summary.filtersSheetName);
      filters.columns = [{ width: 28 }, { width: 60 }];
      filters.addRow([summary.title]).font = { bold: true };
      for (const line of summary.lines) filters.addRow([line.label, line.value]);
      filters.addRow([summary.rowsLabel, count]);
      filters.addRow([summary.exportedAtLabel, new Date().toISOString()]);
      filters.commit();
      await workbook.commit();
    } catch (error) {
      output.destroy(error as Error);
    } finally {
      onEnd();
    }
  })();

  const web = Readable.toWeb(output) as unknown as ReadableStream<Uint8Array>;
  const reader = web.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      cancelled = true;
      void reader.cancel(reason);
      output.destroy();
    },
  });
}
