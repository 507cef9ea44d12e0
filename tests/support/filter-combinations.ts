import type Database from "better-sqlite3";
import { EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { toMatchExpression } from "../../lib/search";

// The space of filter combinations, shared by the bench (every pair and triple, timed at a
// million cases) and the integration test (a seeded sample, checked against plain SQL and for
// bad query-plan shapes). Each kind of filter has a real value taken from the data, and a
// condition in hand-written SQL over `c` (cases), `o` (its office) and `d` (the office's district).

export type FilterKind = { name: string; filters: Partial<Filters>; sql: string };

export function filterKinds(sqlite: Database.Database): FilterKind[] {
  const one = <T>(query: string) => sqlite.prepare(query).pluck().get() as T;
  // a right holder with a median number of cases, the largest district, one of its subordinate customs
  const holder = one<number>(`select right_holder_id from (select right_holder_id, count(*) n from case_right_holders group by 1 order by n, 1)
    limit 1 offset (select count(distinct right_holder_id) / 2 from case_right_holders)`);
  const district = one<string>(`select d.code from cases c join customs_offices o on o.id = c.office_id
    join customs_offices d on d.id = coalesce(o.district_id, o.id) group by d.code order by count(*) desc, d.code limit 1`);
  const office = one<string>(`select o.code from cases c join customs_offices o on o.id = c.office_id
    where o.district_id is not null group by o.code order by count(*) desc, o.code limit 1`);
  const word = "counterfeit";
  const match = toMatchExpression(word)!.replace(/'/g, "''");
  return [
    { name: "dates", filters: { from: "2019-03-01", to: "2021-06-30" }, sql: "c.seized_on between '2019-03-01' and '2021-06-30'" },
    { name: "district", filters: { district: [district] }, sql: `(o.code = '${district}' or d.code = '${district}')` },
    { name: "office", filters: { office: [office] }, sql: `o.code = '${office}'` },
    { name: "type", filters: { type: ["copyright"] }, sql: "c.infringement_type = 'copyright'" },
    { name: "category", filters: { category: ["cosmetics"] }, sql: "c.goods_category = 'cosmetics'" },
    {
      name: "industry",
      filters: { industry: ["personal_care"] },
      sql: "c.id in (select l.case_id from case_right_holders l join right_holders h on h.id = l.right_holder_id where h.industry = 'personal_care')",
    },
    { name: "holder", filters: { holder: [holder] }, sql: `c.id in (select case_id from case_right_holders where right_holder_id = ${holder})` },
    { name: "direction", filters: { direction: ["import"] }, sql: "c.direction = 'import'" },
    { name: "channel", filters: { channel: ["express"] }, sql: "c.channel = 'express'" },
    { name: "transport", filters: { transport: ["air"] }, sql: "c.transport = 'air'" },
    { name: "mode", filters: { mode: ["on_application"] }, sql: "c.protection_mode = 'on_application'" },
    { name: "status", filters: { status: ["detained"] }, sql: "c.status = 'detained'" },
    { name: "disposal", filters: { disposal: ["none"] }, sql: "c.disposal is null" },
    { name: "campaign", filters: { campaign: ["qingfeng"] }, sql: "c.campaign_id = (select id from campaigns where code = 'qingfeng')" },
    // the route's origin country (issue 18): the seed's commonest origin of imports
    { name: "origin", filters: { origin: ["US"] }, sql: "c.origin_country = 'US'" },
    { name: "q", filters: { q: word }, sql: `c.id in (select rowid from cases_fts where cases_fts match '${match}')` },
  ];
}

/** Every combination of `size` kinds, in a fixed order. */
export function combinations<T>(items: T[], size: number): T[][] {
  if (size === 0) return [[]];
  const out: T[][] = [];
  items.forEach((item, i) => {
    for (const rest of combinations(items.slice(i + 1), size - 1)) out.push([item, ...rest]);
  });
  return out;
}

export function combinedFilters(kinds: FilterKind[]): Filters {
  return Object.assign({ ...EMPTY_FILTERS }, ...kinds.map((k) => k.filters)) as Filters;
}

export const label = (kinds: FilterKind[]) => kinds.map((k) => k.name).join(" + ");

/** The hand-written SQL for the cases of a combination: cases, pieces, value. */
export function plainTotals(sqlite: Database.Database, kinds: FilterKind[]): { cases: number; pieces: number; valueFen: number } {
  return sqlite
    .prepare(`select count(*) as cases, coalesce(sum(c.pieces), 0) as pieces, coalesce(sum(c.value_fen), 0) as valueFen
              from cases c join customs_offices o on o.id = c.office_id left join customs_offices d on d.id = o.district_id
              where c.deleted_at is null ${kinds.map((k) => `and ${k.sql}`).join(" ")}`)
    .get() as { cases: number; pieces: number; valueFen: number };
}

export type RecordedPlan = { sql: string; plan: { id: number; parent: number; detail: string }[] };

/**
 * Runs `work` (and waits for it) and returns the query plan (EXPLAIN QUERY PLAN, with the same
 * bound values) of every statement it ran that reads the cases. Nothing else may use the
 * connection meanwhile: its statements would be recorded too.
 */
export async function recordPlans(sqlite: Database.Database, work: () => unknown): Promise<RecordedPlan[]> {
  const recorded: RecordedPlan[] = [];
  const original = sqlite.prepare;
  const explain = (source: string, args: unknown[]) =>
    recorded.push({ sql: source, plan: (original.call(sqlite, `explain query plan ${source}`) as Database.Statement<unknown[]>).all(...args) as RecordedPlan["plan"] });
  sqlite.prepare = function (this: Database.Database, source: string) {
    const statement = original.call(sqlite, source);
    if (!/^\s*select/i.test(source) || !/\bcases(_fts)?\b/.test(source)) return statement;
    const proxy: Database.Statement = new Proxy(statement, {
      get(target, property) {
        const value = Reflect.get(target, property, target);
        if (typeof value !== "function") return value;
        if (property === "all" || property === "get" || property === "iterate") {
          return (...args: unknown[]) => {
            explain(source, args);
            return value.apply(target, args);
          };
        }
        // the chaining setters (raw, pluck, expand, safeIntegers) return the statement itself
        return (...args: unknown[]) => {
          const result = value.apply(target, args);
          return result === target ? proxy : result;
        };
      },
    });
    return proxy;
  } as typeof sqlite.prepare;
  try {
    await work();
  } finally {
    sqlite.prepare = original;
  }
  return recorded;
}

/**
 * The shapes of plan that made a request run for minutes, by their EXPLAIN QUERY PLAN lines
 * (deterministic: the plan, not the time):
 * - a per-case probe of the right-holder links that seeks once per listed holder
 *   (`… EXISTS … (right_holder_id=? AND case_id=?)`), instead of one seek on the case;
 * - the text-search list used a second time (`REUSE LIST SUBQUERY` of a cases_fts scan);
 * - a correlated subquery that searches the text index for each row.
 */
export function badShapes(recorded: RecordedPlan): string[] {
  const bad: string[] = [];
  const rows = recorded.plan;
  const childrenOf = (id: number) => rows.filter((r) => r.parent === id);
  const subtree = (id: number): typeof rows => childrenOf(id).flatMap((r) => [r, ...subtree(r.id)]);
  const ftsLists = new Set<string>();
  for (const r of rows) {
    const list = /^(?:CORRELATED )?LIST SUBQUERY (\d+)/.exec(r.detail);
    if (list && subtree(r.id).some((s) => /cases_fts/.test(s.detail))) ftsLists.add(list[1]!);
  }
  for (const r of rows) {
    if (/\b(EXISTS|CORRELATED)\b/.test(r.detail) && /case_right_holders|SEARCH l\b/.test(r.detail) && /right_holder_id=\?/.test(r.detail)) {
      bad.push(`per-case probe seeks each listed holder: ${r.detail}`);
    }
    const reuse = /REUSE LIST SUBQUERY (\d+)/.exec(r.detail);
    if (reuse && ftsLists.has(reuse[1]!)) bad.push(`text-search list used again per row: ${r.detail}`);
    if (/^CORRELATED/.test(r.detail) && subtree(r.id).some((s) => /cases_fts/.test(s.detail))) {
      bad.push(`correlated subquery over the text index: ${r.detail}`);
    }
  }
  return bad;
}
