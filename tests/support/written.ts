import { createHash } from "node:crypto";
import { CASE_PARTY_INDEX_SQL, groupParties, type PartyIndexEntry } from "../../db/search-document";
import { sql, type SQL } from "drizzle-orm";
import type Database from "better-sqlite3";
import { sqliteConnectionOf, type Engine } from "../../db/engine";
import { searchVectors, toTsQuery } from "../../db/postgres/search-index";
import type { HolderNames } from "../../lib/redact";
import { indexTokens, searchWords, toMatchExpression } from "../../lib/search";
import { derivedDigest } from "./derived";

// What the writer wrote, read back with independent SQL on either engine (written out here,
// not through the app's query code): figures and case lists of a few filters, the search
// indexes' matches and their agreement with the live cases, and a digest of every trace a
// write leaves besides cases and links (change log, search documents).

export type Where = {
  district?: string;
  office?: string;
  from?: string;
  to?: string;
  type?: string;
  category?: string;
  campaign?: string;
  channel?: string;
  status?: string;
  disposal?: string;
  holder?: number;
  industry?: string;
};

function conditions(w: Where): SQL {
  const parts: SQL[] = [sql`c.deleted_at is null`];
  if (w.district) parts.push(sql`d.code = ${w.district}`);
  if (w.office) parts.push(sql`o.code = ${w.office}`);
  if (w.from) parts.push(sql`c.seized_on >= ${w.from}`);
  if (w.to) parts.push(sql`c.seized_on <= ${w.to}`);
  if (w.type) parts.push(sql`c.infringement_type = ${w.type}`);
  if (w.category) parts.push(sql`c.goods_category = ${w.category}`);
  if (w.campaign) parts.push(sql`c.campaign_id = (select id from campaigns where code = ${w.campaign})`);
  if (w.channel) parts.push(sql`c.channel = ${w.channel}`);
  if (w.status) parts.push(sql`c.status = ${w.status}`);
  if (w.disposal) parts.push(sql`c.disposal = ${w.disposal}`);
  if (w.holder !== undefined) parts.push(sql`exists (select 1 from case_right_holders l where l.case_id = c.id and l.right_holder_id = ${w.holder})`);
  if (w.industry) {
    parts.push(sql`exists (select 1 from case_right_holders l join right_holders h on h.id = l.right_holder_id where l.case_id = c.id and h.industry = ${w.industry})`);
  }
  return sql.join(parts, sql` and `);
}

const FROM = sql`cases c join customs_offices o on o.id = c.office_id join customs_offices d on d.id = coalesce(o.district_id, o.id)`;

export type Figures = { cases: number; pieces: number; valueFen: number };

/** Live cases, pieces and value of the cases `w` selects. */
export async function figures(e: Engine, w: Where = {}): Promise<Figures> {
  const row = await e.get<Figures>(
    sql`select count(*) as cases, cast(coalesce(sum(c.pieces), 0) as bigint) as pieces, cast(coalesce(sum(c.value_fen), 0) as bigint) as "valueFen" from ${FROM} where ${conditions(w)}`,
  );
  return { cases: Number(row!.cases), pieces: Number(row!.pieces), valueFen: Number(row!.valueFen) };
}

/** The ids of the live cases `w` selects, by case number. */
export async function caseIds(e: Engine, w: Where = {}): Promise<number[]> {
  return (await e.all<{ id: number }>(sql`select c.id from ${FROM} where ${conditions(w)} order by c.case_no`)).map((r) => r.id);
}

/** The live cases whose staff search document matches the words (only the right holders' names with `holders`), by id. */
export async function searchIds(e: Engine, words: string, column: "all" | "holders" = "all"): Promise<number[]> {
  let rows: { id: number }[];
  if (e.dialect === "sqlite") {
    const match = toMatchExpression(words);
    if (!match) return [];
    const expression = column === "holders" ? `holders : (${match.replace(/\*/g, "")})` : match;
    rows = await e.all(sql`select rowid as id from cases_fts where cases_fts match ${expression}`);
  } else {
    let query = toTsQuery(words, "doc");
    if (column === "holders") {
      // whole tokens in the right holders' names (weight C), as the SQLite side drops the prefix
      const phrases = searchWords(words).map((parts) => parts.flatMap((p) => indexTokens(p))).filter((t) => t.length);
      query = phrases.length ? phrases.map((t) => `(${t.map((x) => `'${x.replace(/'/g, "''")}':C`).join(" <-> ")})`).join(" & ") : null;
    }
    if (!query) return [];
    rows = await e.all(sql`select case_id as id from cases_search where doc @@ to_tsquery('simple', ${query})`);
  }
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/**
 * The search documents against the live cases: one per live case and none else, and (on
 * PostgreSQL) each equal to the documents written afresh from the case, its links, its
 * right holders' names and its parties. SQLite's term-by-term check is db/aggregate/check.ts's.
 */
export async function searchMismatches(e: Engine): Promise<string[]> {
  const out: string[] = [];
  if (e.dialect === "sqlite") {
    for (const index of ["cases_fts", "cases_redacted_fts"]) {
      const ids = await e.all<{ id: number }>(sql.raw(`select id from cases where deleted_at is null except select rowid from ${index}`));
      for (const r of ids) out.push(`${index}: no document for live case ${r.id}`);
      const extra = await e.all<{ id: number }>(sql.raw(`select rowid as id from ${index} except select id from cases where deleted_at is null`));
      for (const r of extra) out.push(`${index}: a document for case ${r.id}, not live`);
    }
    return out;
  }
  for (const r of await e.all<{ id: number }>(sql`select id from cases where deleted_at is null except select case_id from cases_search`)) out.push(`no document for live case ${r.id}`);
  for (const r of await e.all<{ id: number }>(sql`select case_id as id from cases_search except select id from cases where deleted_at is null`)) out.push(`a document for case ${r.id}, not live`);
  const holders = new Map((await e.all<{ id: number } & HolderNames>(sql`select id, name, name_zh as "nameZh" from right_holders`)).map((h) => [h.id, h]));
  const links = new Map<number, HolderNames[]>();
  for (const l of await e.all<{ c: number; h: number }>(sql`select case_id as c, right_holder_id as h from case_right_holders order by case_id, right_holder_id`)) {
    const list = links.get(l.c) ?? [];
    list.push(holders.get(l.h)!);
    links.set(l.c, list);
  }
  const live = await e.all<{ id: number; caseNo: string; goods: string }>(sql`select id, case_no as "caseNo", goods_description as goods from cases where deleted_at is null order by id`);
  const parties = groupParties(await e.all<PartyIndexEntry & { caseId: number }>(sql.raw(CASE_PARTY_INDEX_SQL)));
  for (let i = 0; i < live.length; i += 2_000) {
    const chunk = live.slice(i, i + 2_000).map((c) => ({ id: c.id, ...searchVectors({ caseId: c.id, caseNo: c.caseNo, goods: c.goods, holders: links.get(c.id) ?? [], parties: parties.get(c.id) ?? [] }) }));
    const differ = await e.all<{ id: number }>(sql`select x.id from json_to_recordset(${JSON.stringify(chunk)}::json) as x(id int, doc tsvector, "redactedDoc" tsvector)
      join cases_search s on s.case_id = x.id where s.doc <> x.doc or s.redacted_doc <> x."redactedDoc"`);
    for (const r of differ) out.push(`the documents of case ${r.id} differ from the case`);
  }
  return out;
}

/**
 * A digest of everything a write to cases leaves besides the cases and links themselves: the
 * change log and the search documents. Equal before and after a refused write.
 */
export async function traceDigest(e: Engine): Promise<string> {
  const sqlite = sqliteConnectionOf(e);
  if (sqlite) return derivedDigest(sqlite as Database.Database);
  const hash = createHash("sha256");
  for (const r of await e.all(sql`select seq, case_id from case_changes order by seq`)) hash.update(JSON.stringify(r));
  for (const r of await e.all(sql`select case_id, doc::text, redacted_doc::text from cases_search order by case_id`)) hash.update(JSON.stringify(r));
  return hash.digest("hex");
}

/** Rows of the tables a case write touches. */
export async function rowCounts(e: Engine): Promise<{ cases: number; links: number; audit: number; changes: number }> {
  const n = async (table: string) => Number((await e.get<{ n: number }>(sql.raw(`select count(*) as n from ${table}`)))!.n);
  return { cases: await n("cases"), links: await n("case_right_holders"), audit: await n("audit_log"), changes: await n("case_changes") };
}
