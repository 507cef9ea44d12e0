import "server-only";
import { asc, desc, eq, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { CASE_FIELDS, type CaseFieldDef } from "../../lib/case-definition";
import type { Filters, Sort } from "../../lib/filters";
import type { ExportRow } from "../../lib/export-columns";
import { databasePath } from "../../lib/env";
import { casesWhere, type FilterOptions } from "../case-filters";
import { namesToRedact, redact, type HolderNames } from "../../lib/redact";
import { drizzleOf, openSqlite } from "../sqlite/open";
import { campaigns, caseRightHolders, cases } from "../sqlite/schema";
import { districtJoin, officeJoin, placeColumns } from "./places";


const SORT = { seizedOn: cases.seizedOn, caseNo: cases.caseNo, pieces: cases.pieces, value: cases.valueFen } as const;

export type ExportCursor = { rows: IterableIterator<ExportRow>; close: () => void };

/**
 * Every case of the filtered set, read row by row on a connection of its own: a long export
 * keeps one consistent snapshot (WAL) and never blocks the shared connection's other queries.
 */
export function openExportCursor(filters: Filters, sort: Sort, options: FilterOptions = {}): ExportCursor {
  const sqlite = openSqlite(databasePath(), { readonly: true });
  const db = drizzleOf(sqlite);
  // right-holder names by id, joined in JavaScript: cheaper per row than a sorted subquery
  const holderNames = new Map(
    (sqlite.prepare("select id, name from right_holders").all() as { id: number; name: string }[]).map((h) => [h.id, h.name]),
  );
  const allowed = options.restrictToHolders ? new Set(options.restrictToHolders) : null;
  // a member's export blots out the names of the other right holders in a case's free text
  const redactionNames = allowed
    ? new Map(
        (sqlite.prepare("select id, name, name_zh as nameZh from right_holders").all() as ({ id: number } & HolderNames)[]).map((h) => [h.id, namesToRedact([h])]),
      )
    : null;
  // the case definition's fields in its order (lib/case-definition.ts), with names for the office,
  // the campaign and the right holders
  const selection: Record<string, SQLiteColumn | SQL> = {};
  for (const f of CASE_FIELDS as readonly CaseFieldDef[]) {
    if (f.kind === "office") {
      Object.assign(selection, placeColumns);
    } else if (f.kind === "campaign") {
      Object.assign(selection, { campaignCode: campaigns.code, campaignNameEn: campaigns.nameEn, campaignNameZh: campaigns.nameZh });
    } else if (f.kind === "holders") {
      selection.rightHolders = sql<string | null>`(select group_concat(l.right_holder_id) from ${caseRightHolders} l where l.case_id = ${cases.id})`;
    } else {
      selection[f.key] = (cases as unknown as Record<string, SQLiteColumn>)[f.key]!;
    }
  }
  const keys = Object.keys(selection) as (keyof ExportRow)[];
  const column = SORT[sort.key];
  const query = db
    .select(selection)
    .from(cases)
    .innerJoin(...officeJoin)
    .innerJoin(...districtJoin)
    .leftJoin(campaigns, eq(campaigns.id, cases.campaignId))
    .where(casesWhere(db, filters, options))
    .orderBy(...(sort.dir === "asc" ? [asc(column), asc(cases.id)] : [desc(column), desc(cases.id)]))
    .toSQL();
  const statement = sqlite.prepare(query.sql).raw(true);
  const iterator = statement.iterate(...(query.params as unknown[])) as IterableIterator<unknown[]>;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    iterator.return?.();
    sqlite.close();
  };
  function* rows(): Generator<ExportRow> {
    try {
      for (const values of iterator) {
        const row = {} as Record<string, unknown>;
        for (let i = 0; i < keys.length; i++) row[keys[i]!] = values[i];
        const holderIds = row.rightHolders ? String(row.rightHolders).split(",").map(Number) : [];
        if (allowed && redactionNames) {
          const hidden = holderIds.filter((id) => !allowed.has(id)).flatMap((id) => redactionNames.get(id) ?? []);
          if (hidden.length) {
            hidden.sort((a, b) => b.length - a.length);
            row.goodsDescription = redact(row.goodsDescription as string | null, hidden);
            row.notes = redact(row.notes as string | null, hidden);
          }
        }
        row.rightHolders = holderIds
          .filter((id) => !allowed || allowed.has(id))
          .map((id) => holderNames.get(id) ?? String(id))
          .sort()
          .join("; ") || null;
        yield row as ExportRow;
      }
    } finally {
      close();
    }
  }
  return { rows: rows(), close };
}
