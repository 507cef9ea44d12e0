import type Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { ENUM_FILTERS, type EnumFilterName } from "../../lib/filters";
import { industries, ports } from "../../lib/enums";
import { alpha2Codes } from "../../lib/route-codes";
import { postgresPoolOf, sqliteConnectionOf, type Engine } from "../engine";
import { inSnapshot, type SnapshotCopy, type SnapshotRows } from "../postgres/aggregate-load";
import { postgresChangeCounter } from "../postgres/change-counter";
import { changeCounter, IN_JSON_LIST } from "../sqlite/engine";

// The aggregate store: a columnar read model of the live cases, one per connection (so one
// per server or reader process), from which the planner (./plan.ts) computes every figure of
// the dashboard, the facets, the totals bar, the market tables and the admin counts for any
// filter with one scan of typed arrays.
//
// Loaded by one read of the needed columns at first use; then kept in step with every commit
// of any connection or process through the change log `case_changes`, which SQLite triggers
// fill (migration 0011): on a read, when the database changed (the engine's change counter,
// db/sqlite/engine.ts, moves on any connection's commit), the rows after the store's last
// seq name the cases to load again with their links. A store too far behind (more than
// RELOAD_AFTER changes, or past the oldest row the log still keeps) loads everything again.
//
// On PostgreSQL (several app servers on one database) the same log is kept by PL/pgSQL
// triggers, and it commits in seq order (migration 0002_change_log_order: a writer takes seqs
// only after the previous writer's commit is visible), so the same "rows after my seq" rule
// holds. One store per pool, loaded through COPY in one snapshot (db/postgres/aggregate-load.ts);
// one catch-up at a time per store (reads queue behind it, each then sees every commit made
// before it asked). Rows with case_id -1 say only that reference data changed (the right
// holders' industries are read again on any change). Inside a PostgreSQL transaction the store
// is loaded whole from the transaction (its own writes seen) and not kept.

/** The enumerated columns of a case, each held as a Uint8 code in lib/enums.ts order. */
export const DIMS = ["type", "category", "direction", "channel", "transport", "mode", "status", "disposal"] as const satisfies readonly EnumFilterName[];
export type Dim = (typeof DIMS)[number];
export const DIM_VALUES: readonly (readonly string[])[] = DIMS.map((d) => ENUM_FILTERS[d].values);
/** "none" is the disposal code of a case not disposed of yet (the filter's own value). */
const NO_DISPOSAL = "none";
export const INDUSTRIES = industries.values;

// The route of a case as filter-only codes (not charted dimensions): its port (0 for none, then
// lib/enums.ts ports in order, UNKNOWN_PORT for a value the enumeration does not list) and its
// origin country (0 for none, then lib/route-codes.ts's alpha-2 list in order, UNKNOWN_ORIGIN
// for any other text). A filter value is always listed, so an unknown code never matches one.
export const PORT_VALUES: readonly string[] = ports.values;
export const ORIGIN_VALUES: readonly string[] = alpha2Codes();
export const UNKNOWN_PORT = 255;
export const UNKNOWN_ORIGIN = 65535;
const originCodeOf = new Map<string, number>(ORIGIN_VALUES.map((v, i) => [v, i + 1]));
/** A port filter's value → its code (-1: not listed). */
export function portCode(value: string): number {
  const i = PORT_VALUES.indexOf(value);
  return i < 0 ? -1 : i + 1;
}
/** An origin filter's value → its code (-1: not listed). */
export function originCode(value: string): number {
  return originCodeOf.get(value) ?? -1;
}
// The origin country arrives as its two letters' codes (first * 256 + second; -1 for none, -2
// for text that is not two capital letters): an integer, where reading a million short strings
// into JavaScript would cost the load most of a second.
const originCodeOfPacked = new Map<number, number>(ORIGIN_VALUES.map((v, i) => [v.charCodeAt(0) * 256 + v.charCodeAt(1), i + 1]));
function originCodeOfLetters(packed: number): number {
  return packed === -1 ? 0 : (originCodeOfPacked.get(packed) ?? UNKNOWN_ORIGIN);
}
const lettersOf = (pattern: string, code: string) =>
  `case when origin_country is null then -1 when ${pattern} then ${code}(substr(origin_country, 1, 1)) * 256 + ${code}(substr(origin_country, 2, 1)) else -2 end`;
const SQLITE_ORIGIN = lettersOf("origin_country glob '[A-Z][A-Z]'", "unicode");
const PG_ORIGIN = lettersOf("origin_country ~ '^[A-Z]{2}$'", "ascii");

/** More change-log rows than this (or than a tenth of the cases) and the store loads everything again. */
const RELOAD_AFTER = 20_000;

/** Whether a store of `rows` cases loads everything again rather than read `pending` change-log rows. */
export function loadsWhole(pending: number, rows: number): boolean {
  return pending > Math.max(RELOAD_AFTER, rows / 10);
}
const CHUNK = 25_000;

export type CaseStore = {
  /** rows in use (live or not) */
  n: number;
  id: Int32Array;
  /** seized day as yyyymmdd (ordered as the ISO text is) */
  ymd: Int32Array;
  office: Int32Array;
  /** campaign id, 0 for none */
  campaign: Int32Array;
  /** one array of codes per DIMS entry */
  dims: Uint8Array[];
  /** the port's code (filter only; see PORT_VALUES) */
  port: Uint8Array;
  /** the origin country's code (filter only; see ORIGIN_VALUES) */
  origin: Uint16Array;
  pieces: Float64Array;
  value: Float64Array;
  /** 1 while the row is a live case */
  live: Uint8Array;
  /** the row's right-holder ids: links[linkStart[r] .. linkStart[r] + linkCount[r]) */
  linkStart: Int32Array;
  linkCount: Int32Array;
  links: Int32Array;
  linksUsed: number;
  /** the row's recordation ids (case_recordations), the same way: recs[recStart[r] .. recStart[r] + recCount[r]) */
  recStart: Int32Array;
  recCount: Int32Array;
  recs: Int32Array;
  recsUsed: number;
  /** case id → row + 1 (0: not in the store) */
  rowOf: Int32Array;
  /** right-holder id → industry code (-1: no such holder) */
  industryOf: Int8Array;
  maxHolder: number;
  maxOffice: number;
  maxCampaign: number;
  /** the last change-log row applied */
  seq: number;
  /** the engine's change counter when last checked */
  version: string;
  /** moves on every change applied (derived structures such as postings key on it) */
  generation: number;
  /** case ids loaded inside a transaction that may yet roll back: loaded again after it */
  uncertain: Set<number>;
  /** set when a full load happened inside a transaction: the next read outside loads again */
  provisional: boolean;
  /** holder id → rows naming it, built on demand for a generation */
  postings: { generation: number; start: Int32Array; rows: Int32Array } | null;
  /**
   * Every figure of each seizure year over all live cases (no filter), built at first need
   * and then kept in step row by row as cases are loaded again: a filter of dates alone (or
   * none) reads whole years from here and scans only the rows of its partial years.
   */
  years: Map<number, YearBlock> | null;
};

/** The tallies of one year as [cases, pieces, value] triples by key. */
export type YearBlock = {
  all: Float64Array;
  office: Float64Array;
  campaign: Float64Array;
  dims: Float64Array[];
  holders: Float64Array;
  industries: Float64Array;
};

const stores = new WeakMap<Database.Database, CaseStore>();

const industryCode = new Map<string, number>(INDUSTRIES.map((v, i) => [v, i]));

const DIM_COLUMNS = ["infringement_type", "goods_category", "direction", "channel", "transport", "protection_mode", "status", `coalesce(disposal, '${NO_DISPOSAL}')`];
// the enumerations arrive as their codes (SQLite compares the few strings; no string reaches JavaScript)
const codeOf = (column: string, values: readonly string[]) =>
  `case ${column} ${values.map((v, i) => `when '${v}' then ${i}`).join(" ")} else -1 end`;
// the port as its code (0: none), the origin country as its letters' codes (see SQLITE_ORIGIN)
const PORT_CODE = `case when port is null then 0 else case port ${PORT_VALUES.map((v, i) => `when '${v}' then ${i + 1}`).join(" ")} else ${UNKNOWN_PORT} end end`;
// (each column named c0 … c15: read as objects, on PostgreSQL inside a transaction, they keep their order)
const caseColumns = (origin: string) => [
  "id", "cast(replace(seized_on, '-', '') as integer)", "office_id", "coalesce(campaign_id, 0)",
  ...DIM_COLUMNS.map((c, k) => codeOf(c, DIM_VALUES[k]!)),
  "pieces", "value_fen", PORT_CODE, origin,
].map((c, i) => `${c} as c${i}`).join(", ");
const SQLITE_CASE_COLUMNS = caseColumns(SQLITE_ORIGIN);
const PG_CASE_COLUMNS = caseColumns(PG_ORIGIN);
type CaseRowRaw = [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];

function emptyStore(capacity: number): CaseStore {
  return {
    n: 0,
    id: new Int32Array(capacity),
    ymd: new Int32Array(capacity),
    office: new Int32Array(capacity),
    campaign: new Int32Array(capacity),
    dims: DIMS.map(() => new Uint8Array(capacity)),
    port: new Uint8Array(capacity),
    origin: new Uint16Array(capacity),
    pieces: new Float64Array(capacity),
    value: new Float64Array(capacity),
    live: new Uint8Array(capacity),
    linkStart: new Int32Array(capacity),
    linkCount: new Int32Array(capacity),
    links: new Int32Array(Math.max(16, Math.ceil(capacity * 1.6))),
    linksUsed: 0,
    recStart: new Int32Array(capacity),
    recCount: new Int32Array(capacity),
    recs: new Int32Array(Math.max(16, Math.ceil(capacity * 1.3))),
    recsUsed: 0,
    rowOf: new Int32Array(16),
    industryOf: new Int8Array(16).fill(-1),
    maxHolder: 0,
    maxOffice: 0,
    maxCampaign: 0,
    seq: 0,
    version: "",
    generation: 0,
    uncertain: new Set(),
    provisional: false,
    postings: null,
    years: null,
  };
}

function grow<T extends Int32Array | Uint8Array | Uint16Array | Float64Array | Int8Array>(a: T, size: number, fill = 0): T {
  if (a.length >= size) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2));
  next.set(a);
  if (fill) next.fill(fill as never, a.length);
  return next;
}

function ensureRows(s: CaseStore, rows: number) {
  if (s.id.length >= rows) return;
  const size = Math.max(rows, s.id.length * 2);
  s.id = grow(s.id, size);
  s.ymd = grow(s.ymd, size);
  s.office = grow(s.office, size);
  s.campaign = grow(s.campaign, size);
  s.dims = s.dims.map((d) => grow(d, size));
  s.port = grow(s.port, size);
  s.origin = grow(s.origin, size);
  s.pieces = grow(s.pieces, size);
  s.value = grow(s.value, size);
  s.live = grow(s.live, size);
  s.linkStart = grow(s.linkStart, size);
  s.linkCount = grow(s.linkCount, size);
  s.recStart = grow(s.recStart, size);
  s.recCount = grow(s.recCount, size);
}

/** Writes one case's columns into row r. */
function setRow(s: CaseStore, r: number, c: CaseRowRaw) {
  s.id[r] = c[0];
  s.ymd[r] = c[1];
  s.office[r] = c[2];
  s.campaign[r] = c[3];
  for (let k = 0; k < DIMS.length; k++) {
    const code = c[4 + k]!;
    if (code < 0) throw new Error(`The case ${c[0]} has a ${DIMS[k]} that the enumerations do not list.`);
    s.dims[k]![r] = code;
  }
  s.pieces[r] = c[12];
  s.value[r] = c[13];
  s.port[r] = c[14];
  s.origin[r] = originCodeOfLetters(c[15]);
  s.live[r] = 1;
  if (c[2] > s.maxOffice) s.maxOffice = c[2];
  if (c[3] > s.maxCampaign) s.maxCampaign = c[3];
}

function indexRow(s: CaseStore, id: number, r: number) {
  if (id >= s.rowOf.length) s.rowOf = grow(s.rowOf, id + 1);
  s.rowOf[id] = r + 1;
}

const HOLDERS_SQL = "select id, industry from right_holders";

function loadHolders(sqlite: Database.Database, s: CaseStore) {
  setHolders(s, sqlite.prepare(HOLDERS_SQL).raw(true).all() as [number, string][]);
}

function setHolders(s: CaseStore, rows: [number, string][]) {
  let max = 0;
  for (const [id] of rows) if (id > max) max = id;
  const industryOf = new Int8Array(max + 1).fill(-1);
  for (const [id, industry] of rows) industryOf[id] = industryCode.get(industry) ?? -1;
  if (s.years) {
    // a right holder's industry changed (or a holder went): the industry tallies are built again
    const old = s.industryOf;
    for (let h = 0; h < Math.max(old.length, industryOf.length); h++) {
      if ((old[h] ?? -1) !== (industryOf[h] ?? -1) && (old[h] ?? -1) !== -1) {
        s.years = null;
        break;
      }
    }
  }
  s.industryOf = industryOf;
  s.maxHolder = max;
}

/** The newest change-log row (0 when none was ever written). */
function lastSeq(sqlite: Database.Database): number {
  return (sqlite.prepare("select coalesce(max(seq), 0) from case_changes").pluck().get() as number) || 0;
}

/** Appends a chunk of cases (in id order) to the store; the last id. */
function appendCases(s: CaseStore, rows: CaseRowRaw[]): number {
  ensureRows(s, s.n + rows.length);
  const last = rows[rows.length - 1]![0];
  if (last >= s.rowOf.length) s.rowOf = grow(s.rowOf, last + 1);
  for (const c of rows) {
    setRow(s, s.n, c);
    s.rowOf[c[0]] = s.n + 1;
    s.n++;
  }
  return last;
}

/**
 * Appends a chunk of links (in case order) to the store; false at the end. A chunk may end
 * inside one case: its remaining links come with the next, so the limit is applied to whole
 * cases by starting the next chunk after the last complete one (cursor.after).
 */
function appendLinks(s: CaseStore, rows: [number, number][], cursor: { after: number; lastRow: number }): boolean {
  if (!rows.length) return false;
  let end = rows.length;
  if (rows.length === CHUNK) {
    const lastCase = rows[end - 1]![0];
    while (end > 0 && rows[end - 1]![0] === lastCase) end--;
    if (end === 0) end = rows.length; // one case with more links than a chunk (not in practice)
  }
  appendLinkRows(s, rows, end, cursor);
  cursor.after = rows[end - 1]![0];
  return true;
}

/** Appends the first `end` links of `rows` (in case order, continuing the rows before them). */
function appendLinkRows(s: CaseStore, rows: [number, number][], end: number, cursor: { lastRow: number }) {
  if (s.linksUsed + end > s.links.length) s.links = grow(s.links, s.linksUsed + end);
  for (let i = 0; i < end; i++) {
    const [caseId, holder] = rows[i]!;
    const r = caseId < s.rowOf.length ? s.rowOf[caseId]! - 1 : -1;
    if (r < 0) continue; // a deleted case's links
    if (r !== cursor.lastRow) {
      s.linkStart[r] = s.linksUsed;
      s.linkCount[r] = 0;
      cursor.lastRow = r;
    }
    s.links[s.linksUsed++] = holder;
    s.linkCount[r]!++;
  }
}

/** Appends recordation links (in case order) after the ones before them; rows of deleted cases are skipped. */
function appendRecRows(s: CaseStore, rows: ArrayLike<[number, number]> | [number, number][], cursor: { lastRow: number }) {
  if (s.recsUsed + rows.length > s.recs.length) s.recs = grow(s.recs, s.recsUsed + rows.length);
  for (let i = 0; i < rows.length; i++) {
    const [caseId, recordation] = rows[i]!;
    const r = caseId < s.rowOf.length ? s.rowOf[caseId]! - 1 : -1;
    if (r < 0) continue;
    if (r !== cursor.lastRow) {
      s.recStart[r] = s.recsUsed;
      s.recCount[r] = 0;
      cursor.lastRow = r;
    }
    s.recs[s.recsUsed++] = recordation;
    s.recCount[r]!++;
  }
}

const REC_LINKS = "select case_id, recordation_id from case_recordations";

/** Loads every live case and its links, in chunks of ids (bounded memory), in one read transaction. */
function loadAll(sqlite: Database.Database): CaseStore {
  const readAll = () => {
    const seq = lastSeq(sqlite);
    const count = sqlite.prepare("select count(*) from cases where deleted_at is null").pluck().get() as number;
    const s = emptyStore(count + 1024);
    s.seq = seq;
    const chunk = sqlite.prepare(`select ${SQLITE_CASE_COLUMNS} from cases where deleted_at is null and id > ? order by id limit ${CHUNK}`).raw(true);
    let after = 0;
    for (;;) {
      const rows = chunk.all(after) as CaseRowRaw[];
      if (!rows.length) break;
      after = appendCases(s, rows);
    }
    // links in case order: each row's links are contiguous (CSR)
    const links = sqlite.prepare(`select case_id, right_holder_id from case_right_holders where case_id > ? order by case_id, right_holder_id limit ${CHUNK}`).raw(true);
    const cursor = { after: 0, lastRow: -1 };
    for (;;) {
      const rows = links.all(cursor.after) as [number, number][];
      if (!appendLinks(s, rows, cursor)) break;
    }
    // recordation links: few enough per case to read in one ordered pass
    const recCursor = { lastRow: -1 };
    const recBatch: [number, number][] = [];
    for (const row of sqlite.prepare(`${REC_LINKS} order by case_id, recordation_id`).raw(true).iterate() as IterableIterator<[number, number]>) {
      recBatch.push(row);
      if (recBatch.length === CHUNK) {
        appendRecRows(s, recBatch, recCursor);
        recBatch.length = 0;
      }
    }
    appendRecRows(s, recBatch, recCursor);
    loadHolders(sqlite, s);
    return s;
  };
  if (sqlite.inTransaction) {
    const s = readAll();
    s.provisional = true;
    return s;
  }
  // one read transaction: the cases, the links and the log's last seq agree
  return sqlite.transaction(readAll).deferred();
}

/** Loads these cases again (live ones with their links; the others leave the store). */
function reloadCases(sqlite: Database.Database, s: CaseStore, ids: number[]) {
  const list = JSON.stringify(ids);
  const rows = sqlite
    .prepare(`select ${SQLITE_CASE_COLUMNS} from cases where deleted_at is null and id ${IN_JSON_LIST}`)
    .raw(true)
    .all(list) as CaseRowRaw[];
  const links = sqlite
    .prepare(`select case_id, right_holder_id from case_right_holders where case_id ${IN_JSON_LIST} order by case_id, right_holder_id`)
    .raw(true)
    .all(list) as [number, number][];
  const recs = sqlite.prepare(`${REC_LINKS} where case_id ${IN_JSON_LIST} order by case_id, recordation_id`).raw(true).all(list) as [number, number][];
  applyReload(s, ids, rows, links, recs);
}

/** Puts the cases `ids` into the store as `rows` and `links` say (ids without a row leave it). */
function applyReload(s: CaseStore, ids: number[], rows: CaseRowRaw[], links: [number, number][], recs: [number, number][]) {
  // the year tallies: out with the rows as they were (in again below, as they are)
  if (s.years) {
    for (const id of ids) {
      const r = id < s.rowOf.length ? s.rowOf[id]! - 1 : -1;
      if (r >= 0 && s.live[r] === 1 && !addToYears(s, r, -1)) break;
    }
  }
  const liveIds = new Set<number>();
  for (const c of rows) {
    liveIds.add(c[0]);
    let r = c[0] < s.rowOf.length ? s.rowOf[c[0]]! - 1 : -1;
    if (r < 0) {
      ensureRows(s, s.n + 1);
      r = s.n++;
      indexRow(s, c[0], r);
    }
    setRow(s, r, c);
    s.linkCount[r] = 0;
    s.linkStart[r] = s.linksUsed;
    s.recCount[r] = 0;
    s.recStart[r] = s.recsUsed;
  }
  for (const id of ids) {
    if (liveIds.has(id)) continue;
    const r = id < s.rowOf.length ? s.rowOf[id]! - 1 : -1;
    if (r >= 0) {
      s.live[r] = 0;
      s.linkCount[r] = 0;
      s.recCount[r] = 0;
    }
  }
  // the same for the recordation links (the old ones left behind likewise)
  appendRecRows(s, recs.filter(([caseId]) => liveIds.has(caseId)), { lastRow: -1 });
  // the new links go to the end of the link array (the old ones are left behind until the next full load)
  let lastRow = -1;
  for (const [caseId, holder] of links) {
    if (!liveIds.has(caseId)) continue;
    const r = s.rowOf[caseId]! - 1;
    if (r !== lastRow) {
      s.linkStart[r] = s.linksUsed;
      lastRow = r;
    }
    if (s.linksUsed >= s.links.length) s.links = grow(s.links, s.linksUsed + 1);
    s.links[s.linksUsed++] = holder;
    s.linkCount[r]!++;
  }
  if (s.years) for (const id of liveIds) if (!addToYears(s, s.rowOf[id]! - 1, 1)) break;
}

function newYearBlock(s: CaseStore): YearBlock {
  return {
    all: new Float64Array(3),
    office: new Float64Array((s.maxOffice + 1) * 3),
    campaign: new Float64Array((s.maxCampaign + 1) * 3),
    dims: DIM_VALUES.map((values) => new Float64Array(values.length * 3)),
    holders: new Float64Array((s.maxHolder + 1) * 3),
    industries: new Float64Array(INDUSTRIES.length * 3),
  };
}

/** Adds (sign 1) or takes away (-1) row r's figures in its year; false (and the years dropped) when they cannot hold it. */
function addToYears(s: CaseStore, r: number, sign: 1 | -1): boolean {
  const years = s.years!;
  const year = (s.ymd[r]! / 10000) | 0;
  let b = years.get(year);
  if (!b) years.set(year, (b = newYearBlock(s)));
  const p = s.pieces[r]! * sign, v = s.value[r]! * sign;
  const add = (t: Float64Array, k: number) => {
    t[k * 3]! += sign;
    t[k * 3 + 1]! += p;
    t[k * 3 + 2]! += v;
  };
  if ((s.office[r]! + 1) * 3 > b.office.length || (s.campaign[r]! + 1) * 3 > b.campaign.length) {
    s.years = null; // an office or campaign newer than the tallies: they are built again when next needed
    return false;
  }
  add(b.all, 0);
  add(b.office, s.office[r]!);
  add(b.campaign, s.campaign[r]!);
  for (let k = 0; k < DIMS.length; k++) add(b.dims[k]!, s.dims[k]![r]!);
  let bits = 0;
  const end = s.linkStart[r]! + s.linkCount[r]!;
  for (let i = s.linkStart[r]!; i < end; i++) {
    const h = s.links[i]!;
    if ((h + 1) * 3 > b.holders.length) {
      s.years = null;
      return false;
    }
    add(b.holders, h);
    const code = h < s.industryOf.length ? s.industryOf[h]! : -1;
    if (code >= 0) bits |= 1 << code;
  }
  for (let i = 0; i < INDUSTRIES.length; i++) if ((bits >> i) & 1) add(b.industries, i);
  return true;
}

/** The year tallies of all live cases (built on first need, then kept in step). */
export function yearTallies(s: CaseStore): Map<number, YearBlock> {
  if (s.years) return s.years;
  s.years = new Map();
  for (let r = 0; r < s.n; r++) if (s.live[r] === 1) addToYears(s, r, 1);
  return s.years;
}

const versionOf = changeCounter;

/** Brings the store up to date with the log (or loads it again); see the comment at the top. */
function catchUp(sqlite: Database.Database, s: CaseStore): CaseStore {
  const version = versionOf(sqlite);
  if (version === s.version && !s.uncertain.size) return s;
  const inTx = sqlite.inTransaction;
  const newest = lastSeq(sqlite);
  // the oldest row the log keeps: a store older than it missed pruned rows
  const oldest = (sqlite.prepare("select min(seq) from case_changes").pluck().get() as number | null) ?? newest + 1;
  const missed = s.seq + 1 < oldest && newest > s.seq;
  if (missed || loadsWhole(newest - s.seq, s.n) || newest < s.seq) {
    const fresh = loadAll(sqlite);
    fresh.version = inTx ? "" : version;
    fresh.generation = s.generation + 1;
    return fresh;
  }
  const changed = new Set<number>(s.uncertain);
  if (newest > s.seq) {
    const ids = sqlite.prepare("select distinct case_id from case_changes where seq > ?").pluck().all(s.seq) as number[];
    for (const id of ids) changed.add(id);
  }
  if (changed.has(0)) {
    // a bulk load paused the log and left "everything changed" (migration 0011)
    const fresh = loadAll(sqlite);
    fresh.version = inTx ? "" : version;
    fresh.generation = s.generation + 1;
    return fresh;
  }
  if (changed.size) {
    reloadCases(sqlite, s, [...changed]);
    s.generation++;
  }
  // right holders are few: their industries are read again whenever anything changed
  loadHolders(sqlite, s);
  if (inTx) {
    // this transaction may roll back (and its log rows with it): its cases are loaded again
    // after it, and the seq stays where the last commit left it
    for (const id of changed) s.uncertain.add(id);
    s.version = "";
  } else {
    s.uncertain.clear();
    s.seq = newest;
    s.version = version;
  }
  return s;
}

/** A SQLite connection's store, up to date with every commit (loaded at first use). */
function sqliteCaseStore(sqlite: Database.Database): CaseStore {
  let s = stores.get(sqlite);
  if (!s || (s.provisional && !sqlite.inTransaction)) {
    s = loadAll(sqlite);
    s.version = sqlite.inTransaction ? "" : versionOf(sqlite);
  } else {
    s = catchUp(sqlite, s);
  }
  stores.set(sqlite, s);
  return s;
}

// ---- PostgreSQL ------------------------------------------------------------------------------

const PG_CASES = `select ${PG_CASE_COLUMNS} from cases where deleted_at is null and id > $1 order by id limit ${CHUNK}`;
const PG_LINKS = `select case_id, right_holder_id from case_right_holders where case_id > $1 order by case_id, right_holder_id limit ${CHUNK}`;

// A full load through COPY (PostgreSQL) reads the eight enumeration codes packed four to an
// integer (a byte each, 255 for a value the enumerations do not list): 40% fewer bytes.
const packed = (from: number) =>
  DIM_COLUMNS.slice(from, from + 4)
    .map((c, j) => `((case ${c} ${DIM_VALUES[from + j]!.map((v, i) => `when '${v}' then ${i}`).join(" ")} else 255 end) << ${8 * j})`)
    .join(" | ");
const PACKED_COLUMNS = `id, cast(replace(seized_on, '-', '') as integer), office_id, coalesce(campaign_id, 0), ${packed(0)}, ${packed(4)}, pieces, value_fen, ${PORT_CODE}, ${PG_ORIGIN}`;
type PackedRow = [number, number, number, number, number, number, number, number, number, number];

/** Appends a batch of packed cases (in id order). */
function appendPackedCases(s: CaseStore, rows: PackedRow[]) {
  ensureRows(s, s.n + rows.length);
  const last = rows[rows.length - 1]![0];
  if (last >= s.rowOf.length) s.rowOf = grow(s.rowOf, last + 1);
  for (const c of rows) {
    const r = s.n++;
    s.id[r] = c[0];
    s.ymd[r] = c[1];
    s.office[r] = c[2];
    s.campaign[r] = c[3];
    for (let k = 0; k < DIMS.length; k++) {
      const code = (c[4 + (k >> 2)]! >>> (8 * (k & 3))) & 255;
      if (code === 255) throw new Error(`The case ${c[0]} has a ${DIMS[k]} that the enumerations do not list.`);
      s.dims[k]![r] = code;
    }
    s.pieces[r] = c[6];
    s.value[r] = c[7];
    s.port[r] = c[8];
    s.origin[r] = originCodeOfLetters(c[9]);
    s.live[r] = 1;
    if (c[2] > s.maxOffice) s.maxOffice = c[2];
    if (c[3] > s.maxCampaign) s.maxCampaign = c[3];
    s.rowOf[c[0]] = r + 1;
  }
}

/** Every live case, link and right holder, and the log's newest seq, from one snapshot. */
async function loadAllFrom(rows: SnapshotRows, copy?: SnapshotCopy, beside?: SnapshotCopy | null): Promise<CaseStore> {
  const [seq, count] = ((await rows("select (select coalesce(max(seq), 0) from case_changes) as seq, (select count(*) from cases where deleted_at is null) as n")) as [number, number][])[0]!;
  const s = emptyStore(Number(count) + 1024);
  s.seq = Number(seq);
  if (copy) {
    // the whole tables as streams (db/postgres/aggregate-load.ts), in batches; the links on a
    // second connection in the same snapshot meanwhile, when there is one
    const LINKS = "select case_id, right_holder_id from case_right_holders order by case_id, right_holder_id";
    // (held as two integer arrays until the cases are in: a million small arrays would not do)
    const early = beside ? (async () => {
      let pairs = new Int32Array(1 << 16);
      let n = 0;
      for await (const batch of beside(LINKS)) {
        if ((n + batch.length) * 2 > pairs.length) pairs = grow(pairs, (n + batch.length) * 2);
        for (const [caseId, holder] of batch as [number, number][]) {
          pairs[n * 2] = caseId;
          pairs[n * 2 + 1] = holder;
          n++;
        }
      }
      return { pairs, n };
    })() : null;
    early?.catch(() => {}); // awaited below
    try {
      for await (const batch of copy(`select ${PACKED_COLUMNS} from cases where deleted_at is null order by id`)) appendPackedCases(s, batch as PackedRow[]);
    } finally {
      await early?.catch(() => {});
    }
    const cursor = { after: 0, lastRow: -1 };
    if (early) {
      const { pairs, n } = await early;
      const batch: [number, number][] = [];
      for (let i = 0; i < n; i += CHUNK) {
        batch.length = 0;
        for (let j = i; j < Math.min(n, i + CHUNK); j++) batch.push([pairs[j * 2]!, pairs[j * 2 + 1]!]);
        appendLinkRows(s, batch, batch.length, cursor);
      }
    }
    else for await (const batch of copy(LINKS)) appendLinkRows(s, batch as [number, number][], batch.length, cursor);
    const recCursor = { lastRow: -1 };
    for await (const batch of copy(`${REC_LINKS} order by case_id, recordation_id`)) appendRecRows(s, batch as [number, number][], recCursor);
  } else {
    let after = 0;
    for (;;) {
      const chunk = (await rows(PG_CASES, [after])) as CaseRowRaw[];
      if (!chunk.length) break;
      after = appendCases(s, chunk);
    }
    const cursor = { after: 0, lastRow: -1 };
    while (appendLinks(s, (await rows(PG_LINKS, [cursor.after])) as [number, number][], cursor));
    appendRecRows(s, (await rows(`${REC_LINKS} order by case_id, recordation_id`)) as [number, number][], { lastRow: -1 });
  }
  setHolders(s, (await rows(HOLDERS_SQL)) as [number, string][]);
  return s;
}

/** Raw rows through the engine (inside a transaction, where the pool is not ours to use). */
function rowsThrough(e: Engine): SnapshotRows {
  return async (text, params = []) => {
    // $1 … $n of the texts above as bound values
    const parts = text.split(/\$(\d+)/);
    const chunks = parts.map((part, i) => (i % 2 ? sql`${params[Number(part) - 1]}` : sql.raw(part)));
    return (await e.all<Record<string, unknown>>(sql.join(chunks, sql``))).map((r) => Object.values(r));
  };
}

type PgSlot = { store: CaseStore | null; tail: Promise<unknown> };
const pgSlots = new WeakMap<object, PgSlot>();

/** Brings a pool's store up to date (or loads it); the caller holds the slot. */
async function refreshPostgres(e: Engine, pool: NonNullable<ReturnType<typeof postgresPoolOf>>, slot: PgSlot): Promise<CaseStore> {
  const version = await postgresChangeCounter(e);
  let s = slot.store;
  if (s && version === s.version) return s;
  const whole = async () => {
    const fresh = await inSnapshot(pool, loadAllFrom);
    fresh.version = String(fresh.seq);
    fresh.generation = (s?.generation ?? 0) + 1;
    return (slot.store = fresh);
  };
  if (!s) return whole();
  const span = await e.get<{ oldest: number | null; newest: number | null }>(sql`select min(seq) as oldest, max(seq) as newest from case_changes`);
  const newest = span?.newest ?? 0;
  const oldest = span?.oldest ?? newest + 1;
  if ((s.seq + 1 < oldest && newest > s.seq) || loadsWhole(newest - s.seq, s.n) || newest < s.seq) return whole();
  if (newest > s.seq) {
    // every seq up to `newest` is final: the log commits in seq order (see the top)
    const ids = (await e.all<{ id: number }>(sql`select distinct case_id as id from case_changes where seq > ${s.seq} and seq <= ${newest}`)).map((r) => Number(r.id));
    if (ids.includes(0)) return whole(); // a bulk load paused the log and left "everything changed"
    const cases = ids.filter((id) => id > 0);
    if (cases.length) {
      const rows = (await rowsThrough(e)(`select ${PG_CASE_COLUMNS} from cases where deleted_at is null and id = any($1::int[])`, [`{${cases.join(",")}}`])) as CaseRowRaw[];
      const links = (await rowsThrough(e)("select case_id, right_holder_id from case_right_holders where case_id = any($1::int[]) order by case_id, right_holder_id", [`{${cases.join(",")}}`])) as [number, number][];
      const recs = (await rowsThrough(e)(`${REC_LINKS} where case_id = any($1::int[]) order by case_id, recordation_id`, [`{${cases.join(",")}}`])) as [number, number][];
      applyReload(s, cases, rows, links, recs);
      s.generation++;
    }
    // right holders are few: their industries are read again whenever anything changed
    setHolders(s, (await rowsThrough(e)(HOLDERS_SQL)) as [number, string][]);
    s.seq = newest;
  }
  s.version = String(newest);
  return s;
}

/** This connection's (SQLite) or pool's (PostgreSQL) store, up to date with every commit (loaded at first use). */
export async function caseStore(e: Engine): Promise<CaseStore> {
  const sqlite = sqliteConnectionOf(e);
  if (sqlite) {
    // outside a transaction, wait while another request's transaction holds the connection
    if (!e.inTransaction) await e.get(sql`select 1`);
    return sqliteCaseStore(sqlite);
  }
  const pool = postgresPoolOf(e);
  if (e.inTransaction || !pool) return loadAllFrom(rowsThrough(e));
  let slot = pgSlots.get(pool);
  if (!slot) pgSlots.set(pool, (slot = { store: null, tail: Promise.resolve() }));
  const held = slot;
  // one catch-up at a time; each read catches up after those before it, so it sees every
  // commit made before it asked
  const run = held.tail.then(() => refreshPostgres(e, pool, held));
  held.tail = run.catch(() => {});
  return run;
}

/** Loads the store now (a reader process at start), so that the first read does not wait for it. */
export async function warmCaseStore(e: Engine): Promise<void> {
  const s = await caseStore(e);
  postings(s);
  yearTallies(s);
}

/** Drops this connection's store: the next read loads it whole (tests, the bench). */
export function dropCaseStore(e: Engine): void {
  const sqlite = sqliteConnectionOf(e);
  if (sqlite) stores.delete(sqlite);
  const slot = pgSlots.get(postgresPoolOf(e) ?? {});
  if (slot) slot.store = null;
}

/** Bytes held by the store's arrays. */
export function caseStoreBytes(s: CaseStore): number {
  const arrays: ArrayBufferView[] = [s.id, s.ymd, s.office, s.campaign, ...s.dims, s.port, s.origin, s.pieces, s.value, s.live, s.linkStart, s.linkCount, s.links, s.recStart, s.recCount, s.recs, s.rowOf, s.industryOf];
  if (s.postings) arrays.push(s.postings.start, s.postings.rows);
  for (const b of s.years?.values() ?? []) arrays.push(b.all, b.office, b.campaign, ...b.dims, b.holders, b.industries);
  return arrays.reduce((n, a) => n + a.byteLength, 0);
}

/**
 * The live cases' figures by port and by origin country as the store's codes hold them (keyed
 * by the value, "" for none, "?" for a value the lists do not have): for the derived check.
 */
export function routeTallies(s: CaseStore): Map<"port" | "origin", Map<string, { cases: number; pieces: number; valueFen: number }>> {
  const port = new Float64Array(256 * 3);
  const origin = new Float64Array(65536 * 3);
  for (let r = 0; r < s.n; r++) {
    if (s.live[r] !== 1) continue;
    for (const [t, code] of [[port, s.port[r]!], [origin, s.origin[r]!]] as const) {
      t[code * 3]!++;
      t[code * 3 + 1]! += s.pieces[r]!;
      t[code * 3 + 2]! += s.value[r]!;
    }
  }
  const keyed = (t: Float64Array, values: readonly string[]) => {
    const out = new Map<string, { cases: number; pieces: number; valueFen: number }>();
    for (let c = 0; c * 3 < t.length; c++) {
      if (t[c * 3] === 0) continue;
      const key = c === 0 ? "" : (values[c - 1] ?? "?");
      const f = out.get(key) ?? { cases: 0, pieces: 0, valueFen: 0 };
      f.cases += t[c * 3]!;
      f.pieces += t[c * 3 + 1]!;
      f.valueFen += t[c * 3 + 2]!;
      out.set(key, f);
    }
    return out;
  };
  return new Map([["port", keyed(port, PORT_VALUES)], ["origin", keyed(origin, ORIGIN_VALUES)]]);
}

/** holder id → the rows naming it (live or not), for the current generation. */
export function postings(s: CaseStore): { start: Int32Array; rows: Int32Array } {
  if (s.postings && s.postings.generation === s.generation) return s.postings;
  const start = new Int32Array(s.maxHolder + 2);
  const { linkStart, linkCount, links, live } = s;
  for (let r = 0; r < s.n; r++) {
    if (!live[r]) continue;
    const end = linkStart[r]! + linkCount[r]!;
    for (let i = linkStart[r]!; i < end; i++) {
      const h = links[i]!;
      if (h <= s.maxHolder) start[h + 1]!++;
    }
  }
  for (let h = 1; h < start.length; h++) start[h]! += start[h - 1]!;
  const fill = start.slice(0, start.length - 1);
  const rows = new Int32Array(start[start.length - 1]!);
  for (let r = 0; r < s.n; r++) {
    if (!live[r]) continue;
    const end = linkStart[r]! + linkCount[r]!;
    for (let i = linkStart[r]!; i < end; i++) {
      const h = links[i]!;
      if (h <= s.maxHolder) rows[fill[h]!++] = r;
    }
  }
  s.postings = { generation: s.generation, start, rows };
  return s.postings;
}
