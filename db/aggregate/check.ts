import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { postgresEngine, postgresPoolOf, sqliteConnectionOf, sqliteEngine, type Engine } from "../engine";
import { anotherPool } from "../postgres/aggregate-load";
import { drizzleOf, type Db } from "../sqlite/open";
import { searchIndexMismatches } from "../sqlite/search-index";
import { STATS_DIMS, tally, type Collected, type Figures, type StatsDim } from "./plan";
import { caseStore, DIMS, DIM_VALUES, routeTallies } from "./store";

// THE check of every derived figure against plain SQL over the base tables, run by the tests
// after their writes (and by the bench and the load test at the end):
// - the aggregate store (./store.ts) of the connection that wrote (caught up through the
//   change log) AND of a fresh connection to the same file (loaded whole), each read two ways
//   through the planner: with no filter (whole years from the store's year tallies) and with
//   a filter every case passes (one scan of the rows), against GROUP BY queries over `cases`,
//   its links and the right holders for every figure the store tallies: the totals, each
//   year, office, enumerated column, campaign, right holder, industry and recordation — cases, pieces, value;
//   and its filter-only route codes (port, origin country) read straight from its arrays;
// - the search indexes (cases_fts, cases_redacted_fts) against the live cases: the same case
//   ids, and (unless `text: false`) the same terms at the same places as documents written
//   afresh from the cases, their right holders and their names would hold.
// The result lists every difference; empty when everything agrees.

export type DerivedMismatch = {
  /** which derived data: "store (this connection)", "store (fresh connection)", "cases_fts", "cases_redacted_fts" */
  source: string;
  /** the figure (e.g. "year", "status", "holder" — and how the store was read) or what of the index */
  figure: string;
  key: string;
  derived: string;
  base: string;
};

export type CheckOptions = {
  /** compare the search indexes' terms, not only their case ids (default true; slow at a million cases) */
  text?: boolean;
};

type Row = { k: string | number; cases: number; pieces: number; value: number };
const text = (f: Figures | undefined) => (f ? `${f.cases}/${f.pieces}/${f.valueFen}` : "none");

/** Every figure the store tallies, by plain SQL over the base tables (the same text on both engines). */
async function baseFigures(e: Engine): Promise<Map<string, Map<string, Figures>>> {
  const live = "from cases c where c.deleted_at is null";
  const sums = "count(*) as cases, cast(coalesce(sum(c.pieces), 0) as bigint) as pieces, cast(coalesce(sum(c.value_fen), 0) as bigint) as value";
  const group = async (key: string | null, from = live, extra = "") =>
    new Map(
      (await e.all<Row>(sql.raw(key === null ? `select '' as k, ${sums} ${from} ${extra}` : `select ${key} as k, ${sums} ${from} ${extra} group by ${key}`)))
        .filter((r) => Number(r.cases) > 0)
        .map((r) => [String(r.k), { cases: Number(r.cases), pieces: Number(r.pieces), valueFen: Number(r.value) }]),
    );
  const out = new Map<string, Map<string, Figures>>();
  out.set("all", await group(null));
  out.set("year", await group("cast(substr(c.seized_on, 1, 4) as integer)"));
  out.set("office", await group("c.office_id"));
  out.set("campaign", await group("c.campaign_id", live, "and c.campaign_id is not null"));
  const columns: Record<(typeof DIMS)[number], string> = {
    type: "c.infringement_type", category: "c.goods_category", direction: "c.direction", channel: "c.channel",
    transport: "c.transport", mode: "c.protection_mode", status: "c.status", disposal: "coalesce(c.disposal, 'none')",
  };
  for (const d of DIMS) out.set(d, await group(columns[d]));
  out.set("holder", await group("l.right_holder_id", "from cases c join case_right_holders l on l.case_id = c.id where c.deleted_at is null"));
  // a case counts once per industry among its right holders
  out.set("industry", await group("c.industry", `from (select distinct x.id, h.industry, x.pieces, x.value_fen
    from cases x join case_right_holders l on l.case_id = x.id join right_holders h on h.id = l.right_holder_id
    where x.deleted_at is null) c`));
  // a case on two recordations counts for each
  out.set("recordation", await group("l.recordation_id", "from cases c join case_recordations l on l.case_id = c.id where c.deleted_at is null"));
  // the route codes the planner filters by ("" for none)
  out.set("port", await group("coalesce(c.port, '')"));
  out.set("origin", await group("coalesce(c.origin_country, '')"));
  return out;
}

/** The store's figures as the planner reads them, keyed as baseFigures keys them. */
async function storeFigures(e: Engine, filters: Filters): Promise<Map<string, Map<string, Figures>>> {
  const c: Collected = await tally(e, filters, {}, { dims: STATS_DIMS, year: true, office: true, campaign: true });
  // (asked apart: a tally by recordation scans the rows, where the one above may read the year tallies)
  const byRecordation = (await tally(e, filters, {}, { dims: [], year: false, office: false, recordation: true })).recordation;
  const keyed = <K>(t: Map<K, Figures>) => new Map([...t].map(([k, f]) => [String(k), f]));
  const out = new Map<string, Map<string, Figures>>();
  for (const d of STATS_DIMS) out.set(d, keyed(c.dims.get(d as StatsDim) ?? new Map()));
  out.set("year", keyed(c.year));
  out.set("office", keyed(c.office));
  out.set("campaign", keyed(c.campaign));
  out.set("recordation", keyed(byRecordation));
  for (const [figure, t] of routeTallies(await caseStore(e))) out.set(figure, t);
  return out;
}

function compare(source: string, how: string, derived: Map<string, Map<string, Figures>>, base: Map<string, Map<string, Figures>>): DerivedMismatch[] {
  const out: DerivedMismatch[] = [];
  for (const [figure, expected] of base) {
    const got = derived.get(figure) ?? new Map<string, Figures>();
    for (const key of new Set([...expected.keys(), ...got.keys()])) {
      const a = text(got.get(key)), b = text(expected.get(key));
      if (a !== b) out.push({ source, figure: `${figure} (${how})`, key, derived: a, base: b });
    }
  }
  return out;
}

/** A filter every case passes, so that the planner scans the rows instead of the year tallies. */
const EVERY_STATUS: Filters = { ...EMPTY_FILTERS, status: [...DIM_VALUES[DIMS.indexOf("status")]!] as Filters["status"] };

async function storeMismatches(e: Engine, source: string, base: Map<string, Map<string, Figures>>): Promise<DerivedMismatch[]> {
  return [
    ...compare(source, "year tallies", await storeFigures(e, EMPTY_FILTERS), base),
    ...compare(source, "row scan", await storeFigures(e, EVERY_STATUS), base),
  ];
}

/** PostgreSQL's search table against the live cases, by case id (its text is db/postgres/search-index.ts's to check). */
async function searchTableMismatches(e: Engine): Promise<DerivedMismatch[]> {
  const rows = await e.all<{ id: number; indexed: number }>(sql`
    select coalesce(c.id, s.case_id) as id, case when s.case_id is null then 0 else 1 end as indexed
    from (select id from cases where deleted_at is null) c full join cases_search s on s.case_id = c.id
    where c.id is null or s.case_id is null order by 1`);
  return rows.map((r) => ({
    source: "cases_search", figure: "case ids", key: String(r.id),
    derived: Number(r.indexed) ? "indexed" : "missing", base: Number(r.indexed) ? "no live case" : "live case",
  }));
}

/**
 * Every difference between the derived data and the base tables (empty when all agree):
 * `e` is the engine the caller wrote through; a fresh connection (SQLite) or pool
 * (PostgreSQL) to the same database is opened (and closed) for the second store.
 */
export async function derivedMismatches(e: Engine | Db | Database.Database, options: CheckOptions = {}): Promise<DerivedMismatch[]> {
  const engine = "say" in e ? e : sqliteEngine("$client" in e ? e : drizzleOf(e));
  const base = await baseFigures(engine);
  const out = await storeMismatches(engine, "store (this connection)", base);
  const sqlite = sqliteConnectionOf(engine);
  if (sqlite) {
    // opened as the caller's was (read-only or not), without the server's pragmas: a backup file stays in its journal mode
    const fresh = new Database(sqlite.name, { readonly: sqlite.readonly, fileMustExist: true });
    try {
      const other = sqliteEngine(drizzleOf(fresh));
      out.push(...(await storeMismatches(other, "store (fresh connection)", await baseFigures(other))));
    } finally {
      fresh.close();
    }
    out.push(...searchIndexMismatches(sqlite, options));
  } else {
    const pool = anotherPool(postgresPoolOf(engine)!);
    try {
      const other = postgresEngine(pool);
      out.push(...(await storeMismatches(other, "store (fresh connection)", await baseFigures(other))));
    } finally {
      await pool.$client.end();
    }
    out.push(...(await searchTableMismatches(engine)));
  }
  return out;
}
