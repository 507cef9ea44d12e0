import "server-only";
import { asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { CASE_FIELDS, type CaseFieldDef } from "../../lib/case-definition";
import type { Filters, Sort, SortKey } from "../../lib/filters";
import type { ExportRow } from "../../lib/export-columns";
import { casesWhere, type FilterOptions } from "../case-filters";
import type { Engine } from "../engine";
import { namesToRedact, redact, type HolderNames } from "../../lib/redact";
import { placesOf } from "./places";

/** The export row's key that holds each sort's column (the keyset of the chunks). */
const SORT_KEY: Record<SortKey, "seizedOn" | "caseNo" | "pieces" | "valueFen"> = { seizedOn: "seizedOn", caseNo: "caseNo", pieces: "pieces", value: "valueFen" };

/** Rows read per chunk (two queries: the keys, then their rows). */
export const EXPORT_CHUNK = 5_000;

export type ExportCursor = { rows: AsyncIterator<ExportRow>; close: () => void };

/**
 * Every case of the filtered set in the sort's order, read a chunk at a time by keyset: each
 * chunk is the next `EXPORT_CHUNK` rows after the last one's (sort value, id), on either
 * engine, with no server-side cursor and no statement left open between chunks (a long export
 * never holds the connection others share). A case changed while the export runs is read as
 * its chunk finds it; no case is read twice, and none that stays in the set is left out.
 */
export async function openExportCursor(e: Engine, filters: Filters, sort: Sort, options: FilterOptions = {}, chunkSize = EXPORT_CHUNK): Promise<ExportCursor> {
  const { cases, campaigns, caseRightHolders, rightHolders } = e.t;
  const { placeColumns, officeJoin, districtJoin } = placesOf(e);
  const where = await casesWhere(e, filters, options);
  // right-holder names by id, joined in JavaScript: cheaper per row than a sorted subquery
  const holders = await e.db.select({ id: rightHolders.id, name: rightHolders.name, nameZh: rightHolders.nameZh }).from(rightHolders);
  const holderNames = new Map(holders.map((h) => [h.id, h.name]));
  const allowed = options.restrictToHolders ? new Set(options.restrictToHolders) : null;
  // a member's export blots out the names of the other right holders in a case's free text
  const redactionNames = allowed ? new Map(holders.map((h) => [h.id, namesToRedact([h as HolderNames])])) : null;
  // the case definition's fields in its order (lib/case-definition.ts), with names for the office,
  // the campaign and the right holders
  const holderIdsOfCase =
    e.dialect === "postgres"
      ? sql<string | null>`(select string_agg(l.right_holder_id::text, ',') from ${caseRightHolders} l where l.case_id = ${cases.id})`
      : sql<string | null>`(select group_concat(l.right_holder_id) from ${caseRightHolders} l where l.case_id = ${cases.id})`;
  // the recordations' numbers by id (a member's: its own company's only), joined in JavaScript too
  const recordationIdsOfCase =
    e.dialect === "postgres"
      ? sql<string | null>`(select string_agg(l.recordation_id::text, ',') from case_recordations l where l.case_id = ${cases.id})`
      : sql<string | null>`(select group_concat(l.recordation_id) from case_recordations l where l.case_id = ${cases.id})`;
  const recordationNumbers = new Map(
    (await e.all<{ id: number; number: string; holderId: number }>(sql`select id, number, holder_id as "holderId" from recordations`))
      .filter((r) => !allowed || allowed.has(r.holderId))
      .map((r) => [r.id, r.number]),
  );
  const selection: Record<string, SQLiteColumn | SQL> = {};
  for (const f of CASE_FIELDS as readonly CaseFieldDef[]) {
    if (f.kind === "office") {
      Object.assign(selection, placeColumns);
    } else if (f.kind === "campaign") {
      Object.assign(selection, { campaignCode: campaigns.code, campaignNameEn: campaigns.nameEn, campaignNameZh: campaigns.nameZh });
    } else if (f.kind === "holders") {
      selection.rightHolders = holderIdsOfCase;
    } else if (f.kind === "recordations") {
      selection.recordations = recordationIdsOfCase;
    } else if (f.party) {
      // a part of a party (db/parties.ts); a natural person's identity number only ever masked
      const part = f.party.part === "code" ? sql.raw(`case when p.kind = 'person' then p.id_masked else p.code end`) : sql.raw(`p.${f.party.part}`);
      selection[f.key] = sql<string | null>`(select ${part} from case_parties cp join parties p on p.id = cp.party_id where cp.case_id = ${cases.id} and cp.role = ${f.party.role})`;
    } else {
      selection[f.key] = (cases as unknown as Record<string, SQLiteColumn>)[f.key]!;
    }
  }
  selection.exportId = cases.id;
  const key = SORT_KEY[sort.key];
  const column = (cases as unknown as Record<string, SQLiteColumn>)[key]!;
  const after = sort.dir === "asc" ? sql.raw(">") : sql.raw("<");
  const order = sort.dir === "asc" ? [asc(column), asc(cases.id)] : [desc(column), desc(cases.id)];

  // a chunk's ids first, by the sort and the keyset alone (the sort's index walks to them),
  // then their rows with the joins: one query with both lets SQLite start from a joined table
  // and sort the whole set again for every chunk
  type Key = { v: unknown; id: number };
  const keysAfter = (last: Key | null): Promise<Key[]> =>
    e.db
      .select({ v: column, id: cases.id })
      .from(cases)
      .where(last ? sql`${where} and (${column}, ${cases.id}) ${after} (${last.v}, ${last.id})` : where)
      .orderBy(...order)
      .limit(chunkSize);
  const chunkAfter = async (last: Key | null) => {
    const keys = await keysAfter(last);
    if (!keys.length) return { keys, rows: [] as Record<string, unknown>[] };
    const ids = keys.map((k) => k.id);
    const rows = (await e.db
      .select(selection)
      .from(cases)
      .innerJoin(...officeJoin)
      .innerJoin(...districtJoin)
      .leftJoin(campaigns, eq(campaigns.id, cases.campaignId))
      .where(e.say.inList(sql`${cases.id}`, ids))) as Record<string, unknown>[];
    const byId = new Map(rows.map((r) => [r.exportId as number, r]));
    // a case deleted between the two reads is left out
    return { keys, rows: ids.flatMap((id): Record<string, unknown>[] => { const row = byId.get(id); return row ? [row] : []; }) };
  };

  const toExportRow = (row: Record<string, unknown>): ExportRow => {
    delete row.exportId;
    const holderIds = row.rightHolders ? String(row.rightHolders).split(",").map(Number) : [];
    if (allowed && redactionNames) {
      const hidden = holderIds.filter((id) => !allowed.has(id)).flatMap((id) => redactionNames.get(id) ?? []);
      if (hidden.length) {
        hidden.sort((a, b) => b.length - a.length);
        row.goodsDescription = redact(row.goodsDescription as string | null, hidden);
        row.notes = redact(row.notes as string | null, hidden);
      }
    }
    row.recordations =
      (row.recordations ? String(row.recordations).split(",").map(Number) : [])
        .flatMap((id) => recordationNumbers.get(id) ?? [])
        .sort()
        .join("; ") || null;
    row.rightHolders =
      holderIds
        .filter((id) => !allowed || allowed.has(id))
        .map((id) => holderNames.get(id) ?? String(id))
        .sort()
        .join("; ") || null;
    return row as ExportRow;
  };

  let closed = false;
  async function* rows(): AsyncGenerator<ExportRow> {
    let last: Key | null = null;
    while (!closed) {
      const chunk = await chunkAfter(last);
      for (const row of chunk.rows) {
        if (closed) return;
        yield toExportRow(row);
      }
      if (chunk.keys.length < chunkSize) return;
      last = chunk.keys[chunk.keys.length - 1]!;
    }
  }
  return {
    rows: rows(),
    close: () => {
      closed = true;
    },
  };
}
