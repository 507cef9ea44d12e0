import "server-only";
import { casePartiesForDisplay, type ShownParty } from "../parties";
import type { Port } from "../../lib/enums";
import { and, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { EMPTY_FILTERS, type CaseQuery, type Filters, type SortKey } from "../../lib/filters";
import { casesWhere, type FilterOptions } from "../case-filters";
import { first, parseJson, type Engine, type Tables } from "../engine";
import { countCases } from "./totals";
export { caseTotals, countCases, type CaseTotals } from "./totals";
import { namesToRedact, redact, type HolderNames } from "../../lib/redact";
import type { cases } from "../sqlite/schema";
import { placesOf } from "./places";
import { indexedBy } from "../sqlite/engine";
export type Named = { code: string; nameEn: string; nameZh: string };
export type HolderRef = { id: number; name: string; nameZh: string | null };

export type CaseRow = {
  id: number;
  caseNo: string;
  seizedOn: string;
  office: Named;
  district: Named;
  infringementType: (typeof cases.$inferSelect)["infringementType"];
  goodsCategory: (typeof cases.$inferSelect)["goodsCategory"];
  goodsDescription: string;
  pieces: number;
  valueFen: number;
  direction: (typeof cases.$inferSelect)["direction"];
  channel: (typeof cases.$inferSelect)["channel"];
  transport: (typeof cases.$inferSelect)["transport"];
  protectionMode: (typeof cases.$inferSelect)["protectionMode"];
  status: (typeof cases.$inferSelect)["status"];
  disposal: (typeof cases.$inferSelect)["disposal"];
  campaign: Named | null;
  rightHolders: HolderRef[];
};

export type CasePage = { total: number; page: number; size: number; rows: CaseRow[] };

// Sorting by a whitelist: each key maps to an indexed column; ties break on id.
function sortColumn(t: Tables, key: SortKey) {
  const { cases } = t;
  return { seizedOn: cases.seizedOn, caseNo: cases.caseNo, pieces: cases.pieces, value: cases.valueFen }[key];
}

/** The case's right holders (in a member's scope, its own only) as a JSON array. */
function holdersJson(e: Engine, restrictToHolders?: number[]): SQL<unknown> {
  const { cases, caseRightHolders, rightHolders } = e.t;
  const only = restrictToHolders ? sql` and ${e.say.inList(sql`h.id`, restrictToHolders.length ? restrictToHolders : [-1])}` : sql``;
  return sql`(select ${e.say.jsonArrayOf({ id: sql`h.id`, name: sql`h.name`, nameZh: sql`h.name_zh` }, sql`h.name, h.id`)}
    from ${caseRightHolders} l join ${rightHolders} h on h.id = l.right_holder_id
    where l.case_id = ${cases.id}${only})`;
}

/** By name, then id, by code point: the same order whatever the engine aggregated. */
function byName(a: HolderRef, b: HolderRef): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id;
}

function rowSelection(e: Engine, options: FilterOptions) {
  const { cases, campaigns } = e.t;
  return {
    id: cases.id,
    caseNo: cases.caseNo,
    seizedOn: cases.seizedOn,
    ...placesOf(e).placeColumns,
    infringementType: cases.infringementType,
    goodsCategory: cases.goodsCategory,
    goodsDescription: cases.goodsDescription,
    pieces: cases.pieces,
    valueFen: cases.valueFen,
    direction: cases.direction,
    channel: cases.channel,
    transport: cases.transport,
    protectionMode: cases.protectionMode,
    status: cases.status,
    disposal: cases.disposal,
    campaignCode: campaigns.code,
    campaignNameEn: campaigns.nameEn,
    campaignNameZh: campaigns.nameZh,
    holders: holdersJson(e, options.restrictToHolders),
  };
}

type RawRow = { [K in keyof ReturnType<typeof rowSelection>]: unknown };

function toCaseRow(r: RawRow): CaseRow {
  return {
    id: r.id as number,
    caseNo: r.caseNo as string,
    seizedOn: r.seizedOn as string,
    office: { code: r.officeCode as string, nameEn: r.officeNameEn as string, nameZh: r.officeNameZh as string },
    district: { code: r.districtCode as string, nameEn: r.districtNameEn as string, nameZh: r.districtNameZh as string },
    infringementType: r.infringementType as CaseRow["infringementType"],
    goodsCategory: r.goodsCategory as CaseRow["goodsCategory"],
    goodsDescription: r.goodsDescription as string,
    pieces: r.pieces as number,
    valueFen: r.valueFen as number,
    direction: r.direction as CaseRow["direction"],
    channel: r.channel as CaseRow["channel"],
    transport: r.transport as CaseRow["transport"],
    protectionMode: r.protectionMode as CaseRow["protectionMode"],
    status: r.status as CaseRow["status"],
    disposal: r.disposal as CaseRow["disposal"],
    campaign: r.campaignCode
      ? { code: r.campaignCode as string, nameEn: r.campaignNameEn as string, nameZh: r.campaignNameZh as string }
      : null,
    rightHolders: parseJson<HolderRef[]>(r.holders).sort(byName),
  };
}

function selectCaseRows(e: Engine, options: FilterOptions) {
  const { cases, campaigns } = e.t;
  const { officeJoin, districtJoin } = placesOf(e);
  return e.db
    .select(rowSelection(e, options))
    .from(cases)
    .innerJoin(...officeJoin)
    .innerJoin(...districtJoin)
    .leftJoin(campaigns, eq(campaigns.id, cases.campaignId));
}

// The index that yields each sort order, used when walking it is cheaper than sorting (SQLite).
const SORT_INDEXES: Record<SortKey, string> = {
  seizedOn: "cases_seized_idx",
  caseNo: "cases_case_no_unique",
  pieces: "cases_pieces_idx",
  value: "cases_value_idx",
};
/** Walk the sort index when it should find the page within this many index entries… */
const MAX_EXPECTED_SCAN = 200_000;
/** …and never further than this many. */
const WALK_LIMIT = 30_000;

/**
 * One page of the filtered, sorted cases with the total of the filtered set.
 * The total comes first; it tells how dense the matches are. On SQLite a dense set (many
 * matches) is paged by walking the sort order's index, stopping after `offset + size` hits; a
 * sparse one lets SQLite find the matches through a filter index and sort them. PostgreSQL's
 * planner makes that choice itself: there the page is a plain `order by … limit … offset`.
 * Either way the ids come first and the joined rows are read for those ids only.
 */
export async function listCases(e: Engine, query: CaseQuery, options: FilterOptions = {}): Promise<CasePage> {
  const { cases } = e.t;
  const where = await casesWhere(e, query.filters, options);
  const total = await countCases(e, query.filters, options);
  if (total === 0) return { total, page: query.page, size: query.size, rows: [] };
  const column = sortColumn(e.t, query.sort.key);
  const dir = query.sort.dir === "asc" ? sql.raw("asc") : sql.raw("desc");
  const offset = (query.page - 1) * query.size;
  const pageIds = async (extra: SQL, forced: boolean) =>
    (
      await e.all<{ id: number }>(sql`select ${cases.id} as id from ${cases}${forced ? indexedBy(SORT_INDEXES[query.sort.key]) : sql``}
                 where ${where}${extra} order by ${column} ${dir}, ${cases.id} ${dir} limit ${query.size} offset ${offset}`)
    ).map((r) => r.id);
  let ids: number[] | null = null;
  if (e.dialect === "sqlite") {
    const everything = await countCases(e, EMPTY_FILTERS);
    const expectedScan = ((offset + query.size) * everything) / total;
    // Density says little where the filter clusters along the sort order: case numbers start with
    // the district code, and a campaign spans a few years of seizure dates.
    const f = query.filters;
    const clustered =
      (query.sort.key === "caseNo" && (f.district.length > 0 || f.office.length > 0)) ||
      (query.sort.key === "seizedOn" && f.campaign.length > 0);
    if (!clustered && expectedScan <= MAX_EXPECTED_SCAN) {
      // Walk the sort index, but no further than a fixed number of entries: the value there is
      // a bound. Filters that correlate with the sort (cheap goods and value) can make matches
      // rarer near the top than on average; then the bounded walk comes up short and SQLite
      // plans the query itself.
      // index-only: the partial indexes imply `deleted_at is null`; the case-number index is
      // not partial, and there a deleted row only moves the bound by one entry
      const live = query.sort.key === "caseNo" ? sql`` : sql`where ${cases.deletedAt} is null`;
      const bound = await e.get<{ v: string | number }>(sql`select ${column} as v from ${cases}${indexedBy(SORT_INDEXES[query.sort.key])}
        ${live} order by ${column} ${dir} limit 1 offset ${WALK_LIMIT}`);
      const within = bound ? sql` and ${column} ${sql.raw(query.sort.dir === "asc" ? "<=" : ">=")} ${bound.v}` : sql``;
      const walked = await pageIds(within, true);
      if (walked.length === query.size || !bound || offset + walked.length >= total) ids = walked;
    }
  }
  ids ??= await pageIds(sql``, false);
  if (!ids.length) return { total, page: query.page, size: query.size, rows: [] };
  return { total, page: query.page, size: query.size, rows: await caseRowsOf(e, ids, options) };
}

/**
 * The rows of these cases in this order, as the case table shows them to the reader: in a
 * member's scope its own right holders only, and the other holders' names blotted out of the
 * goods description (a digest's largest new cases use it too).
 */
export async function caseRowsOf(e: Engine, ids: number[], options: FilterOptions = {}): Promise<CaseRow[]> {
  if (!ids.length) return [];
  const { cases } = e.t;
  const others = await otherHolderNames(e, ids, options);
  const byId = new Map(
    (await selectCaseRows(e, options).where(inArray(cases.id, ids))).map((r) => {
      const row = toCaseRow(r);
      if (others) row.goodsDescription = redact(row.goodsDescription, others.get(row.id) ?? []) ?? "";
      return [row.id, row];
    }),
  );
  return ids.map((id) => byId.get(id)).filter((row): row is CaseRow => row !== undefined);
}

/**
 * For a restricted (member) reader: per case, the names of its OTHER right holders, which
 * its free text must not show. Null for readers who may see every name.
 */
export async function otherHolderNames(e: Engine, caseIds: number[], options: FilterOptions): Promise<Map<number, string[]> | null> {
  if (!options.restrictToHolders) return null;
  const { caseRightHolders, rightHolders } = e.t;
  const own = options.restrictToHolders.length ? options.restrictToHolders : [-1];
  const rows = await e.all<{ caseId: number } & HolderNames>(sql`select l.case_id as "caseId", h.name as name, h.name_zh as "nameZh" from ${caseRightHolders} l
      join ${rightHolders} h on h.id = l.right_holder_id
      where ${e.say.inList(sql`l.case_id`, caseIds.length ? caseIds : [-1])} and not ${e.say.inList(sql`l.right_holder_id`, own)}
      order by l.case_id, l.right_holder_id`);
  const byCase = new Map<number, HolderNames[]>();
  for (const r of rows) byCase.set(r.caseId, [...(byCase.get(r.caseId) ?? []), r]);
  return new Map([...byCase].map(([id, holders]) => [id, namesToRedact(holders)]));
}

export type CaseDetail = CaseRow & {
  office: Named & { province: string };
  protectionMode: CaseRow["protectionMode"];
  originCountry: string | null;
  destinationCountry: string | null;
  hearingHeld: boolean;
  referredToPolice: boolean;
  penaltyFen: number | null;
  notes: string | null;
  loadingPlace: string | null;
  port: Port | null;
  hsHeading: string | null;
  declaredDescription: string | null;
  parties: ShownParty[];
  createdAt: number;
  updatedAt: number;
  createdBy: string | null;
  updatedBy: string | null;
  version: number;
  history: HistoryEntry[];
};

/**
 * One change to the case. A member gets only when and what kind of change (`id`, `at`,
 * `action`): the values before and after can hold unredacted text, other companies' ids and
 * staff accounts, so `userId`, `before` and `after` are left out for a member.
 */
export type HistoryEntry = { id: number; at: number; action: string; userId?: string | null; before?: unknown; after?: unknown };

/** PostgreSQL's ids are `integer` (SQLite's any safe integer): a larger one names no row and must not reach the server (it refuses it). */
const MAX_POSTGRES_ID = 2_147_483_647;

/** Whether `id` can name a row of this engine's tables: a positive safe integer, within PostgreSQL's `integer` there. */
export function isRowId(e: Engine, id: number): boolean {
  return Number.isSafeInteger(id) && id >= 1 && (e.dialect !== "postgres" || id <= MAX_POSTGRES_ID);
}

/** One case with every field, or null when it does not exist, is deleted, or is out of reach. */
export async function getCase(e: Engine, id: number, options: FilterOptions = {}): Promise<CaseDetail | null> {
  if (!isRowId(e, id)) return null;
  const { cases, caseRightHolders, campaigns, auditLog } = e.t;
  const { office, officeJoin, districtJoin } = placesOf(e);
  const restriction = options.restrictToHolders
    ? sql`${cases.id} in (select case_id from ${caseRightHolders} where ${e.say.inList(sql`right_holder_id`, options.restrictToHolders.length ? options.restrictToHolders : [-1])})`
    : undefined;
  const raw = await first(
    e.db
      .select({
        ...rowSelection(e, options),
        province: office.province,
        originCountry: cases.originCountry,
        destinationCountry: cases.destinationCountry,
        hearingHeld: cases.hearingHeld,
        referredToPolice: cases.referredToPolice,
        penaltyFen: cases.penaltyFen,
        notes: cases.notes,
        loadingPlace: cases.loadingPlace,
        port: cases.port,
        hsHeading: cases.hsHeading,
        declaredDescription: cases.declaredDescription,
        createdAt: sql<number>`${cases.createdAt}`.mapWith(Number),
        updatedAt: sql<number>`${cases.updatedAt}`.mapWith(Number),
        createdBy: cases.createdBy,
        updatedBy: cases.updatedBy,
        version: cases.version,
      })
      .from(cases)
      .innerJoin(...officeJoin)
      .innerJoin(...districtJoin)
      .leftJoin(campaigns, eq(campaigns.id, cases.campaignId))
      .where(and(eq(cases.id, id), isNull(cases.deletedAt), restriction)),
  );
  if (!raw) return null;
  const row = toCaseRow(raw);
  const others = (await otherHolderNames(e, [id], options))?.get(id) ?? [];
  row.goodsDescription = redact(row.goodsDescription, others) ?? "";
  raw.notes = redact(raw.notes, others);
  const restricted = options.restrictToHolders !== undefined;
  const entries = await e.db
      .select({ id: auditLog.id, at: sql<number>`${auditLog.at}`.mapWith(Number), action: auditLog.action, userId: auditLog.userId, before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.entity, "case"), eq(auditLog.entityId, id)))
      .orderBy(desc(auditLog.at), desc(auditLog.id));
  const history: HistoryEntry[] = restricted ? entries.map(({ id, at, action }) => ({ id, at, action })) : entries;
  return {
    ...row,
    office: { ...row.office, province: raw.province },
    originCountry: raw.originCountry,
    destinationCountry: raw.destinationCountry,
    hearingHeld: raw.hearingHeld,
    referredToPolice: raw.referredToPolice,
    penaltyFen: raw.penaltyFen,
    notes: raw.notes,
    loadingPlace: raw.loadingPlace,
    port: raw.port as Port | null,
    hsHeading: raw.hsHeading,
    declaredDescription: redact(raw.declaredDescription, others),
    // the parties, a natural person's identity number masked (an admin's page asks for it in full: db/repo/cases.ts)
    parties: await casePartiesForDisplay(e, id, { full: false }),
    createdAt: raw.createdAt,
    updatedAt: raw.updatedAt,
    // staff accounts are not a member's to know
    createdBy: restricted ? null : raw.createdBy,
    updatedBy: restricted ? null : raw.updatedBy,
    version: raw.version,
    history,
  };
}

export async function getRightHolderNames(e: Engine, ids: number[]): Promise<HolderRef[]> {
  if (!ids.length) return [];
  const { rightHolders } = e.t;
  return e.db
    .select({ id: rightHolders.id, name: rightHolders.name, nameZh: rightHolders.nameZh })
    .from(rightHolders)
    .where(e.say.inList(sql`${rightHolders.id}`, ids))
    .orderBy(rightHolders.id);
}

/** The right holders by name; in a member's scope, its own company only. */
export async function listRightHolders(e: Engine, options: FilterOptions = {}): Promise<HolderRef[]> {
  const { rightHolders } = e.t;
  const only = options.restrictToHolders ? inArray(rightHolders.id, options.restrictToHolders.length ? options.restrictToHolders : [-1]) : undefined;
  return e.db.select({ id: rightHolders.id, name: rightHolders.name, nameZh: rightHolders.nameZh }).from(rightHolders).where(only).orderBy(rightHolders.name, rightHolders.id);
}

export async function listCampaigns(e: Engine): Promise<Named[]> {
  const { campaigns } = e.t;
  return e.db.select({ code: campaigns.code, nameEn: campaigns.nameEn, nameZh: campaigns.nameZh }).from(campaigns).orderBy(campaigns.startsOn, campaigns.code);
}

export async function listDistricts(e: Engine): Promise<Named[]> {
  const { customsOffices } = e.t;
  return e.db
    .select({ code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh })
    .from(customsOffices)
    .where(isNull(customsOffices.districtId))
    .orderBy(customsOffices.code);
}

/**
 * Names for the codes and ids a filter refers to, for chips and export sheets. In a member's
 * scope only its own company is named: another id in the URL stays a bare id.
 */
export async function filterNames(e: Engine, filters: Filters, options: FilterOptions = {}): Promise<import("../../lib/filter-labels").FilterNames> {
  const { customsOffices, campaigns } = e.t;
  const names: import("../../lib/filter-labels").FilterNames = { district: {}, office: {}, holder: {}, campaign: {}, recordation: {} };
  const codes = [...new Set([...filters.district, ...filters.office])];
  if (codes.length) {
    const offices = await e.db
      .select({ code: customsOffices.code, en: customsOffices.nameEn, zh: customsOffices.nameZh })
      .from(customsOffices)
      .where(e.say.inList(sql`${customsOffices.code}`, codes))
      .orderBy(customsOffices.code);
    for (const o of offices) {
      if (filters.district.includes(o.code)) names.district[o.code] = { en: o.en, zh: o.zh };
      if (filters.office.includes(o.code)) names.office[o.code] = { en: o.en, zh: o.zh };
    }
  }
  const holderIds = options.restrictToHolders ? filters.holder.filter((id) => options.restrictToHolders!.includes(id)) : filters.holder;
  for (const h of await getRightHolderNames(e, holderIds)) names.holder[String(h.id)] = { en: h.name, zh: h.nameZh ?? h.name };
  if (filters.campaign.length) {
    const found = await e.db
      .select({ code: campaigns.code, en: campaigns.nameEn, zh: campaigns.nameZh })
      .from(campaigns)
      .where(e.say.inList(sql`${campaigns.code}`, filters.campaign))
      .orderBy(campaigns.code);
    for (const c of found) names.campaign[c.code] = { en: c.en, zh: c.zh };
  }
  // recordations: number and mark; a member's scope names its own company's only
  const recordationIds = filters.recordation.filter((v): v is number => v !== "none" && v <= 2_147_483_647);
  if (recordationIds.length) {
    const own = options.restrictToHolders;
    const rows = await e.all<{ id: number; number: string; titleEn: string; titleZh: string | null }>(
      sql`select r.id as id, r.number as number, r.title_en as "titleEn", r.title_zh as "titleZh" from ${e.t.recordations} r
        where ${e.say.inList(sql`r.id`, recordationIds)}${own ? sql` and ${e.say.inList(sql`r.holder_id`, own.length ? own : [-1])}` : sql``}`,
    );
    for (const r of rows) names.recordation![String(r.id)] = { en: `${r.number} ${r.titleEn}`, zh: `${r.number} ${r.titleZh ?? r.titleEn}` };
  }
  return names;
}
