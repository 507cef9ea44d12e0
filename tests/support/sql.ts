import type Database from "better-sqlite3";

// Independent SQL for the tests: written out by hand, not through the app's query code.

export const KUNMING_CASES = `
  select c.* from cases c
  join customs_offices o on o.id = c.office_id
  join customs_offices d on d.id = coalesce(o.district_id, o.id)
  where d.code = '8600' and c.deleted_at is null`;

export type Figure = { cases: number; value: number; pieces: number; holders: number; foreignHolders: number; trademark: number };

export function kunmingFigure(sqlite: Database.Database, from: string, to: string, campaign: string | null): Figure {
  const where = `k.seized_on between @from and @to ${campaign ? "and k.campaign_id = (select id from campaigns where code = @campaign)" : ""}`;
  const totals = sqlite
    .prepare(`select count(*) as cases, coalesce(sum(value_fen), 0) as value, coalesce(sum(pieces), 0) as pieces,
                     sum(infringement_type = 'trademark') as trademark
              from (${KUNMING_CASES}) k where ${where}`)
    .get({ from, to, campaign }) as Figure;
  const holders = sqlite
    .prepare(`select count(distinct h.id) as holders, count(distinct case when h.foreign_invested = 1 then h.id end) as foreignHolders
              from (${KUNMING_CASES}) k
              join case_right_holders l on l.case_id = k.id
              join right_holders h on h.id = l.right_holder_id
              where ${where}`)
    .get({ from, to, campaign }) as { holders: number; foreignHolders: number };
  return { ...totals, ...holders };
}
