import type { ImportWarning, Rejection } from "./validate";

export type { ImportWarning, Rejection };

// The import report as plain text, for the command line (scripts/import.ts).

/** What an import found (a dry run) or wrote (a commit): the one shape the command line, the route and the page share. */
export type ImportReport = {
  /** data rows in the file */
  total: number;
  /** rows that create a case / update one */
  creates: number;
  updates: number;
  rejected: Rejection[];
  /** right holders that are (or would be) created, by name */
  holdersToCreate: string[];
  /** rows let in with a warning (an ex-officio case without a valid recordation) */
  warnings?: ImportWarning[];
  /** rows naming a party on the watch-list (issue 18, item 2): a warning, not a refusal */
  watchList?: { row: number; caseNo: string; names: string[] }[];
  /** whether this was written (commitImport only) */
  committed: boolean;
  /** case numbers of the rows written, in file order (commitImport only) */
  caseNos?: string[];
};

export function formatReport(report: ImportReport, mode: { dryRun: boolean; skipInvalid: boolean }): string {
  const lines: string[] = [];
  const rejectedRows = new Set(report.rejected.map((r) => r.row)).size;
  const would = mode.dryRun ? "would be " : "";
  lines.push(`${report.total} data rows read.`);
  lines.push(`  ${report.creates} ${report.creates === 1 ? "case" : "cases"} ${would}created`);
  lines.push(`  ${report.updates} ${report.updates === 1 ? "case" : "cases"} ${would}updated`);
  lines.push(`  ${rejectedRows} ${rejectedRows === 1 ? "row" : "rows"} rejected${report.rejected.length > rejectedRows ? ` (${report.rejected.length} problems)` : ""}`);
  if (report.holdersToCreate.length) {
    lines.push(`  ${report.holdersToCreate.length} right ${report.holdersToCreate.length === 1 ? "holder" : "holders"} ${would}created: ${report.holdersToCreate.join("; ")}`);
  }
  if (report.warnings?.length) {
    lines.push("", `Warnings (${report.warnings.length} ${report.warnings.length === 1 ? "case" : "cases"} to complete: /cases?recordation=none):`);
    for (const w of report.warnings) lines.push(`  row ${w.row}: ${w.message}`);
  }
  if (report.watchList?.length) {
    lines.push("", `Watch-list (${report.watchList.length} ${report.watchList.length === 1 ? "row names" : "rows name"} a listed party: /risk/watch-list):`);
    for (const w of report.watchList) lines.push(`  row ${w.row} (${w.caseNo}): ${w.names.join("; ")}`);
  }
  if (report.rejected.length) {
    lines.push("", "Rejected:");
    for (const r of report.rejected) lines.push(`  row ${r.row}, ${r.column}: ${r.reason} — ${r.message}`);
  }
  lines.push("");
  if (mode.dryRun) lines.push("Dry run: nothing was written.");
  else if (report.committed) {
    lines.push(`Imported ${report.creates + report.updates} ${report.creates + report.updates === 1 ? "case" : "cases"}${rejectedRows ? `; ${rejectedRows} rejected ${rejectedRows === 1 ? "row was" : "rows were"} skipped` : ""}.`);
  } else lines.push("Nothing was written: fix the rejected rows, or run again with --skip-invalid to import the others.");
  return lines.join("\n");
}
