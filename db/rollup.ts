import type Database from "better-sqlite3";

// Two rollups of live cases, by year and customs district:
//   case_rollup       × infringement type × goods category          ("what")
//   case_flow_rollup  × direction × channel × transport × mode × status × campaign  ("how")
// Bulk loads rebuild them; every single-case write applies its delta in the same transaction.

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

export function rebuildRollups(sqlite: Database.Database): void {
  sqlite.transaction(() => {
    for (const r of ROLLUPS) {
      sqlite.prepare(`delete from ${r.table}`).run();
      sqlite.prepare(`insert into ${r.table} (${["year", "district_id", ...r.columns, "cases", "pieces", "value_fen"].join(", ")}) ${grouped(r)}`).run();
    }
  })();
}

export type RollupKeyed = {
  seizedOn: string; officeId: number; infringementType: string; goodsCategory: string; direction: string; channel: string;
  transport: string; protectionMode: string; status: string; campaignId: number | null; pieces: number; valueFen: number;
};

/** Moves one live case out of (sign -1) or into (sign +1) its cell in every rollup. */
export function applyRollupDelta(sqlite: Database.Database, c: RollupKeyed, sign: 1 | -1): void {
  const values: Record<string, unknown> = {
    infringement_type: c.infringementType, goods_category: c.goodsCategory, direction: c.direction, channel: c.channel,
    transport: c.transport, protection_mode: c.protectionMode, status: c.status, campaign_id: c.campaignId ?? 0,
  };
  for (const r of ROLLUPS) {
    const keys = ["year", "district_id", ...r.columns];
    sqlite
      .prepare(
        `insert into ${r.table} (${keys.join(", ")}, cases, pieces, value_fen)
         select @year, coalesce(district_id, id), ${r.columns.map((col) => `@${col}`).join(", ")}, @sign, @sign * @pieces, @sign * @value
         from customs_offices where id = @officeId
         on conflict (${keys.join(", ")}) do update set
           cases = cases + excluded.cases, pieces = pieces + excluded.pieces, value_fen = value_fen + excluded.value_fen`,
      )
      .run({
        year: Number(c.seizedOn.slice(0, 4)), sign, pieces: c.pieces, value: c.valueFen, officeId: c.officeId,
        ...Object.fromEntries(r.columns.map((col) => [col, values[col]])),
      });
    sqlite.prepare(`delete from ${r.table} where cases = 0`).run();
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
  return out;
}
