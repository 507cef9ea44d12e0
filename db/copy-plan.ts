import { getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "./sqlite/schema";

// What `npm run db:copy` copies (db/copy.ts), engine-neutral: every table of the schema, in
// an order where each row's references are already there, its columns by name (the same on
// both engines, tests/integration/postgres-schema.test.ts), and how each column's values
// travel: as SQLite stores them (integers, 0/1 booleans, milliseconds, JSON as its text,
// files as bytes).

export type ColumnKind = "integer" | "boolean" | "text" | "json" | "bytes";
export type CopyTable = { name: string; columns: { name: string; kind: ColumnKind }[]; order: string };

const TABLES: [SQLiteTable, string][] = [
  [schema.appMeta, "key"],
  [schema.customsOffices, "id"],
  [schema.rightHolders, "id"],
  [schema.campaigns, "id"],
  [schema.users, "id"],
  [schema.sessions, "id"],
  [schema.accounts, "id"],
  [schema.verifications, "id"],
  [schema.rateLimits, "id"],
  [schema.signInFailures, "key"],
  [schema.invitations, "user_id"],
  [schema.outbox, "id"],
  [schema.apiTokens, "id"],
  [schema.cases, "id"],
  [schema.caseRightHolders, "case_id, right_holder_id"],
  [schema.recordations, "id"],
  [schema.recordationParties, "id"],
  [schema.recordationImages, "recordation_id"],
  [schema.caseRecordations, "case_id, recordation_id"],
  [schema.caseSteps, "id"],
  // parties before their links (issue 18): a person's number moves sealed, as stored
  [schema.parties, "id"],
  [schema.caseParties, "case_id, role"],
  // files as bytes (blob / bytea): the copy holds them byte for byte
  [schema.caseAttachments, "id"],
  [schema.guides, "id"],
  [schema.guideDistricts, "guide_id, district_id"],
  [schema.guideCategories, "guide_id, category"],
  [schema.guideRecordations, "guide_id, recordation_id"],
  [schema.guidePairs, "id"],
  [schema.guideVersions, "id"],
  [schema.workingDayOverrides, "date"],
  [schema.notifications, "id"],
  [schema.savedViews, "id"],
  [schema.hotspotRuns, "id"],
  [schema.hotspotFlags, "id"],
  [schema.hotspotLease, "name"],
  [schema.riskProfiles, "id"],
  [schema.profileHits, "profile_id, case_id"],
  [schema.subscriptions, "id"],
  [schema.auditLog, "id"],
  // newest first: the log's prune trigger (every 10,000th row drops the rows 100,000 before
  // it) then finds nothing older to drop, and the copy holds the source's rows exactly
  [schema.caseChanges, "seq desc"],
];

export const COPY_TABLES: CopyTable[] = TABLES.map(([table, order]) => ({
  name: getTableName(table),
  order,
  columns: Object.values(getTableColumns(table)).map((c) => ({
    name: c.name,
    kind: c.columnType === "SQLiteBoolean" ? "boolean" : c.columnType === "SQLiteBlobBuffer" ? "bytes" : c.columnType === "SQLiteTextJson" ? "json" : c.dataType === "string" ? "text" : "integer",
  })),
}));

/** The tables whose integer id comes from a sequence on PostgreSQL, moved past the copied ids. */
export const IDENTITY_COLUMNS: [table: string, column: string][] = [
  ["customs_offices", "id"],
  ["right_holders", "id"],
  ["campaigns", "id"],
  ["cases", "id"],
  ["recordations", "id"],
  ["recordation_parties", "id"],
  ["case_steps", "id"],
  ["notifications", "id"],
  ["case_attachments", "id"],
  ["guides", "id"],
  ["guide_pairs", "id"],
  ["guide_versions", "id"],
  ["audit_log", "id"],
  ["outbox", "id"],
  ["api_tokens", "id"],
  ["saved_views", "id"],
  ["hotspot_runs", "id"],
  ["hotspot_flags", "id"],
  ["risk_profiles", "id"],
  ["subscriptions", "id"],
  ["parties", "id"],
  ["case_changes", "seq"],
];

/** app_meta's row that pauses the change log inside a bulk load's transaction (migration 0011). */
export const PAUSE_KEY = "case_changes";

export type Row = (string | number | Uint8Array | null)[];

/** The figures both sides must agree on: rows per table and the dashboard's totals. */
export type Figures = {
  rows: Record<string, number>;
  totals: { cases: number; pieces: number; valueFen: number };
  perYear: Record<string, { cases: number; pieces: number; valueFen: number }>;
  perDistrict: Record<string, { cases: number; pieces: number; valueFen: number }>;
};

// The same SQL on both engines: live cases only, a district is an office's district or the office
export const TOTALS_SQL = "select count(*) as cases, coalesce(sum(pieces), 0) as pieces, coalesce(sum(value_fen), 0) as value_fen from cases where deleted_at is null";
export const PER_YEAR_SQL = `select substr(seized_on, 1, 4) as k, count(*) as cases, sum(pieces) as pieces, sum(value_fen) as value_fen
  from cases where deleted_at is null group by 1 order by 1`;
export const PER_DISTRICT_SQL = `select d.code as k, count(*) as cases, sum(c.pieces) as pieces, sum(c.value_fen) as value_fen
  from cases c join customs_offices o on o.id = c.office_id join customs_offices d on d.id = coalesce(o.district_id, o.id)
  where c.deleted_at is null group by d.code order by 1`;

type TotalsRow = { k?: string; cases: number | string; pieces: number | string; value_fen: number | string };
const figure = (r: TotalsRow) => ({ cases: Number(r.cases), pieces: Number(r.pieces), valueFen: Number(r.value_fen) });

export function figuresOf(rows: Record<string, number>, totals: TotalsRow, perYear: TotalsRow[], perDistrict: TotalsRow[]): Figures {
  return {
    rows,
    totals: figure(totals),
    perYear: Object.fromEntries(perYear.map((r) => [r.k!, figure(r)])),
    perDistrict: Object.fromEntries(perDistrict.map((r) => [r.k!, figure(r)])),
  };
}

/** The lines where two sets of figures differ; none when they match. */
export function figureDifferences(a: Figures, b: Figures): string[] {
  const out: string[] = [];
  const compare = (label: string, x: unknown, y: unknown) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push(`${label}: ${JSON.stringify(x)} ≠ ${JSON.stringify(y)}`);
  };
  for (const t of new Set([...Object.keys(a.rows), ...Object.keys(b.rows)])) compare(`rows of ${t}`, a.rows[t], b.rows[t]);
  compare("totals", a.totals, b.totals);
  for (const k of new Set([...Object.keys(a.perYear), ...Object.keys(b.perYear)])) compare(`year ${k}`, a.perYear[k], b.perYear[k]);
  for (const k of new Set([...Object.keys(a.perDistrict), ...Object.keys(b.perDistrict)])) compare(`district ${k}`, a.perDistrict[k], b.perDistrict[k]);
  return out;
}

/** Rows per table: the search tables are counted too, as "search documents". */
export const SEARCH_TABLE = "search documents";
