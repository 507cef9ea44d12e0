import { and, between, gte, inArray, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import type { Filters, RecordationFilter } from "../lib/filters";
import { codeOf, phraseMatches, phraseOf, searchWords, toMatchExpression, withCode } from "../lib/search";
import type { Engine } from "./engine";
import { searchIndexMatch } from "./sqlite/search-index";
import { searchTableMatch } from "./postgres/search-match";

// The one function from Filters to a where-clause over `cases`. Every query that filters
// cases — table, totals, facets, exports, API, dashboard — goes through it.

export type FilterOptions = {
  /** Leave one filter out: facet counts show what choosing another value would give. */
  except?: keyof Filters;
  /**
   * A member's scope (lib/roles.ts caseScope): only cases that name one of these right
   * holders, and only these holders' links count — `holder`, `industry` and `q` act on them.
   */
  restrictToHolders?: number[];
};

/**
 * Codes and industries become literal id lists first (the reference tables are small), so
 * that SQLite's planner sees real values and can weigh an index against the sort order.
 */
async function ids(e: Engine, query: SQL): Promise<number[]> {
  return (await e.all<{ id: number }>(query)).map((r) => r.id);
}

export async function casesWhere(e: Engine, filters: Filters, options: FilterOptions = {}): Promise<SQL> {
  const { cases, caseRightHolders, rightHolders } = e.t;
  const f = { ...filters };
  if (options.except) (f as Record<string, unknown>)[options.except] = Array.isArray(f[options.except]) ? [] : null;
  const parts: (SQL | undefined)[] = [isNull(cases.deletedAt)];

  if (f.from && f.to) parts.push(between(cases.seizedOn, f.from, f.to));
  else if (f.from) parts.push(gte(cases.seizedOn, f.from));
  else if (f.to) parts.push(lte(cases.seizedOn, f.to));

  if (f.district.length) {
    const offices = await officeIdsOfDistricts(e, f.district);
    parts.push(inArray(cases.officeId, offices.length ? offices : [-1]));
  }
  if (f.office.length) {
    const offices = await officeIdsOfCodes(e, f.office);
    parts.push(inArray(cases.officeId, offices.length ? offices : [-1]));
  }
  if (f.type.length) parts.push(inArray(cases.infringementType, f.type));
  if (f.category.length) parts.push(inArray(cases.goodsCategory, f.category));
  if (f.direction.length) parts.push(inArray(cases.direction, f.direction));
  if (f.channel.length) parts.push(inArray(cases.channel, f.channel));
  if (f.transport.length) parts.push(inArray(cases.transport, f.transport));
  if (f.mode.length) parts.push(inArray(cases.protectionMode, f.mode));
  if (f.status.length) parts.push(inArray(cases.status, f.status));
  if (f.disposal.length) {
    const chosen = f.disposal.filter((d) => d !== "none");
    const none = f.disposal.includes("none");
    parts.push(
      chosen.length && none
        ? or(inArray(cases.disposal, chosen), isNull(cases.disposal))
        : none
          ? isNull(cases.disposal)
          : inArray(cases.disposal, chosen),
    );
  }
  if (f.campaign.length) {
    const found = await campaignIdsOfCodes(e, f.campaign);
    parts.push(inArray(cases.campaignId, found.length ? found : [-1]));
  }
  // Right-holder conditions: where a place or campaign already narrows cases through an index,
  // probe each case's links (EXISTS); otherwise start from the links (IN). Dates do not count as
  // narrowing: a range of years holds most cases, and probing each costs far more than reading
  // the holders' links once. The `+` keeps the probe to one seek on case_id per case: with the
  // holder list on the index's second column SQLite seeks once per listed holder, and beside
  // a text search it ran for minutes (issue 13).
  const narrowed = f.district.length > 0 || f.office.length > 0 || f.campaign.length > 0;
  // (SQLite only: PostgreSQL's planner needs no such hint, and `+` is no operator on a column there)
  const probe = e.dialect === "sqlite" ? sql`+l.right_holder_id` : sql`l.right_holder_id`;
  // a URL's holder ids may lie beyond PostgreSQL's integer: there they are bound as one bigint[]
  const anyOf = (column: SQL, list: number[]) => (e.dialect === "sqlite" ? sql`${column} in ${list}` : e.say.inList(column, list));
  const byHolders = (holderIds: number[]) => {
    const list = holderIds.length ? holderIds : [-1];
    return narrowed
      ? sql`exists (select 1 from ${caseRightHolders} l where l.case_id = ${cases.id} and ${anyOf(probe, list)})`
      : inArray(cases.id, sql`(select l.case_id from ${caseRightHolders} l where ${anyOf(sql`l.right_holder_id`, list)})`);
  };
  const own = options.restrictToHolders ? (options.restrictToHolders.length ? options.restrictToHolders : [-1]) : null;
  // a member's holder and industry filters act on its own links only: another company's id
  // or industry can never select (and so count) the member's cases it shares
  const allowed = (holderIds: number[]) => (own ? holderIds.filter((id) => own.includes(id)) : holderIds);
  if (f.holder.length) parts.push(byHolders(allowed(f.holder)));
  if (f.industry.length) {
    parts.push(byHolders(allowed(await ids(e, sql`select h.id as id from ${rightHolders} h where h.industry in ${f.industry}`))));
  }
  if (own) parts.push(inArray(cases.id, sql`(select l.case_id from ${caseRightHolders} l where ${anyOf(sql`l.right_holder_id`, own)})`));
  if (f.recordation.length) {
    // chosen recordations' cases, or (with "none") the cases resting on none, or either
    const linked = recordationLinks(e, f.recordation, own);
    const some = linked.ids ? inArray(cases.id, sql`(${linked.ids})`) : undefined;
    const none = linked.none ? sql`${cases.id} not in (${linked.linked})` : undefined;
    parts.push(some && none ? or(some, none) : (some ?? none));
  }
  if (f.q) {
    const text = await textMatch(e, f.q, own);
    if (text === "nothing") parts.push(e.say.never);
    else if (text) parts.push(inArray(cases.id, sql`(${text})`));
  }
  const route = routeMatch(e, f);
  if (route) parts.push(route);
  return and(...parts)!;
}

/**
 * The route and party filters (issue 18) as a condition on `cases`: the port, the origin country
 * (ISO alpha-2 codes, as cases.origin_country holds them), the HS heading, and a party whose name holds the words or whose code is the text (an enterprise's credit code
 * or a foreign registration; a person's identity number is never matched). The aggregate
 * planner (db/aggregate/plan.ts) applies port and origin as masks over its store's codes and
 * reads the cases the rest (HS, party) selects, as it does the text search's.
 */
export function routeMatch(e: Engine, f: Pick<Filters, "port" | "hs" | "party" | "origin">): SQL | null {
  const { cases } = e.t;
  const parts: SQL[] = [];
  if (f.port.length) parts.push(inArray(cases.port, f.port));
  if (f.origin.length) parts.push(inArray(cases.originCountry, f.origin));
  if (f.hs.length) parts.push(inArray(cases.hsHeading, f.hs));
  if (f.party) {
    const code = f.party.replace(/[\s-]/g, "").toUpperCase();
    const like = `%${f.party.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(sql`${cases.id} in (select cp.case_id from case_parties cp join parties p on p.id = cp.party_id
      where lower(p.name) like ${like} escape '\\' or p.code = ${code})`);
  }
  return parts.length ? and(...parts)! : null;
}

// ---- the pieces of a filter that the aggregate planner (db/aggregate) shares with casesWhere ----

/**
 * The `recordation` filter: `ids`, a select of the ids of the cases linked to one of the chosen
 * recordations (for a member's scope `own`, only recordations of its own company count: another
 * company's id selects nothing), or null; `none`, whether only cases resting on no recordation
 * are wanted too (beside ids: either) — for a member, cases resting on none of its own
 * company's recordations; `linked`, a select of the ids of the cases linked to any (the member's: its own).
 */
export function recordationLinks(e: Engine, chosen: RecordationFilter[], own: number[] | null): { ids: SQL | null; none: boolean; linked: SQL } {
  const list = chosen.filter((v): v is number => v !== "none");
  const none = chosen.includes("none");
  const anyOf = (column: SQL, values: number[]) => (e.dialect === "sqlite" ? sql`${column} in ${values}` : e.say.inList(column, values));
  const mine = own ? sql` and ${anyOf(sql`r.holder_id`, own.length ? own : [-1])}` : sql``;
  const from = own ? sql`case_recordations lr join recordations r on r.id = lr.recordation_id` : sql`case_recordations lr`;
  const ids = list.length ? sql`select lr.case_id from ${from} where ${anyOf(sql`lr.recordation_id`, list)}${mine}` : null;
  // the cases linked to any recordation (the member's: its own company's)
  const linked = sql`select lr.case_id from ${from} where 1 = 1${mine}`;
  return { ids, none, linked };
}

/** The offices of these districts: a district includes its subordinate customs. */
export async function officeIdsOfDistricts(e: Engine, codes: string[]): Promise<number[]> {
  if (!codes.length) return [];
  const { customsOffices } = e.t;
  return ids(e, sql`select o.id as id from ${customsOffices} o where o.code in ${codes}
    or o.district_id in (select d.id from ${customsOffices} d where d.code in ${codes})`);
}

/** The offices with these codes (a district's code names the district's own office only). */
export async function officeIdsOfCodes(e: Engine, codes: string[]): Promise<number[]> {
  if (!codes.length) return [];
  return ids(e, sql`select o.id as id from ${e.t.customsOffices} o where o.code in ${codes}`);
}

export async function campaignIdsOfCodes(e: Engine, codes: string[]): Promise<number[]> {
  if (!codes.length) return [];
  return ids(e, sql`select c.id as id from ${e.t.campaigns} c where c.code in ${codes}`);
}

/**
 * What `q` matches: a select of case ids from the search index (the member-redacted one for a
 * member's scope `own`), "nothing" when the text has no searchable token, or null when it
 * restricts nothing (a member's words that all match its own company's names). The select
 * yields one column of case ids (SQLite: the FTS5 tables; PostgreSQL: cases_search's tsvectors,
 * which find the same cases for the same words, db/postgres/search-match.ts).
 */
export async function textMatch(e: Engine, q: string, own: number[] | null): Promise<SQL | "nothing" | null> {
  if (own) return memberSearch(e, q, own);
  return textSearch(e, q);
}

/**
 * Text over case numbers, goods, right-holder names and parties (names, enterprise codes: a
 * code typed with spaces or hyphens matches whole, lib/search.ts codeOf); a query with no
 * searchable token matches nothing.
 */
function textSearch(e: Engine, q: string): SQL | "nothing" {
  if (e.dialect === "postgres") return searchTableMatch("doc", searchWords(q), codeOf(q)) ?? "nothing";
  const match = toMatchExpression(q);
  return match ? searchIndexMatch("cases_fts", match) : "nothing";
}

/**
 * A member's text search, over what the member may see of its own cases: the case number,
 * its own company's names, and the goods text and parties with every right holder's name
 * blotted out (cases_redacted_fts). Every case in the member's scope names its company, so a
 * word that matches the company's own names holds for all of them; the other words must match
 * the case number, the redacted goods or the redacted parties (or the whole text a party's
 * code). Never the names of the other companies on a case; the caller keeps the search to the
 * member's own cases, so a party met only on other companies' cases finds nothing.
 */
async function memberSearch(e: Engine, q: string, own: number[]): Promise<SQL | "nothing" | null> {
  const words = searchWords(q);
  if (!words.length) return "nothing";
  const ownNames = (
    await e.all<{ name: string; nameZh: string | null }>(
      sql`select h.name as name, h.name_zh as "nameZh" from ${e.t.rightHolders} h where h.id in ${own}`,
    )
  ).flatMap((h) => [h.name, h.nameZh ?? ""]);
  const rest = words.filter((parts) => !ownNames.some((name) => phraseMatches(parts, name)));
  if (!rest.length) return null;
  const code = codeOf(q);
  if (e.dialect === "postgres") return searchTableMatch("redacted_doc", rest, code) ?? "nothing";
  const match = withCode(rest.map(phraseOf).join(" AND "), code, "parties")!;
  return searchIndexMatch("cases_redacted_fts", match);
}
