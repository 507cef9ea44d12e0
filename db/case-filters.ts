import { and, between, gte, inArray, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import type { Filters } from "../lib/filters";
import { toMatchExpression } from "../lib/search";
import type { Db } from "./open";
import { caseRightHolders, cases, campaigns, customsOffices, rightHolders } from "./schema";

// The one function from Filters to a where-clause over `cases`. Every query that filters
// cases — table, totals, facets, exports, API, dashboard — goes through it.

export type FilterOptions = {
  /** Leave one filter out: facet counts show what choosing another value would give. */
  except?: keyof Filters;
  /** Members see only cases that name one of these right holders. */
  restrictToHolders?: number[];
};

/**
 * Codes and industries become literal id lists first (the reference tables are small), so
 * that SQLite's planner sees real values and can weigh an index against the sort order.
 */
function ids(db: Db, query: SQL): number[] {
  return (db.all(query) as { id: number }[]).map((r) => r.id);
}

export function casesWhere(db: Db, filters: Filters, options: FilterOptions = {}): SQL {
  const f = { ...filters };
  if (options.except) (f as Record<string, unknown>)[options.except] = Array.isArray(f[options.except]) ? [] : null;
  const parts: (SQL | undefined)[] = [isNull(cases.deletedAt)];

  if (f.from && f.to) parts.push(between(cases.seizedOn, f.from, f.to));
  else if (f.from) parts.push(gte(cases.seizedOn, f.from));
  else if (f.to) parts.push(lte(cases.seizedOn, f.to));

  if (f.district.length) {
    // a district includes its subordinate customs
    const offices = ids(db, sql`select o.id from ${customsOffices} o where o.code in ${f.district}
      or o.district_id in (select d.id from ${customsOffices} d where d.code in ${f.district})`);
    parts.push(inArray(cases.officeId, offices.length ? offices : [-1]));
  }
  if (f.office.length) {
    const offices = ids(db, sql`select o.id from ${customsOffices} o where o.code in ${f.office}`);
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
    const found = ids(db, sql`select c.id from ${campaigns} c where c.code in ${f.campaign}`);
    parts.push(inArray(cases.campaignId, found.length ? found : [-1]));
  }
  // Right-holder conditions: where a place or campaign already narrows cases through an index,
  // probe each case's links (EXISTS); otherwise start from the links (IN). Dates do not count as
  // narrowing: a range of years holds most cases, and probing each costs far more than reading
  // the holders' links once. The `+` keeps the probe to one seek on case_id per case: with the
  // holder list on the index's second column SQLite seeks once per listed holder, and beside
  // a text search it ran for minutes (issue 13).
  const narrowed = f.district.length > 0 || f.office.length > 0 || f.campaign.length > 0;
  const byHolders = (holderIds: number[]) => {
    const list = holderIds.length ? holderIds : [-1];
    return narrowed
      ? sql`exists (select 1 from ${caseRightHolders} l where l.case_id = ${cases.id} and +l.right_holder_id in ${list})`
      : inArray(cases.id, sql`(select l.case_id from ${caseRightHolders} l where l.right_holder_id in ${list})`);
  };
  if (f.holder.length) parts.push(byHolders(f.holder));
  if (f.industry.length) {
    parts.push(byHolders(ids(db, sql`select h.id from ${rightHolders} h where h.industry in ${f.industry}`)));
  }
  if (options.restrictToHolders) {
    const ids = options.restrictToHolders.length ? options.restrictToHolders : [-1];
    parts.push(inArray(cases.id, sql`(select l.case_id from ${caseRightHolders} l where l.right_holder_id in ${ids})`));
  }
  if (f.q) {
    let match = toMatchExpression(f.q);
    // a member's search looks at case numbers and goods only: matching on the names of the
    // right holders would tell which other companies are named in their cases
    if (match && options.restrictToHolders) match = `{case_no goods} : (${match})`;
    // a query with no searchable token (only punctuation) matches nothing
    parts.push(match ? inArray(cases.id, sql`(select rowid from cases_fts where cases_fts match ${match})`) : sql`0`);
  }
  return and(...parts)!;
}
