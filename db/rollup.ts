import type Database from "better-sqlite3";

// Two rollups of live cases, by year and customs district:
//   case_rollup       × infringement type × goods category          ("what")
//   case_flow_rollup  × direction × channel × transport × mode × status × campaign  ("how")
// Bulk loads rebuild them; every other write (db/writer.ts) applies its summed delta in the same transaction.

type RollupSpec = { table: string; columns: string[]; source: string[] };

export const ROLLUPS: RollupSpec[] = [
  { table: "case_rollup", columns: ["infringement_type", "goods_category"], source: ["c.infringement_type", "c.goods_category"] },
  {
    table: "case_flow_rollup",
    columns: ["direction", "channel", "transport", "protection_mode", "status", "campaign_id"],
    source: ["c.direction", "c.channel", "c.transport", "c.protection_mode", "c.status", "coalesce(c.campaign_id, 0)"],
  },
];

const grouped = (r: RollupSpec) => `
  select cast(substr(c.seized_on, 1, 4) as integer) as year, coalesce(o.district_id, o.id) as district_id,
         ${r.source.map((s, i) => `${s} as ${r.columns[i]}`).join(", ")},
         count(*) as cases, sum(c.pieces) as pieces, sum(c.value_fen) as value_fen
  from cases c join customs_offices o on o.id = c.office_id
  where c.deleted_at is null
  group by ${r.columns.map((_, i) => i + 3).join(", ")}, 1, 2`;

// ---- the dashboard's cube (case_stats) ----------------------------------------------

/** The grains of case_stats: which of office and (type, campaign) each keeps. */
export const STATS_GRAINS = [
  { grain: 0, office: false, typeCampaign: false },
  { grain: 1, office: true, typeCampaign: false },
  { grain: 2, office: false, typeCampaign: true },
  { grain: 3, office: true, typeCampaign: true },
] as const;
export const FINEST_GRAIN = 3;
export const NO_OFFICE = 0;
export const NO_TYPE = "";
export const NO_CAMPAIGN_COLUMN = -1;
/** The value of the disposal dimension for a case not yet disposed of. */
export const NO_DISPOSAL = "none";

/** Dimensions of case_stats read from the case row itself ('all' is the plain totals). */
export const CASE_DIMS = {
  all: "''",
  type: "infringement_type",
  category: "goods_category",
  direction: "direction",
  channel: "channel",
  transport: "transport",
  mode: "protection_mode",
  status: "status",
  disposal: `coalesce(disposal, '${NO_DISPOSAL}')`,
} as const;
export type StatsDim = keyof typeof CASE_DIMS | "holder" | "industry";
export const STATS_DIMS: StatsDim[] = [...(Object.keys(CASE_DIMS) as (keyof typeof CASE_DIMS)[]), "holder", "industry"];

/** The rollups' column names as the source table calls them (d_<dimension>). */
const SOURCE_NAMES: Record<string, string> = { goods_category: "category", protection_mode: "mode" };

const STATS_COLUMNS = "grain, dim, year, office_id, infringement_type, campaign_id, value, cases, pieces, value_fen";
const YEAR = "cast(substr(c.seized_on, 1, 4) as integer)";

/**
 * One pass over the live cases, grouped by every column a rollup or a case dimension of the
 * cube needs; the rollups and the cube's finest grain are then summed from it.
 */
function createSource(sqlite: Database.Database): void {
  sqlite.exec(`drop table if exists temp.stats_source;
    create temp table stats_source as
    select ${YEAR} as year, c.office_id, coalesce(o.district_id, o.id) as district_id, c.infringement_type,
           coalesce(c.campaign_id, 0) as campaign_id,
           ${Object.entries(CASE_DIMS).filter(([d]) => d !== "all").map(([d, col]) => `${col} as d_${d}`).join(", ")},
           count(*) as cases, sum(c.pieces) as pieces, sum(c.value_fen) as value_fen
    from cases c join customs_offices o on o.id = c.office_id where c.deleted_at is null
    group by 1, 2, 3, 4, 5, ${Object.keys(CASE_DIMS).filter((d) => d !== "all").map((_, i) => i + 6).join(", ")}`);
}

/** Fills `target` (an empty table shaped like case_stats) from temp.stats_source and the links. */
function fillStats(sqlite: Database.Database, target: string): void {
  const finest = `${FINEST_GRAIN}`;
  for (const dim of Object.keys(CASE_DIMS)) {
    const value = dim === "all" ? "''" : `d_${dim}`;
    sqlite.prepare(`insert into ${target} (${STATS_COLUMNS})
      select ${finest}, '${dim}', year, office_id, infringement_type, campaign_id, ${value}, sum(cases), sum(pieces), sum(value_fen)
      from temp.stats_source group by year, office_id, infringement_type, campaign_id, ${value}`).run();
  }
  sqlite.prepare(`insert into ${target} (${STATS_COLUMNS})
    select ${finest}, 'holder', ${YEAR}, c.office_id, c.infringement_type, coalesce(c.campaign_id, 0), cast(l.right_holder_id as text),
           count(*), sum(c.pieces), sum(c.value_fen)
    from cases c join case_right_holders l on l.case_id = c.id where c.deleted_at is null
    group by 3, 4, 5, 6, l.right_holder_id`).run();
  // a case counts once per industry among its right holders
  sqlite.prepare(`insert into ${target} (${STATS_COLUMNS})
    select ${finest}, 'industry', year, office_id, infringement_type, campaign_id, industry, count(*), sum(pieces), sum(value_fen)
    from (select distinct c.id, ${YEAR} as year, c.office_id, c.infringement_type, coalesce(c.campaign_id, 0) as campaign_id, h.industry,
                 c.pieces, c.value_fen
          from cases c join case_right_holders l on l.case_id = c.id join right_holders h on h.id = l.right_holder_id
          where c.deleted_at is null)
    group by year, office_id, infringement_type, campaign_id, industry`).run();
  // the coarser grains add up the finest one
  for (const g of STATS_GRAINS) {
    if (g.grain === FINEST_GRAIN) continue;
    const office = g.office ? "office_id" : `${NO_OFFICE}`;
    const type = g.typeCampaign ? "infringement_type" : `'${NO_TYPE}'`;
    const campaign = g.typeCampaign ? "campaign_id" : `${NO_CAMPAIGN_COLUMN}`;
    sqlite.prepare(`insert into ${target} (${STATS_COLUMNS})
      select ${g.grain}, dim, year, ${office}, ${type}, ${campaign}, value, sum(cases), sum(pieces), sum(value_fen)
      from ${target} where grain = ${FINEST_GRAIN}
      group by ${["dim", "year", ...(g.office ? ["office_id"] : []), ...(g.typeCampaign ? ["infringement_type", "campaign_id"] : []), "value"].join(", ")}`).run();
  }
}

/** Which version of the derived tables' definitions the database holds (see ensureRollups). */
export const ROLLUP_VERSION = "2";
const ROLLUP_META_KEY = "rollup_version";

export function rebuildRollups(sqlite: Database.Database): void {
  sqlite.transaction(() => {
    createSource(sqlite);
    for (const r of ROLLUPS) {
      const columns = r.columns.map((col) => `d_${SOURCE_NAMES[col] ?? col}`.replace(/^d_(infringement_type|campaign_id)$/, "$1"));
      sqlite.prepare(`delete from ${r.table}`).run();
      sqlite.prepare(`insert into ${r.table} (${["year", "district_id", ...r.columns, "cases", "pieces", "value_fen"].join(", ")})
        select year, district_id, ${columns.join(", ")}, sum(cases), sum(pieces), sum(value_fen)
        from temp.stats_source group by year, district_id, ${columns.join(", ")}`).run();
    }
    sqlite.prepare("delete from case_stats").run();
    fillStats(sqlite, "case_stats");
    sqlite.exec("drop table temp.stats_source");
    sqlite
      .prepare("insert into app_meta (key, value) values (?, ?) on conflict(key) do update set value = excluded.value")
      .run(ROLLUP_META_KEY, ROLLUP_VERSION);
  }).immediate();
}

/** Rebuilds the derived tables when their definitions changed since the database was filled. */
export function ensureRollups(sqlite: Database.Database): boolean {
  const row = sqlite.prepare("select value from app_meta where key = ?").get(ROLLUP_META_KEY) as { value: string } | undefined;
  if (row?.value === ROLLUP_VERSION) return false;
  rebuildRollups(sqlite);
  return true;
}

export type RollupKeyed = {
  seizedOn: string; officeId: number; infringementType: string; goodsCategory: string; direction: string; channel: string;
  transport: string; protectionMode: string; status: string; campaignId: number | null; disposal: string | null;
  pieces: number; valueFen: number;
  /** the right holders the case names */
  holderIds: number[];
};

type Cell = { key: Record<string, string | number>; cases: number; pieces: number; value: number };

type FlushStatements = {
  rollups: { upsert: Database.Statement; prune: Database.Statement }[];
  stats: { upsert: Database.Statement; prune: Database.Statement };
};
const flushStatements = new WeakMap<Database.Database, FlushStatements>();

function statementsOf(sqlite: Database.Database): FlushStatements {
  let s = flushStatements.get(sqlite);
  if (s) return s;
  const statsKeys = "grain, dim, year, office_id, infringement_type, campaign_id, value";
  s = {
    rollups: ROLLUPS.map((r) => {
      const keys = ["year", "district_id", ...r.columns];
      return {
        upsert: sqlite.prepare(`insert into ${r.table} (${keys.join(", ")}, cases, pieces, value_fen)
          values (${keys.map((k) => `@${k}`).join(", ")}, @cases, @pieces, @value)
          on conflict (${keys.join(", ")}) do update set
            cases = cases + excluded.cases, pieces = pieces + excluded.pieces, value_fen = value_fen + excluded.value_fen`),
        prune: sqlite.prepare(`delete from ${r.table} where ${keys.map((k) => `${k} = @${k}`).join(" and ")} and cases = 0`),
      };
    }),
    stats: {
      upsert: sqlite.prepare(`insert into case_stats (${statsKeys}, cases, pieces, value_fen)
        values (@grain, @dim, @year, @office, @type, @campaign, @v, @cases, @pieces, @value)
        on conflict (${statsKeys}) do update set
          cases = cases + excluded.cases, pieces = pieces + excluded.pieces, value_fen = value_fen + excluded.value_fen`),
      prune: sqlite.prepare(`delete from case_stats where grain = @grain and dim = @dim and year = @year and office_id = @office
        and infringement_type = @type and campaign_id = @campaign and value = @v and cases = 0`),
    },
  };
  flushStatements.set(sqlite, s);
  return s;
}

/**
 * The summed deltas of a batch of case writes on the rollups and the cube (db/writer.ts):
 * `apply` moves a live case out of (-1) or into (+1) its cells in memory, `flush` writes one
 * upsert per touched cell and drops the cells left with no case. A single edit's -1 and +1
 * on the same cell cancel out before anything is written.
 */
export class RollupDeltas {
  private rollups = ROLLUPS.map(() => new Map<string, Cell>());
  private stats = new Map<string, Cell>();
  constructor(private districtOf: (officeId: number) => number, private industryOf: (holderId: number) => string) {}

  private add(map: Map<string, Cell>, key: Record<string, string | number>, sign: number, c: RollupKeyed) {
    const id = JSON.stringify(Object.values(key));
    let cell = map.get(id);
    if (!cell) map.set(id, (cell = { key, cases: 0, pieces: 0, value: 0 }));
    cell.cases += sign;
    cell.pieces += sign * c.pieces;
    cell.value += sign * c.valueFen;
  }

  apply(c: RollupKeyed, sign: 1 | -1): void {
    const year = Number(c.seizedOn.slice(0, 4));
    const district = this.districtOf(c.officeId);
    const campaign = c.campaignId ?? 0;
    const columns: Record<string, string | number> = {
      infringement_type: c.infringementType, goods_category: c.goodsCategory, direction: c.direction, channel: c.channel,
      transport: c.transport, protection_mode: c.protectionMode, status: c.status, campaign_id: campaign,
    };
    ROLLUPS.forEach((r, i) => {
      const key: Record<string, string | number> = { year, district_id: district };
      for (const col of r.columns) key[col] = columns[col]!;
      this.add(this.rollups[i]!, key, sign, c);
    });
    const holderIds = [...new Set(c.holderIds)];
    const cells: [StatsDim, string][] = [
      ["all", ""], ["type", c.infringementType], ["category", c.goodsCategory], ["direction", c.direction], ["channel", c.channel],
      ["transport", c.transport], ["mode", c.protectionMode], ["status", c.status], ["disposal", c.disposal ?? NO_DISPOSAL],
      ...holderIds.map((id): [StatsDim, string] => ["holder", String(id)]),
      ...[...new Set(holderIds.map(this.industryOf))].sort().map((industry): [StatsDim, string] => ["industry", industry]),
    ];
    for (const g of STATS_GRAINS) {
      const office = g.office ? c.officeId : NO_OFFICE;
      const type = g.typeCampaign ? c.infringementType : NO_TYPE;
      const camp = g.typeCampaign ? campaign : NO_CAMPAIGN_COLUMN;
      for (const [dim, v] of cells) this.add(this.stats, { grain: g.grain, dim, year, office, type, campaign: camp, v }, sign, c);
    }
  }

  /** Writes the summed deltas and forgets them: one upsert per touched cell; cells left with no case go. */
  flush(sqlite: Database.Database): { cells: number } {
    const st = statementsOf(sqlite);
    let cells = 0;
    const write = (map: Map<string, Cell>, upsert: Database.Statement, prune: Database.Statement) => {
      for (const cell of map.values()) {
        if (cell.cases === 0 && cell.pieces === 0 && cell.value === 0) continue;
        upsert.run({ ...cell.key, cases: cell.cases, pieces: cell.pieces, value: cell.value });
        if (cell.cases <= 0) prune.run(cell.key);
        cells++;
      }
      map.clear();
    };
    ROLLUPS.forEach((_, i) => write(this.rollups[i]!, st.rollups[i]!.upsert, st.rollups[i]!.prune));
    write(this.stats, st.stats.upsert, st.stats.prune);
    return { cells };
  }
}

/** Cells where a rollup differs from the base table (empty when they all agree). */
export function rollupMismatches(sqlite: Database.Database): { table: string; key: string; rollup: string; base: string }[] {
  const out: { table: string; key: string; rollup: string; base: string }[] = [];
  for (const r of ROLLUPS) {
    const keys = ["year", "district_id", ...r.columns];
    const rows = sqlite
      .prepare(
        `with base as (${grouped(r)}),
         cells as (select ${keys.join(", ")} from base union select ${keys.join(", ")} from ${r.table})
         select ${keys.map((k) => `k.${k}`).join(" || '/' || ")} as key,
                coalesce(r.cases, 0) || '/' || coalesce(r.pieces, 0) || '/' || coalesce(r.value_fen, 0) as rollup,
                coalesce(b.cases, 0) || '/' || coalesce(b.pieces, 0) || '/' || coalesce(b.value_fen, 0) as base
         from cells k
         left join ${r.table} r using (${keys.join(", ")})
         left join base b using (${keys.join(", ")})
         where rollup <> base`,
      )
      .all() as { key: string; rollup: string; base: string }[];
    out.push(...rows.map((row) => ({ table: r.table, ...row })));
  }
  // the cube: recompute it into a temporary table and compare cell by cell, both ways
  sqlite.exec("drop table if exists temp.expected_stats; create temp table expected_stats as select * from case_stats where 0");
  createSource(sqlite);
  fillStats(sqlite, "temp.expected_stats");
  sqlite.exec("drop table temp.stats_source");
  const keys = "grain, dim, year, office_id, infringement_type, campaign_id, value";
  const key = keys.split(", ").map((k) => `k.${k}`).join(" || '/' || ");
  const rows = sqlite
    .prepare(
      `with cells as (select ${keys} from case_stats union select ${keys} from temp.expected_stats)
       select ${key} as key,
              coalesce(r.cases, 0) || '/' || coalesce(r.pieces, 0) || '/' || coalesce(r.value_fen, 0) as rollup,
              coalesce(b.cases, 0) || '/' || coalesce(b.pieces, 0) || '/' || coalesce(b.value_fen, 0) as base
       from cells k
       left join case_stats r using (${keys})
       left join temp.expected_stats b using (${keys})
       where rollup <> base`,
    )
    .all() as { key: string; rollup: string; base: string }[];
  sqlite.exec("drop table temp.expected_stats");
  out.push(...rows.map((row) => ({ table: "case_stats", ...row })));
  return out;
}
