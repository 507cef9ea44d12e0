import type Database from "better-sqlite3";

// case_rollup: live cases by year × district × infringement type × goods category.
// Bulk loads rebuild it; every single-case write applies its delta in the same transaction.

const GROUPED = `
  select cast(substr(c.seized_on, 1, 4) as integer) as year, coalesce(o.district_id, o.id) as district_id,
         c.infringement_type, c.goods_category, count(*) as cases, sum(c.pieces) as pieces, sum(c.value_fen) as value_fen
  from cases c join customs_offices o on o.id = c.office_id
  where c.deleted_at is null
  group by 1, 2, 3, 4`;

export function rebuildRollup(sqlite: Database.Database): void {
  sqlite.transaction(() => {
    sqlite.prepare("delete from case_rollup").run();
    sqlite.prepare(`insert into case_rollup (year, district_id, infringement_type, goods_category, cases, pieces, value_fen) ${GROUPED}`).run();
  })();
}

export type RollupKeyed = { seizedOn: string; officeId: number; infringementType: string; goodsCategory: string; pieces: number; valueFen: number };

/** Moves one live case out of (sign -1) or into (sign +1) its rollup cell. */
export function applyRollupDelta(sqlite: Database.Database, c: RollupKeyed, sign: 1 | -1): void {
  sqlite
    .prepare(
      `insert into case_rollup (year, district_id, infringement_type, goods_category, cases, pieces, value_fen)
       select @year, coalesce(district_id, id), @type, @category, @sign, @sign * @pieces, @sign * @value
       from customs_offices where id = @officeId
       on conflict (year, district_id, infringement_type, goods_category) do update set
         cases = cases + excluded.cases, pieces = pieces + excluded.pieces, value_fen = value_fen + excluded.value_fen`,
    )
    .run({ year: Number(c.seizedOn.slice(0, 4)), type: c.infringementType, category: c.goodsCategory, sign, pieces: c.pieces, value: c.valueFen, officeId: c.officeId });
  sqlite.prepare("delete from case_rollup where cases = 0").run();
}

/** Cells where the rollup differs from the base table (empty when they agree). */
export function rollupMismatches(sqlite: Database.Database): { key: string; rollup: string; base: string }[] {
  const rows = sqlite
    .prepare(
      `with base as (${GROUPED}),
       cells as (select year, district_id, infringement_type, goods_category from base
                 union select year, district_id, infringement_type, goods_category from case_rollup)
       select k.year || '/' || k.district_id || '/' || k.infringement_type || '/' || k.goods_category as key,
              coalesce(r.cases, 0) || '/' || coalesce(r.pieces, 0) || '/' || coalesce(r.value_fen, 0) as rollup,
              coalesce(b.cases, 0) || '/' || coalesce(b.pieces, 0) || '/' || coalesce(b.value_fen, 0) as base
       from cells k
       left join case_rollup r using (year, district_id, infringement_type, goods_category)
       left join base b using (year, district_id, infringement_type, goods_category)
       where rollup <> base`,
    )
    .all() as { key: string; rollup: string; base: string }[];
  return rows;
}
