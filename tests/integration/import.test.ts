import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitImport, planImport, type ImportReport } from "../../db/import";
import { openExportCursor } from "../../db/queries/export";
import { csvStream, xlsxStream } from "../../lib/export-stream";
import { EMPTY_FILTERS, type Filters } from "../../lib/filters";
import { csvLine, parseCsv, UTF8_BOM } from "../../lib/csv";
import { parseImportFile, type ParsedFile } from "../../lib/import/parse";
import type { ImportOptions } from "../../lib/import/validate";
import { insertReference } from "../../db/bulk";
import { sqliteEngine, type Engine } from "../../db/engine";
import { derivedMismatches } from "../../db/aggregate/check";
import { derivedDigest } from "../support/derived";
import { buildReference } from "../../seed/generate";
import { seedDatabase } from "../../seed/run";
import { ROOT, TSX, freshDb, tempDir } from "../support/db";
import { freshEngine, type FreshEngine } from "../support/engines";
import { searchIds, searchMismatches, traceDigest } from "../support/written";

// The import against real databases: an export re-imported into an empty database gives the
// same cases; a bad row gives its reason and row number and changes nothing; a process killed
// in the middle of a large import leaves the database exactly as it was.

type Fresh = ReturnType<typeof freshDb>;
let source: Fresh;
let target: Fresh;
let work: string;
const SEED = 11;

/** The seed's reference data (its fixed lists of offices, right holders, campaigns) and no case. */
async function seedReferenceOnly(db: Fresh | Engine): Promise<void> {
  const e = "dialect" in db ? db : sqliteEngine(db.db);
  await e.transaction((tx) => insertReference(tx, buildReference()));
}
const engineOf = (db: Fresh): Engine => sqliteEngine(db.db);

beforeAll(async () => {
  source = freshDb("import-src");
  await seedDatabase(source.db.$client, { cases: 4_000, seed: SEED });
  // the same reference data (offices, right holders, campaigns: the seed's fixed lists), no cases
  target = freshDb("import-dst");
  await seedReferenceOnly(target);
  work = tempDir("import-files");
}, 120_000);
afterAll(() => {
  source?.close();
  target?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const options = (over: Partial<ImportOptions> = {}): ImportOptions => ({ update: false, skipInvalid: false, createHolders: false, ...over });

async function exportBytes(db: Fresh, filters: Filters, format: "csv" | "xlsx", locale: "en" | "zh"): Promise<Uint8Array> {
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = `file:${db.file}`;
  try {
    const cursor = await openExportCursor(sqliteEngine(db.db), filters, { key: "caseNo", dir: "asc" });
    const stream = format === "csv"
      ? csvStream(cursor.rows, locale, cursor.close)
      : xlsxStream(cursor.rows, locale, { title: "Filters", lines: [], exportedAtLabel: "At", rowsLabel: "Rows", sheetName: locale === "zh" ? "案件" : "Cases", filtersSheetName: "Filters" }, cursor.close);
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } finally {
    process.env.DATABASE_URL = previous;
  }
}

/** Every case with its values and its right holders' names, by case number (no ids, no times). */
function casesOf(sqlite: Database.Database, caseNos?: string[]): Map<string, Record<string, unknown>> {
  const rows = sqlite
    .prepare(`select c.case_no, o.code as office, c.seized_on, c.infringement_type, c.goods_category, c.goods_description, c.pieces,
        c.value_fen, c.direction, c.channel, c.transport, c.protection_mode, c.origin_country, c.destination_country,
        p.code as campaign, c.status, c.disposal, c.hearing_held, c.referred_to_police, c.penalty_fen, c.notes, c.deleted_at,
        (select group_concat(name, '|') from (select h.name from case_right_holders l join right_holders h on h.id = l.right_holder_id
           where l.case_id = c.id order by h.name)) as holders
      from cases c join customs_offices o on o.id = c.office_id left join campaigns p on p.id = c.campaign_id order by c.case_no`)
    .all() as Record<string, unknown>[];
  const wanted = caseNos ? new Set(caseNos) : null;
  return new Map(rows.filter((r) => !wanted || wanted.has(r.case_no as string)).map((r) => [r.case_no as string, r]));
}

function counts(sqlite: Database.Database) {
  const n = (table: string) => (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  return { cases: n("cases"), links: n("case_right_holders"), holders: n("right_holders"), audit: n("audit_log"), fts: n("cases_fts"), changes: n("case_changes") };
}

/** A digest of every table an import writes, row by row in key order. */
function checksum(sqlite: Database.Database): string {
  const hash = createHash("sha256");
  for (const query of [
    "select * from cases order by id",
    "select * from case_right_holders order by case_id, right_holder_id",
    "select * from right_holders order by id",
    "select * from audit_log order by id",
  ]) {
    for (const row of sqlite.prepare(query).raw().iterate()) hash.update(JSON.stringify(row));
  }
  hash.update(derivedDigest(sqlite)); // the change log and both search indexes
  return hash.digest("hex");
}

/** A CSV file made of export rows (as string cells) with the export's English header. */
function csvFile(header: string[], rows: string[][]): Uint8Array {
  return new TextEncoder().encode(UTF8_BOM + csvLine(header) + rows.map((r) => csvLine(r)).join(""));
}
const parsedOf = (bytes: Uint8Array) => parseImportFile(bytes, "file.csv");

describe("an export re-imported into an empty database", () => {
  const filters: Filters = { ...EMPTY_FILTERS, type: ["trademark", "design_patent"], from: "2016-01-01" };
  let exported: Map<string, Record<string, unknown>>;
  let report: ImportReport;

  beforeAll(async () => {
    const bytes = await exportBytes(source, filters, "csv", "en");
    const parsed = await parsedOf(bytes);
    expect(parsed.rows.length).toBeGreaterThan(500);
    exported = casesOf(source.db.$client, parsed.rows.map((r) => r.cells[0]!));
    report = await commitImport(engineOf(target), parsed, options(), "importer");
  });

  it("creates every case of the filtered set and nothing else", () => {
    expect(report.rejected).toEqual([]);
    expect(report.committed).toBe(true);
    expect(report.creates).toBe(exported.size);
    expect(counts(target.db.$client).cases).toBe(exported.size);
  });

  it("reproduces every value to the fen, and the right holders", () => {
    const imported = casesOf(target.db.$client);
    expect([...imported.keys()]).toEqual([...exported.keys()]);
    for (const [caseNo, c] of exported) expect(imported.get(caseNo), caseNo).toEqual(c);
    const fen = (db: Database.Database) => db.prepare("select sum(value_fen) as v, sum(coalesce(penalty_fen, 0)) as p from cases").get();
    expect(fen(target.db.$client)).toEqual(source.db.$client.prepare(`select sum(value_fen) as v, sum(coalesce(penalty_fen, 0)) as p
      from cases where case_no in (select value from json_each(?))`).get(JSON.stringify([...exported.keys()])));
  });

  it("keeps the aggregate stores and the search indexes exact, with one 'import' audit entry per case", async () => {
    expect(await derivedMismatches(target.db.$client)).toEqual([]);
    const sqlite = target.db.$client;
    expect(sqlite.prepare("select count(*) as n, min(action) as a, max(action) as b, min(user_id) as u from audit_log where entity = 'case'").get())
      .toEqual({ n: exported.size, a: "import", b: "import", u: "importer" });
    expect(counts(sqlite).fts).toBe(exported.size);
    const some = [...exported.keys()][3]!;
    expect(sqlite.prepare("select count(*) as n from cases_fts where cases_fts match ?").get(`"${some}"`)).toEqual({ n: 1 });
  });

  it("an XLSX export with Chinese headers re-imports the same way", async () => {
    const other = freshDb("import-xlsx");
    try {
      await seedReferenceOnly(other);
      const xlsxFilters: Filters = { ...EMPTY_FILTERS, channel: ["postal"], from: "2020-01-01" };
      const parsed = await parseImportFile(await exportBytes(source, xlsxFilters, "xlsx", "zh"), "x.xlsx");
      expect(parsed.format).toBe("xlsx");
      const result = await commitImport(engineOf(other), parsed, options(), null);
      expect(result.rejected).toEqual([]);
      const want = casesOf(source.db.$client, parsed.rows.map((r) => r.cells[0]!));
      expect(result.creates).toBe(want.size);
      expect(casesOf(other.db.$client)).toEqual(want);
      expect(await derivedMismatches(other.db.$client)).toEqual([]);
    } finally {
      other.close();
    }
  });

  it("the same file again: every row is rejected as existing, or updates its case with --update", async () => {
    const sqlite = target.db.$client;
    const bytes = await exportBytes(target, { ...EMPTY_FILTERS, type: ["design_patent"] }, "csv", "en");
    const parsed = await parsedOf(bytes);
    const plan = await planImport(engineOf(target), parsed, options());
    expect(plan.creates).toBe(0);
    expect(new Set(plan.rejected.map((r) => r.reason))).toEqual(new Set(["exists"]));
    // change the value and the status of every row, then update
    const header = parsed.header;
    const value = header.indexOf("Value (RMB)");
    const status = header.indexOf("Status");
    const changed: ParsedFile = { ...parsed, rows: parsed.rows.map((r) => ({ row: r.row, cells: r.cells.map((c, i) => (i === value ? "1.01" : i === status ? "Detained" : c)) })) };
    const before = counts(sqlite);
    const result = await commitImport(engineOf(target), changed, options({ update: true }), "importer");
    expect(result).toMatchObject({ committed: true, creates: 0, updates: parsed.rows.length, rejected: [] });
    const caseNos = parsed.rows.map((r) => r.cells[0]!);
    const rows = sqlite.prepare("select value_fen, status, version from cases where case_no in (select value from json_each(?))").all(JSON.stringify(caseNos)) as { value_fen: number; status: string; version: number }[];
    expect(rows.every((r) => r.value_fen === 101 && r.status === "detained" && r.version === 2)).toBe(true);
    expect(counts(sqlite)).toMatchObject({ cases: before.cases, links: before.links, audit: before.audit + parsed.rows.length });
    const entry = sqlite.prepare("select before, after from audit_log order by id desc limit 1").get() as { before: string; after: string };
    expect(JSON.parse(entry.after)).toMatchObject({ valueFen: 101, version: 2 });
    expect(JSON.parse(entry.before)).toHaveProperty("valueFen");
    expect(await derivedMismatches(sqlite)).toEqual([]);
  });
});

describe("bad rows", () => {
  let header: string[];
  let good: string[][];

  beforeAll(async () => {
    const parsed = await parsedOf(await exportBytes(source, { ...EMPTY_FILTERS, type: ["copyright"] }, "csv", "en"));
    header = parsed.header;
    // fresh case numbers, so the rows are new to the target database
    good = parsed.rows.slice(0, 12).map((r, i) => [`0000-2999-${String(i).padStart(4, "0")}`, ...r.cells.slice(1)]);
  });

  const col = (name: string) => header.indexOf(name);
  const withCell = (cells: string[], name: string, value: string) => cells.map((c, i) => (i === col(name) ? value : c));

  it("each kind gives its reason with the right row number and column", async () => {
    const rows = [
      good[0]!,                                                          // row 2: fine
      withCell(good[1]!, "District code", "0077"),                       // row 3
      withCell(good[2]!, "Office code", "9999"),                         // row 4
      withCell(good[3]!, "Right holders", "No Such Holder Ltd"),         // row 5
      withCell(good[4]!, "Seized on", "2023-13-40"),                     // row 6
      withCell(good[5]!, "Pieces", "0"),                                 // row 7
      withCell(good[6]!, "Value (RMB)", "-3.50"),                        // row 8
      withCell(good[7]!, "Channel", "Pigeon"),                           // row 9
      withCell(good[8]!, "Case number", good[0]![0]!),                   // row 10: duplicate of row 2
      withCell(good[9]!, "Case number", [...casesOf(target.db.$client).keys()][0]!), // row 11: already in the database
      good[10]!,                                                         // row 12: fine
    ];
    const report = await planImport(engineOf(target), await parsedOf(csvFile(header, rows)), options());
    expect(report.rejected.map((r) => [r.row, r.column, r.reason])).toEqual([
      [3, "District code", "unknown_district"],
      [4, "Office code", "unknown_office"],
      [5, "Right holders", "unknown_holder"],
      [6, "Seized on", "bad_date"],
      [7, "Pieces", "pieces_min"],
      [8, "Value (RMB)", "negative_value"],
      [9, "Channel", "unknown_label"],
      [10, "Case number", "duplicate_in_file"],
      [11, "Case number", "exists"],
    ]);
    expect(report).toMatchObject({ creates: 2, updates: 0, committed: false });
    // a missing column is named on row 1
    const noPieces = header.filter((h) => h !== "Pieces");
    const missing = await planImport(engineOf(target), await parsedOf(csvFile(noPieces, [good[0]!.filter((_, i) => i !== col("Pieces"))])), options());
    expect(missing.rejected.map((r) => [r.row, r.column, r.reason])).toEqual([[1, "Pieces", "missing_column"]]);
  });

  it("a file with one bad row changes nothing: rows, change log, search indexes, audit log", async () => {
    const sqlite = target.db.$client;
    const before = { counts: counts(sqlite), sum: checksum(sqlite) };
    const rows = [...good.slice(0, 8), withCell(good[8]!, "Pieces", "0"), ...good.slice(9)];
    const report = await commitImport(engineOf(target), await parsedOf(csvFile(header, rows)), options(), "importer");
    expect(report.committed).toBe(false);
    expect(report.rejected.map((r) => [r.row, r.reason])).toEqual([[10, "pieces_min"]]);
    expect(counts(sqlite)).toEqual(before.counts);
    expect(checksum(sqlite)).toBe(before.sum);
    expect(await derivedMismatches(sqlite)).toEqual([]);
  });

  it("with skip-invalid the good rows go in, and with create-holders a new right holder too", async () => {
    const sqlite = target.db.$client;
    const before = counts(sqlite);
    const rows = [good[0]!, withCell(good[1]!, "Pieces", "0"), withCell(good[2]!, "Right holders", "Brand New Holder Co; " + good[2]![col("Right holders")]!)];
    const report = await commitImport(engineOf(target), await parsedOf(csvFile(header, rows)), options({ skipInvalid: true, createHolders: true }), "importer");
    expect(report).toMatchObject({ committed: true, creates: 2, holdersToCreate: ["Brand New Holder Co"] });
    expect(report.rejected.map((r) => r.row)).toEqual([3]);
    expect(counts(sqlite)).toMatchObject({ cases: before.cases + 2, holders: before.holders + 1, audit: before.audit + 3 });
    const holder = sqlite.prepare("select id, country, industry from right_holders where name = 'Brand New Holder Co'").get() as { id: number; country: string; industry: string };
    expect(holder.country).toBe("ZZ");
    expect(sqlite.prepare("select count(*) as n from case_right_holders where right_holder_id = ?").get(holder.id)).toEqual({ n: 1 });
    expect(await derivedMismatches(sqlite)).toEqual([]);
  });
});

describe("a large import", () => {
  let big: Fresh;
  let file20k: string;
  let file10k: string;

  beforeAll(async () => {
    big = freshDb("import-big");
    await seedDatabase(big.db.$client, { cases: 20_000, seed: SEED });
    const all = parseCsv(new TextDecoder().decode(await exportBytes(source, EMPTY_FILTERS, "csv", "en")));
    const [header, ...rows] = all.filter((r) => r.length > 1);
    const make = (n: number, year: number) =>
      csvFile(header!, Array.from({ length: n }, (_, i) => [`0000-${year + Math.floor(i / 10_000)}-${String(i % 10_000).padStart(4, "0")}`, ...rows[i % rows.length]!.slice(1)]));
    file20k = path.join(work, "20k.csv");
    file10k = path.join(work, "10k.csv");
    fs.writeFileSync(file20k, make(20_000, 3000));
    fs.writeFileSync(file10k, make(10_000, 3100));
  });
  afterAll(() => big?.close());

  it("killed with kill -9 in the middle leaves the database exactly as before, and intact", async () => {
    const sqlite = big.db.$client;
    const before = { counts: counts(sqlite), sum: checksum(sqlite) };
    // node itself with tsx's loader (the tsx command would run the import in a child process that a kill leaves running)
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/import.ts", file20k], { cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${big.file}` }, stdio: "ignore" });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    let done = false;
    void exited.then(() => (done = true));
    // wait until the import's transaction holds the write lock (another writer is refused), then a little longer
    const probe = new Database(big.file, { timeout: 0 });
    const writing = () => {
      try {
        probe.exec("begin immediate; rollback");
        return false;
      } catch {
        return true;
      }
    };
    const started = Date.now();
    while (!done && !writing() && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 5));
    probe.close();
    await new Promise((r) => setTimeout(r, 400));
    expect(done, "the import was still running when killed").toBe(false);
    child.kill("SIGKILL");
    expect((await exited).signal).toBe("SIGKILL");
    expect(() => process.kill(child.pid!, 0), "the importing process is gone").toThrow();

    // a new connection, as after a crash: SQLite rolls the unfinished transaction back
    const reopened = new Database(big.file);
    try {
      expect(reopened.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(counts(reopened)).toEqual(before.counts);
      expect(checksum(reopened)).toBe(before.sum);
    } finally {
      reopened.close();
    }
    expect(await derivedMismatches(sqlite)).toEqual([]);
  });

  it("10,000 rows: timed (printed), every row in, derived tables exact", async () => {
    const sqlite = big.db.$client;
    const before = counts(sqlite);
    const t0 = performance.now();
    const parsed = await parseImportFile(new Uint8Array(fs.readFileSync(file10k)), "10k.csv");
    const t1 = performance.now();
    const report = await commitImport(engineOf(big), parsed, options(), "importer");
    const t2 = performance.now();
    const seconds = (t2 - t0) / 1000;
    console.log(`import of 10,000 rows into a ${before.cases.toLocaleString("en-US")}-case database: parse ${((t1 - t0) / 1000).toFixed(2)} s, `
      + `validate + write ${((t2 - t1) / 1000).toFixed(2)} s, total ${seconds.toFixed(2)} s = ${Math.round(10_000 / seconds)} rows/s`);
    expect(report).toMatchObject({ committed: true, creates: 10_000, rejected: [] });
    expect(counts(sqlite).cases).toBe(before.cases + 10_000);
    expect(await derivedMismatches(sqlite)).toEqual([]);
  });

  it("the CLI prints the report and exits 1 on a rejected row, 0 with --skip-invalid, 2 for usage", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(TSX, ["scripts/import.ts", ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${big.file}` } });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.on("exit", (code) => resolve({ code, out }));
      });
    const [header, ...rows] = parseCsv(fs.readFileSync(file10k, "utf8")).filter((r) => r.length > 1);
    const pieces = header!.indexOf("Pieces");
    const small = path.join(work, "small.csv");
    const fresh = (i: number) => [`0000-3200-${String(i).padStart(4, "0")}`, ...rows[i]!.slice(1)];
    fs.writeFileSync(small, csvFile(header!, [fresh(0), fresh(1).map((c, i) => (i === pieces ? "0" : c))]));
    const before = counts(big.db.$client).cases;
    const dry = await run([small, "--dry-run"]);
    expect(dry.code).toBe(1);
    expect(dry.out).toContain("row 3, Pieces: pieces_min");
    expect(dry.out).toContain("1 case would be created");
    const skip = await run([small, "--skip-invalid"]);
    expect(skip.code).toBe(0);
    expect(counts(big.db.$client).cases).toBe(before + 1);
    expect((await run([])).code).toBe(2);
    expect((await run([small, "--bogus"])).code).toBe(2);
  });
});

// ---- PostgreSQL: the same import into the other engine ----------------------------------------

/** Every case with its values and its right holders' names, by case number (no ids, no times), on either engine. */
async function casesOfEngine(e: Engine): Promise<Map<string, Record<string, unknown>>> {
  const rows = await e.all<Record<string, unknown>>(sql`select c.id, c.case_no, o.code as office, c.seized_on, c.infringement_type, c.goods_category, c.goods_description, c.pieces,
      c.value_fen, c.direction, c.channel, c.transport, c.protection_mode, c.origin_country, c.destination_country,
      p.code as campaign, c.status, c.disposal, c.hearing_held, c.referred_to_police, c.penalty_fen, c.notes, c.deleted_at
    from cases c join customs_offices o on o.id = c.office_id left join campaigns p on p.id = c.campaign_id order by c.case_no`);
  const names = new Map<number, string[]>();
  for (const l of await e.all<{ c: number; name: string }>(sql`select l.case_id as c, h.name from case_right_holders l join right_holders h on h.id = l.right_holder_id order by h.name`)) {
    names.set(l.c, [...(names.get(l.c) ?? []), l.name]);
  }
  return new Map(rows.map(({ id, ...r }) => [r.case_no as string, {
    ...r, hearing_held: Number(r.hearing_held), referred_to_police: Number(r.referred_to_police), holders: (names.get(id as number) ?? []).join("|"),
  }]));
}

async function tableDigest(e: Engine): Promise<string> {
  const hash = createHash("sha256");
  for (const query of [
    sql`select * from cases order by id`,
    sql`select * from case_right_holders order by case_id, right_holder_id`,
    sql`select * from right_holders order by id`,
    sql`select id, at, user_id, action, entity, entity_id, cast(before as text), cast(after as text) from audit_log order by id`,
  ]) {
    for (const row of await e.all(query)) hash.update(JSON.stringify(row));
  }
  hash.update(await traceDigest(e)); // the change log and the search documents
  return hash.digest("hex");
}

describe("the import on PostgreSQL", () => {
  let pg: FreshEngine;
  let parsed: ParsedFile;
  const filters: Filters = { ...EMPTY_FILTERS, type: ["trademark", "design_patent"], from: "2016-01-01" };
  const pgCounts = async () => {
    const n = async (table: string) => Number((await pg.e.get<{ n: number }>(sql.raw(`select count(*) as n from ${table}`)))!.n);
    return { cases: await n("cases"), links: await n("case_right_holders"), holders: await n("right_holders"), audit: await n("audit_log"), search: await n("cases_search") };
  };

  beforeAll(async () => {
    pg = await freshEngine("postgres", "import-pg");
    await seedReferenceOnly(pg.e);
    parsed = await parsedOf(await exportBytes(source, filters, "csv", "en"));
  }, 120_000);
  afterAll(() => pg?.close());

  it("an export re-imported creates the same cases, each with its search documents and one 'import' audit entry", async () => {
    const report = await commitImport(pg.e, parsed, options(), "importer");
    expect(report).toMatchObject({ committed: true, rejected: [] });
    const want = await casesOfEngine(sqliteEngine(source.db));
    const caseNos = new Set(parsed.rows.map((r) => r.cells[0]!));
    const exported = new Map([...want].filter(([k]) => caseNos.has(k)));
    expect(report.creates).toBe(exported.size);
    expect(await casesOfEngine(pg.e)).toEqual(exported);
    expect(await searchMismatches(pg.e)).toEqual([]);
    expect(await pg.e.get(sql`select count(*) as n, min(action) as a, max(action) as b, min(user_id) as u from audit_log where entity = 'case'`))
      .toEqual({ n: exported.size, a: "import", b: "import", u: "importer" });
    const some = [...exported.keys()][3]!;
    expect((await searchIds(pg.e, some)).length).toBe(1);
    // the change log names every case written (or, for a bulk load, everything), and is not left paused
    const logged = new Set((await pg.e.all<{ c: number }>(sql`select case_id as c from case_changes`)).map((r) => Number(r.c)));
    const written = (await pg.e.all<{ id: number }>(sql`select id from cases`)).map((r) => r.id);
    expect(logged.has(0) || written.every((id) => logged.has(id))).toBe(true);
    expect(await pg.e.get(sql`select 1 from app_meta where key = 'case_changes'`)).toBeUndefined();
  });

  it("the same file again is refused row by row as existing, and with --update updates each case", async () => {
    const plan = await planImport(pg.e, parsed, options());
    expect(plan.creates).toBe(0);
    expect(new Set(plan.rejected.map((r) => r.reason))).toEqual(new Set(["exists"]));
    const value = parsed.header.indexOf("Value (RMB)");
    const few: ParsedFile = { ...parsed, rows: parsed.rows.slice(0, 40).map((r) => ({ row: r.row, cells: r.cells.map((c, i) => (i === value ? "1.01" : c)) })) };
    const before = await pgCounts();
    const result = await commitImport(pg.e, few, options({ update: true }), "importer");
    expect(result).toMatchObject({ committed: true, creates: 0, updates: 40, rejected: [] });
    const rows = await pg.e.all<{ v: number; version: number }>(sql`select value_fen as v, version from cases where ${pg.e.say.inList(sql`case_no`, few.rows.map((r) => r.cells[0]!))}`);
    expect(rows.every((r) => r.v === 101 && r.version === 2)).toBe(true);
    expect(await pgCounts()).toEqual({ ...before, audit: before.audit + 40 });
    expect(await searchMismatches(pg.e)).toEqual([]);
  });

  it("a file with one bad row changes nothing; with skip-invalid and create-holders the good rows and a new right holder go in", async () => {
    const header = parsed.header;
    const col = (name: string) => header.indexOf(name);
    const good = parsed.rows.slice(0, 6).map((r, i) => [`0000-2998-${String(i).padStart(4, "0")}`, ...r.cells.slice(1)]);
    const bad = [...good.slice(0, 3), good[3]!.map((c, i) => (i === col("Pieces") ? "0" : c)), ...good.slice(4)];
    const before = { counts: await pgCounts(), sum: await tableDigest(pg.e) };
    const refused = await commitImport(pg.e, await parsedOf(csvFile(header, bad)), options(), "importer");
    expect(refused.committed).toBe(false);
    expect(refused.rejected.map((r) => [r.row, r.reason])).toEqual([[5, "pieces_min"]]);
    expect(await pgCounts()).toEqual(before.counts);
    expect(await tableDigest(pg.e)).toBe(before.sum);

    const rows = [good[0]!, bad[3]!, good[2]!.map((c, i) => (i === col("Right holders") ? "Brand New Holder Co; " + c : c))];
    const report = await commitImport(pg.e, await parsedOf(csvFile(header, rows)), options({ skipInvalid: true, createHolders: true }), "importer");
    expect(report).toMatchObject({ committed: true, creates: 2, holdersToCreate: ["Brand New Holder Co"] });
    expect(await pgCounts()).toMatchObject({ cases: before.counts.cases + 2, holders: before.counts.holders + 1, audit: before.counts.audit + 3 });
    const holder = await pg.e.get<{ id: number; country: string }>(sql`select id, country from right_holders where name = 'Brand New Holder Co'`);
    expect(holder!.country).toBe("ZZ");
    expect(await searchIds(pg.e, "Brand New Holder Co")).toHaveLength(1);
    expect(await searchMismatches(pg.e)).toEqual([]);
  });

  it("the CLI imports into PostgreSQL; killed with kill -9 in the middle of a large import it leaves the database exactly as before", async () => {
    const all = parseCsv(new TextDecoder().decode(await exportBytes(source, EMPTY_FILTERS, "csv", "en")));
    const [header, ...rows] = all.filter((r) => r.length > 1);
    const big = path.join(work, "pg-20k.csv");
    fs.writeFileSync(big, csvFile(header!, Array.from({ length: 20_000 }, (_, i) => [`0000-${3300 + Math.floor(i / 10_000)}-${String(i % 10_000).padStart(4, "0")}`, ...rows[i % rows.length]!.slice(1)])));
    const before = { counts: await pgCounts(), sum: await tableDigest(pg.e) };
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/import.ts", big], { cwd: ROOT, env: { ...process.env, DATABASE_URL: pg.url }, stdio: "ignore" });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    let done = false;
    void exited.then(() => (done = true));
    // wait until the import writes (a COPY of its transaction runs on the server), then kill it
    const started = Date.now();
    for (;;) {
      const copying = await pg.e.get(sql`select 1 from pg_stat_activity where datname = current_database() and query like 'copy %' and state = 'active'`);
      if (copying || done || Date.now() - started > 120_000) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(done, "the import ended before it was killed").toBe(false);
    child.kill("SIGKILL");
    expect((await exited).signal).toBe("SIGKILL");
    expect(await pgCounts()).toEqual(before.counts);
    expect(await tableDigest(pg.e)).toBe(before.sum);

    // and run whole, it prints its report and writes every row
    const small = path.join(work, "pg-small.csv");
    fs.writeFileSync(small, csvFile(header!, Array.from({ length: 30 }, (_, i) => [`0000-3400-${String(i).padStart(4, "0")}`, ...rows[i]!.slice(1)])));
    const out = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const run = spawn(TSX, ["scripts/import.ts", small], { cwd: ROOT, env: { ...process.env, DATABASE_URL: pg.url } });
      let text = "";
      run.stdout.on("data", (d) => (text += d));
      run.stderr.on("data", (d) => (text += d));
      run.on("exit", (code) => resolve({ code, out: text }));
    });
    expect(out.code, out.out).toBe(0);
    expect(await pgCounts()).toMatchObject({ cases: before.counts.cases + 30 });
    expect(await searchMismatches(pg.e)).toEqual([]);
  }, 180_000);
});
