import type Database from "better-sqlite3";
import type { HolderNames } from "../../lib/redact";
import { CASE_PARTY_INDEX_SQL, groupParties, holderIndexName, partiesIndexText, redactedGoods, type PartyIndexEntry } from "../search-document";
import { toIndexText } from "../../lib/search";
import { sql, type SQL } from "drizzle-orm";
import { writeTransaction } from "./engine";
import type { CheckOptions, DerivedMismatch } from "../aggregate/check";

export { holderIndexName, redactedGoods };

// Keeps the search indexes in step with cases: every write path that changes a case number,
// its goods, its right holders or its parties calls these inside its own transaction.
// - cases_fts: case number, goods, right-holder names and the parties (names, enterprises'
//   codes; never a person's identity number), for analysts and admins;
// - cases_redacted_fts: case number, goods and parties with the names of every right holder
//   the case names blotted out, for members (db/case-filters.ts): a member's search then never
//   finds a case by the name of another company on it.

export type SearchDocument = {
  caseId: number;
  caseNo: string;
  goods: string;
  holderNames: string[];
  /** the case's right holders' names, for the redacted goods; read from the links when absent */
  holders?: HolderNames[];
  /** the case's parties (db/search-document.ts partiesIndexText) */
  parties: PartyIndexEntry[];
};

/** The parties' text of a case's two documents: in full, and with the case's right holders' names blotted out. */
function partyTexts(parties: PartyIndexEntry[], holders: HolderNames[]): [full: string, redacted: string] {
  const text = partiesIndexText(parties);
  return [toIndexText(text), toIndexText(redactedGoods(text, holders))];
}

/** Every case's right holders (in id order) and parties, for writing documents afresh. */
export function documentParts(sqlite: Database.Database): { links: Map<number, HolderNames[]>; parties: Map<number, PartyIndexEntry[]> } {
  const holders = new Map(
    (sqlite.prepare("select id, name, name_zh as nameZh from right_holders").all() as ({ id: number } & HolderNames)[]).map((h) => [h.id, h]),
  );
  const links = new Map<number, HolderNames[]>();
  for (const l of sqlite.prepare("select case_id as c, right_holder_id as h from case_right_holders order by case_id, right_holder_id").iterate() as Iterable<{ c: number; h: number }>) {
    const h = holders.get(l.h);
    if (!h) continue;
    const list = links.get(l.c);
    if (list) list.push(h);
    else links.set(l.c, [h]);
  }
  const parties = groupParties(sqlite.prepare(CASE_PARTY_INDEX_SQL).iterate() as Iterable<PartyIndexEntry & { caseId: number }>);
  return { links, parties };
}

export function searchIndexWriter(sqlite: Database.Database) {
  const insert = sqlite.prepare("insert into cases_fts (rowid, case_no, goods, holders, parties) values (?, ?, ?, ?, ?)");
  const remove = sqlite.prepare("delete from cases_fts where rowid = ?");
  const insertRedacted = sqlite.prepare("insert into cases_redacted_fts (rowid, case_no, goods, parties) values (?, ?, ?, ?)");
  const removeRedacted = sqlite.prepare("delete from cases_redacted_fts where rowid = ?");
  const linked = sqlite.prepare(`select h.name, h.name_zh as nameZh from case_right_holders l
    join right_holders h on h.id = l.right_holder_id where l.case_id = ?`);
  const write = (doc: SearchDocument) => {
    const caseNo = toIndexText(doc.caseNo);
    const holders = doc.holders ?? (linked.all(doc.caseId) as HolderNames[]);
    const [parties, redactedParties] = partyTexts(doc.parties, holders);
    insert.run(doc.caseId, caseNo, toIndexText(doc.goods), toIndexText(doc.holderNames.join(" ; ")), parties);
    insertRedacted.run(doc.caseId, caseNo, toIndexText(redactedGoods(doc.goods, holders)), redactedParties);
  };
  return {
    put(doc: SearchDocument): void {
      remove.run(doc.caseId);
      removeRedacted.run(doc.caseId);
      write(doc);
    },
    /** For bulk loads into an empty index: no delete first. */
    add(doc: SearchDocument): void {
      write(doc);
    },
    remove(caseId: number): void {
      remove.run(caseId);
      removeRedacted.run(caseId);
    },
  };
}

/**
 * Which definition of the search indexes the database holds (see ensureSearchIndexes): 2 adds
 * the parties' column (migration 0026 made both tables again, empty).
 */
const SEARCH_INDEX_VERSION = "2";
const SEARCH_INDEX_KEY = "redacted_search_version";

/**
 * Adds every live case's documents to both (empty) search indexes, in chunks by id: a connection
 * cannot write while a statement of it is still reading. The rebuild below and the copy into
 * SQLite (db/sqlite/copy.ts) both fill the indexes through it.
 */
export function fillSearchIndexes(sqlite: Database.Database): void {
  const { links, parties } = documentParts(sqlite);
  const search = searchIndexWriter(sqlite);
  const chunk = sqlite.prepare("select id, case_no as caseNo, goods_description as goods from cases where deleted_at is null and id > ? order by id limit 10000");
  for (let after = 0; ; ) {
    const rows = chunk.all(after) as { id: number; caseNo: string; goods: string }[];
    if (!rows.length) break;
    for (const c of rows) {
      const hs = links.get(c.id) ?? [];
      search.add({ caseId: c.id, caseNo: c.caseNo, goods: c.goods, holderNames: hs.map(holderIndexName), holders: hs, parties: parties.get(c.id) ?? [] });
    }
    after = rows[rows.length - 1]!.id;
  }
}

/** Writes both search indexes afresh from the live cases, their links, right holders and parties. */
export function rebuildSearchIndexes(sqlite: Database.Database): void {
  writeTransaction(sqlite, () => {
    sqlite.prepare("delete from cases_fts").run();
    sqlite.prepare("delete from cases_redacted_fts").run();
    fillSearchIndexes(sqlite);
    sqlite
      .prepare("insert into app_meta (key, value) values (?, ?) on conflict(key) do update set value = excluded.value")
      .run(SEARCH_INDEX_KEY, SEARCH_INDEX_VERSION);
  });
}

/** The former name: both indexes are written again. */
export const rebuildRedactedIndex = rebuildSearchIndexes;

/** Fills the search indexes when the database predates their definition (the parties' column, the redacted index). */
export function ensureSearchIndexes(sqlite: Database.Database): boolean {
  const row = sqlite.prepare("select value from app_meta where key = ?").get(SEARCH_INDEX_KEY) as { value: string } | undefined;
  if (row?.value === SEARCH_INDEX_VERSION) return false;
  rebuildSearchIndexes(sqlite);
  return true;
}

/** The search indexes against the live cases (db/aggregate/check.ts, derivedMismatches, says how). */
export function searchIndexMismatches(sqlite: Database.Database, options: CheckOptions): DerivedMismatch[] {
  const out: DerivedMismatch[] = [];
  for (const index of ["cases_fts", "cases_redacted_fts"]) {
    const ids = (sql: string) => sqlite.prepare(sql).pluck().all() as number[];
    for (const id of ids(`select id from cases where deleted_at is null except select rowid from ${index}`)) {
      out.push({ source: index, figure: "document", key: String(id), derived: "none", base: "live case" });
    }
    for (const id of ids(`select rowid from ${index} except select id from cases where deleted_at is null`)) {
      out.push({ source: index, figure: "document", key: String(id), derived: "present", base: "no live case" });
    }
  }
  if (options.text === false || out.length) return out;

  // the documents written afresh into temporary twins of both indexes (same definition), then
  // every term instance (term, case, column, position) compared both ways
  const { links, parties } = documentParts(sqlite);
  const definitions = new Map(
    (sqlite.prepare("select name, sql from sqlite_master where name in ('cases_fts', 'cases_redacted_fts')").all() as { name: string; sql: string }[]).map((r) => [r.name, r.sql]),
  );
  sqlite.exec("drop table if exists temp.expected_cases_fts; drop table if exists temp.expected_cases_redacted_fts");
  for (const [name, sql] of definitions) sqlite.exec(sql.replace(/^CREATE VIRTUAL TABLE\s+[`"]?\w+[`"]?/i, `CREATE VIRTUAL TABLE temp.expected_${name}`));
  const insert = sqlite.prepare("insert into temp.expected_cases_fts (rowid, case_no, goods, holders, parties) values (?, ?, ?, ?, ?)");
  const insertRedacted = sqlite.prepare("insert into temp.expected_cases_redacted_fts (rowid, case_no, goods, parties) values (?, ?, ?, ?)");
  const chunk = sqlite.prepare("select id, case_no as caseNo, goods_description as goods from cases where deleted_at is null and id > ? order by id limit 10000");
  const fill = sqlite.transaction(() => {
    for (let after = 0; ; ) {
      const rows = chunk.all(after) as { id: number; caseNo: string; goods: string }[];
      if (!rows.length) break;
      for (const c of rows) {
        const hs = links.get(c.id) ?? [];
        const [ps, redactedPs] = partyTexts(parties.get(c.id) ?? [], hs);
        insert.run(c.id, toIndexText(c.caseNo), toIndexText(c.goods), toIndexText(hs.map(holderIndexName).join(" ; ")), ps);
        insertRedacted.run(c.id, toIndexText(c.caseNo), toIndexText(redactedGoods(c.goods, hs)), redactedPs);
      }
      after = rows[rows.length - 1]!.id;
    }
  });
  try {
    fill();
    for (const name of definitions.keys()) {
      sqlite.exec(`drop table if exists temp.vocab_actual; drop table if exists temp.vocab_expected;
        create virtual table temp.vocab_actual using fts5vocab(main, ${name}, instance);
        create virtual table temp.vocab_expected using fts5vocab(temp, expected_${name}, instance)`);
      const differ = (a: string, b: string) =>
        sqlite.prepare(`select term, doc, col, offset from temp.${a} except select term, doc, col, offset from temp.${b} limit 100`).all() as
          { term: string; doc: number; col: string; offset: number }[];
      for (const r of differ("vocab_actual", "vocab_expected")) {
        out.push({ source: name, figure: `term in ${r.col}`, key: `${r.doc}`, derived: `${r.term} at ${r.offset}`, base: "none" });
      }
      for (const r of differ("vocab_expected", "vocab_actual")) {
        out.push({ source: name, figure: `term in ${r.col}`, key: `${r.doc}`, derived: "none", base: `${r.term} at ${r.offset}` });
      }
    }
  } finally {
    sqlite.exec(`drop table if exists temp.vocab_actual; drop table if exists temp.vocab_expected;
      drop table if exists temp.expected_cases_fts; drop table if exists temp.expected_cases_redacted_fts`);
  }
  return out;
}

/**
 * The ids of the cases whose document in `index` matches an FTS5 query (lib/search.ts
 * toMatchExpression): cases_fts for staff, cases_redacted_fts for a member's scope. One
 * column, `id` (as db/postgres/search-match.ts's select names it).
 */
export function searchIndexMatch(index: "cases_fts" | "cases_redacted_fts", match: string): SQL {
  return sql`select rowid as id from ${sql.raw(index)} where ${sql.raw(index)} match ${match}`;
}
