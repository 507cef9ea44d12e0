import Database from "better-sqlite3";
import { EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { drizzleOf, type Db } from "../sqlite/open";
import { searchIndexMismatches } from "../sqlite/search-index";
import { STATS_DIMS, tally, type Collected, type Figures, type StatsDim } from "./plan";
import { DIMS, DIM_VALUES } from "./store";

// THE check of every derived figure against plain SQL over the base tables, run by the tests
// after their writes (and by the bench and the load test at the end):
// - the aggregate store (./store.ts) of the connection that wrote (caught up through the
//   change log) AND of a fresh connection to the same file (loaded whole), each read two ways
//   through the planner: with no filter (whole years from the store's year tallies) and with
//   a filter every case passes (one scan of the rows), against GROUP BY queries over `cases`,
//   its links and the right holders for every figure the store tallies: the totals, each
//   year, office, enumerated column, campaign, right holder and industry — cases, pieces, value;
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

/** Every figure the store tallies, by plain SQL over the base tables. */
function baseFigures(sqlite: Database.Database): Map<string, Map<string, Figures>> {
  const live = "from cases c where c.deleted_at is null";
  const sums = "count(*) as cases, coalesce(sum(c.pieces), 0) as pieces, coalesce(sum(c.value_fen), 0) as value";
  const group = (key: string, from = live, extra = "") =>
    new Map(
      (sqlite.prepare(`select ${key} as k, ${sums} ${from} ${extra} group by 1`).all() as Row[])
        .filter((r) => r.cases > 0)
        .map((r) => [String(r.k), { cases: r.cases, pieces: r.pieces, valueFen: r.value }]),
    );
  const out = new Map<string, Map<string, Figures>>();
  out.set("all", group("''"));
  out.set("year", group("cast(substr(c.seized_on, 1, 4) as integer)"));
  out.set("office", group("c.office_id"));
  out.set("campaign", group("c.campaign_id", live, "and c.campaign_id is not null"));
  const columns: Record<(typeof DIMS)[number], string> = {
    type: "c.infringement_type", category: "c.goods_category", direction: "c.direction", channel: "c.channel",
    transport: "c.transport", mode: "c.protection_mode", status: "c.status", disposal: "coalesce(c.disposal, 'none')",
  };
  for (const d of DIMS) out.set(d, group(columns[d]));
  out.set("holder", group("l.right_holder_id", "from cases c join case_right_holders l on l.case_id = c.id where c.deleted_at is null"));
  // a case counts once per industry among its right holders
  out.set("industry", group("c.industry", `from (select distinct x.id, h.industry, x.pieces, x.value_fen
    from cases x join case_right_holders l on l.case_id = x.id join right_holders h on h.id = l.right_holder_id
    where x.deleted_at is null) c`));
  return out;
}

/** The store's figures as the planner reads them, keyed as baseFigures keys them. */
function storeFigures(db: Db, filters: Filters): Map<string, Map<string, Figures>> {
  const c: Collected = tally(db, filters, {}, { dims: STATS_DIMS, year: true, office: true, campaign: true });
  const keyed = <K>(t: Map<K, Figures>) => new Map([...t].map(([k, f]) => [String(k), f]));
  const out = new Map<string, Map<string, Figures>>();
  for (const d of STATS_DIMS) out.set(d, keyed(c.dims.get(d as StatsDim) ?? new Map()));
  out.set("year", keyed(c.year));
  out.set("office", keyed(c.office));
  out.set("campaign", keyed(c.campaign));
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

function storeMismatches(db: Db, source: string, base: Map<string, Map<string, Figures>>): DerivedMismatch[] {
  return [
    ...compare(source, "year tallies", storeFigures(db, EMPTY_FILTERS), base),
    ...compare(source, "row scan", storeFigures(db, EVERY_STATUS), base),
  ];
}

/**
 * Every difference between the derived data and the base tables (empty when all agree):
 * `connection` is the one the caller wrote through; a fresh connection to the same file is
 * opened (and closed) for the second store.
 */
export function derivedMismatches(connection: Db | Database.Database, options: CheckOptions = {}): DerivedMismatch[] {
  const db = "$client" in connection ? connection : drizzleOf(connection);
  const sqlite = db.$client;
  const base = baseFigures(sqlite);
  const out = storeMismatches(db, "store (this connection)", base);
  // opened as the caller's was (read-only or not), without the server's pragmas: a backup file stays in its journal mode
  const fresh = drizzleOf(new Database(sqlite.name, { readonly: sqlite.readonly, fileMustExist: true }));
  try {
    out.push(...storeMismatches(fresh, "store (fresh connection)", baseFigures(fresh.$client)));
  } finally {
    fresh.$client.close();
  }
  out.push(...searchIndexMismatches(sqlite, options));
  return out;
}
