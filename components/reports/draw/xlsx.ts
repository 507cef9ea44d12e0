import ExcelJS from "exceljs";
import { translator, type ReportModel } from "./model";

// The dashboard report's figures as a workbook: a summary sheet (title, time, notice, filters,
// the key figures with the previous period) and one sheet per chart with its figures as
// numbers — money in yuan to the fen with a "#,##0.00" format, shares as percentages.

const MONEY = "#,##0.00";
const COUNT = "#,##0";

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique in the workbook. */
export function sheetName(title: string, taken: Set<string>): string {
  const clean = title.replace(/[[\]:*?/\\]/g, " ").replace(/\s+/g, " ").trim().slice(0, 31) || "Sheet";
  let name = clean;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${clean.slice(0, 31 - String(n).length - 1)} ${n}`;
  taken.add(name.toLowerCase());
  return name;
}

const yuan = (fen: number | null) => (fen === null ? null : fen / 100);

export async function reportXlsx(model: ReportModel): Promise<Buffer> {
  const t = translator(model.locale, "reports");
  const c = translator(model.locale, "dashboard.charts");
  const workbook = new ExcelJS.Workbook();
  workbook.creator = t("author");
  workbook.title = model.title;
  workbook.subject = t("subject");
  workbook.created = new Date();
  const taken = new Set<string>();

  const summary = workbook.addWorksheet(sheetName(t("summarySheet"), taken));
  summary.columns = [{ width: 34 }, { width: 24 }, { width: 24 }, { width: 14 }];
  summary.addRow([model.title]).font = { bold: true, size: 14 };
  summary.addRow([model.generatedAt]);
  if (model.demoNotice) summary.addRow([model.demoNotice]);
  if (model.memberNote) summary.addRow([model.memberNote]);
  summary.addRow([]);
  summary.addRow([t("filters")]).font = { bold: true };
  for (const line of model.filters) summary.addRow(line.label ? [line.label, line.value] : [line.value]);
  summary.addRow([]);
  summary.addRow([t("keyFigures")]).font = { bold: true };
  summary.addRow([t("figure"), t("value"), t("previousValue"), t("change")]).font = { bold: true };
  for (const k of model.kpis) {
    const row = summary.addRow([k.label, k.money ? yuan(k.now) : k.now, k.money ? yuan(k.before) : k.before, k.change]);
    row.getCell(2).numFmt = k.money ? MONEY : COUNT;
    row.getCell(3).numFmt = k.money ? MONEY : COUNT;
  }
  summary.addRow([model.comparison]);
  if (model.empty) summary.addRow([model.empty]);

  for (const chart of model.charts) {
    const sheet = workbook.addWorksheet(sheetName(chart.title, taken));
    const shares = chart.kind === "donut";
    sheet.addRow([chart.title]).font = { bold: true };
    sheet.addRow([chart.unit]);
    sheet.addRow([c("label"), c("cases"), ...(shares ? [c("share")] : []), c("pieces"), c("valueYuan")]).font = { bold: true };
    sheet.columns = [{ width: 36 }, { width: 12 }, ...(shares ? [{ width: 10 }] : []), { width: 16 }, { width: 22 }];
    for (const r of chart.rows.filter((x) => x.cases > 0)) {
      const row = sheet.addRow([r.label, r.cases, ...(shares ? [(r.sharePerMille ?? 0) / 1000] : []), r.pieces, yuan(r.valueFen)]);
      row.getCell(2).numFmt = COUNT;
      if (shares) row.getCell(3).numFmt = "0.0%";
      row.getCell(shares ? 4 : 3).numFmt = COUNT;
      row.getCell(shares ? 5 : 4).numFmt = MONEY;
    }
    sheet.views = [{ state: "frozen", ySplit: 3 }];
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
