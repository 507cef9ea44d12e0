import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJson, type Engine } from "../../db/engine";
import { casePartiesForDisplay } from "../../db/parties";
import { loadStoredCase, writeCases } from "../../db/writer";
import { PARTY_FIELDS, withBlanks, type CaseInput } from "../../lib/case-definition";
import { idCheckChar } from "../../lib/parties";
import { seedDatabase } from "../../seed/run";
import { eraseExpired, partyIdRetention, retentionCutoff, setPartyIdRetention } from "../../db/party-erasure";
import { YUNNAN_BORDER_PORTS } from "../../lib/enums";
import { commitImport } from "../../db/import";
import { openExportCursor } from "../../db/queries/export";
import { csvStream } from "../../lib/export-stream";
import { DEFAULT_SORT, EMPTY_FILTERS, parseFilters, type Filters } from "../../lib/filters";
import { caseTotals } from "../../db/queries/totals";
import { getDashboardStats } from "../../db/queries/stats";
import { listCases } from "../../db/queries/cases";
import { parseImportFile } from "../../lib/import/parse";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";

// The parties of a case on both engines (issue 18): written and read through the one writer,
// one party row however many cases name it, a person's identity number never in clear in the
// database, the audit log or what a non-admin reads.

const PERSON_ID = (() => {
  const first17 = "53010219850315" + "471";
  return first17 + idCheckChar(first17);
})();
const USCC = "914403001922038216";

describe.each(ENGINES)("parties on %s", (dialect) => {
  let fresh: FreshEngine;
  let e: Engine;
  let base: CaseInput;

  beforeAll(async () => {
    fresh = await freshEngine(dialect, "parties");
    e = fresh.e;
    await seedDatabase(e, { cases: 1000, seed: 5 });
    const [row] = await e.all<{ id: number }>(sql`select id from cases order by id limit 1`);
    const stored = (await loadStoredCase(e, row!.id))!;
    const { version: _v, updatedBy: _u, updatedAt: _a, deletedAt: _d, ...values } = stored;
    // a seeded case's values without its parties (the tests name their own)
    base = { ...values, ...Object.fromEntries(PARTY_FIELDS.map((f) => [f.key, null])), caseNo: "", recordationIds: [] } as CaseInput;
  }, 180_000);
  afterAll(async () => fresh?.close());

  let n = 0;
  const count = async (q: ReturnType<typeof sql>) => Number((await e.get<{ n: number }>(q))!.n);
  const idOf = (first15: string) => {
    const first17 = first15 + String(n % 100).padStart(2, "0");
    return first17 + idCheckChar(first17);
  };
  const newCase = (extra: Partial<CaseInput>): CaseInput => ({ ...base, caseNo: `9${dialect === "sqlite" ? 1 : 2}00-2024-${String(++n).padStart(4, "0")}`, ...extra });

  it("writes a case's parties and route and reads them back as entered", async () => {
    const input = newCase({
      consignorKind: "enterprise", consignorName: "Shenzhen Example Trading Co.", consignorCode: USCC, consignorAddress: "1 Example Road, Shenzhen",
      consigneeKind: "person", consigneeName: "Li Si", consigneeCode: PERSON_ID, consigneeAddress: "12 Border Street, Ruili",
      declarantKind: "foreign", declarantName: "Mandalay Freight Ltd", declarantCode: "MM123456",
      loadingPlace: "Muse", port: "ruili", hsHeading: "6403", declaredDescription: "Sports shoes, unbranded",
    });
    const { cases: [written] } = await writeCases(e, [{ op: "create", input }], { userId: null });
    const stored = (await loadStoredCase(e, written!.id))!;
    expect(stored).toMatchObject({ ...withBlanks(input), rightHolderIds: [...input.rightHolderIds].sort((a, b) => a - b) });
    expect(stored.consigneeCode).toBe(PERSON_ID);

    // the number is nowhere in clear: not in the parties table, the audit log or the search documents
    const text = JSON.stringify(await e.all(sql`select * from parties`)) + JSON.stringify(await e.all(sql`select * from audit_log`));
    expect(text).not.toContain(PERSON_ID);
    expect(text).toContain("5301**********" + PERSON_ID.slice(-4));

    const shown = await casePartiesForDisplay(e, written!.id, { full: false });
    expect(shown.map((p) => [p.role, p.kind, p.code])).toEqual([
      ["consignor", "enterprise", USCC], ["consignee", "person", "5301**********" + PERSON_ID.slice(-4)], ["declarant", "foreign", "MM123456"],
    ]);
    expect((await casePartiesForDisplay(e, written!.id, { full: true }))[1]!.code).toBe(PERSON_ID);
  });

  it("links a repeat party to its one row: the same code, the same person's number", async () => {
    const a = newCase({ consigneeKind: "person", consigneeName: "Li Si", consigneeCode: PERSON_ID, declarantKind: "enterprise", declarantName: "Huawei", declarantCode: USCC });
    const { cases: [w] } = await writeCases(e, [{ op: "create", input: a }], { userId: null });
    const rows = await e.all<{ role: string; n: number }>(sql`select cp.role, (select count(*) from case_parties x where x.party_id = cp.party_id) as n
      from case_parties cp where cp.case_id = ${w!.id} order by cp.role`);
    expect(rows.map((r) => [r.role, Number(r.n)])).toEqual([["consignee", 2], ["declarant", 2]]);
  });

  it("an edit replaces the links and audits the change with the number masked; no party leaves the case blank", async () => {
    const input = newCase({ consigneeKind: "person", consigneeName: "Wang Wu", consigneeCode: PERSON_ID });
    const { cases: [w] } = await writeCases(e, [{ op: "create", input }], { userId: null });
    const edited = { ...input, consigneeKind: null, consigneeName: null, consigneeCode: null, port: "hekou" as const };
    await writeCases(e, [{ op: "update", id: w!.id, expectedVersion: 1, input: edited }], { userId: null });
    const stored = (await loadStoredCase(e, w!.id))!;
    expect(stored.consigneeKind).toBeNull();
    expect(stored.port).toBe("hekou");
    const [entry] = await e.all<{ before: unknown; after: unknown }>(sql`select before, after from audit_log where entity = 'case' and entity_id = ${w!.id} and action = 'update'`);
    const before = parseJson<Record<string, unknown>>(entry!.before);
    expect(before.consigneeCode).toBe("5301**********" + PERSON_ID.slice(-4));
    expect(parseJson<Record<string, unknown>>(entry!.after).port).toBe("hekou");
  });

  /** The CSV export of one case (English headers), as the import reads it. */
  const exported = async (caseNo: string) => {
    const cursor = await openExportCursor(e, { ...EMPTY_FILTERS, q: caseNo }, { key: "caseNo", dir: "asc" });
    const bytes = new Uint8Array(await new Response(csvStream(cursor.rows, "en", cursor.close)).arrayBuffer());
    const parsed = await parseImportFile(bytes, "cases.csv");
    return parsed;
  };
  const importOptions = { update: false, skipInvalid: false, createHolders: false };

  it("exports the parties and route in the definition's columns and imports them back as they were", async () => {
    const input = newCase({
      consignorKind: "enterprise", consignorName: "Yunnan Example Import Co.", consignorCode: "91350100M000100Y43", consignorAddress: "8 Dianchi Road, Kunming",
      declarantKind: "foreign", declarantName: "Lao Border Agency", declarantCode: "LA7788",
      loadingPlace: "Boten", port: "mohan", hsHeading: "8517", declaredDescription: "Phone accessories",
    });
    const { cases: [w] } = await writeCases(e, [{ op: "create", input }], { userId: null });
    const parsed = await exported(input.caseNo);
    expect(parsed.rows).toHaveLength(1);
    const copyNo = input.caseNo.replace(/^9/, "8");
    parsed.rows[0]!.cells[0] = copyNo;
    const report = await commitImport(e, parsed, importOptions, null);
    expect(report.rejected).toEqual([]);
    const [copy] = await e.all<{ id: number }>(sql`select id from cases where case_no = ${copyNo}`);
    const a = (await loadStoredCase(e, w!.id))!;
    const b = (await loadStoredCase(e, copy!.id))!;
    for (const key of ["consignorKind", "consignorName", "consignorCode", "consignorAddress", "consigneeKind", "declarantKind", "declarantName", "declarantCode", "loadingPlace", "port", "hsHeading", "declaredDescription"] as const) {
      expect(b[key], key).toEqual(a[key]);
    }
  });

  it("exports a person's identity number masked only; imported back, the person comes without it, and an update keeps the stored one", async () => {
    const input = newCase({ consigneeKind: "person", consigneeName: "Zhao Liu", consigneeCode: PERSON_ID });
    const { cases: [w] } = await writeCases(e, [{ op: "create", input }], { userId: null });
    const parsed = await exported(input.caseNo);
    expect(JSON.stringify(parsed.rows)).not.toContain(PERSON_ID);
    expect(JSON.stringify(parsed.rows)).toContain("5301**********" + PERSON_ID.slice(-4));
    // as a new case: the person without a number
    const copyNo = input.caseNo.replace(/^9/, "7");
    const copy = { ...parsed, rows: parsed.rows.map((r) => ({ ...r, cells: [copyNo, ...r.cells.slice(1)] })) };
    const report = await commitImport(e, copy, importOptions, null);
    expect(report.rejected).toEqual([]);
    const [c] = await e.all<{ id: number }>(sql`select id from cases where case_no = ${copyNo}`);
    expect((await loadStoredCase(e, c!.id))!).toMatchObject({ consigneeKind: "person", consigneeName: "Zhao Liu", consigneeCode: null });
    // as an update of the case itself: its number kept
    const updated = await commitImport(e, parsed, { ...importOptions, update: true }, null);
    expect(updated.rejected).toEqual([]);
    expect((await loadStoredCase(e, w!.id))!.consigneeCode).toBe(PERSON_ID);
    expect(JSON.stringify(await e.all(sql`select * from audit_log`))).not.toContain(PERSON_ID);
  });

  it("filters by port, HS heading and party name or code: the table, the totals and the dashboard agree with SQL", async () => {
    const count = async (q: ReturnType<typeof sql>) => Number((await e.get<{ n: number }>(q))!.n);
    const agree = async (filters: Filters, direct: number) => {
      expect(direct).toBeGreaterThan(0);
      expect((await caseTotals(e, filters)).cases).toBe(direct);
      expect((await getDashboardStats(e, filters)).kpis.cases).toBe(direct);
      expect((await listCases(e, { filters, page: 1, size: 200, sort: DEFAULT_SORT })).total).toBe(direct);
    };
    const f = (query: string) => parseFilters(new URLSearchParams(query)).filters;
    await agree(f("port=ruili&port=mohan"), await count(sql`select count(*) as n from cases where deleted_at is null and port in ('ruili', 'mohan')`));
    await agree(f("hs=8517"), await count(sql`select count(*) as n from cases where deleted_at is null and hs_heading = '8517'`));
    await agree(f("party=example"), await count(sql`select count(*) as n from cases c where deleted_at is null and exists
      (select 1 from case_parties cp join parties p on p.id = cp.party_id where cp.case_id = c.id and lower(p.name) like '%example%')`));
    await agree(f(`party=${USCC}`), await count(sql`select count(*) as n from cases c where deleted_at is null and exists
      (select 1 from case_parties cp join parties p on p.id = cp.party_id where cp.case_id = c.id and p.code = ${USCC})`));
    // with another filter beside it, and with a text search beside it
    const withText = f("port=ruili&q=shoes");
    expect((await caseTotals(e, withText)).cases).toBe((await listCases(e, { filters: withText, page: 1, size: 200, sort: DEFAULT_SORT })).total);
    // a person's identity number selects nothing
    expect((await caseTotals(e, f(`party=${PERSON_ID}`))).cases).toBe(0);
    expect(parseFilters(new URLSearchParams("hs=64031")).ignored.map((i) => i.reason)).toEqual(["hs"]);
  });

  it("filters by origin country: the table, its totals, the dashboard and a member's scope select exactly the cases of origin_country in (…)", async () => {
    const f = (query: string) => parseFilters(new URLSearchParams(query)).filters;
    /** Every case id the table's query selects, page by page as the table reads them. */
    const tableIds = async (filters: Filters, options = {}) => {
      const ids: number[] = [];
      for (let page = 1; ; page++) {
        const result = await listCases(e, { filters, page, size: 200, sort: { key: "caseNo", dir: "asc" } }, options);
        ids.push(...result.rows.map((r) => r.id));
        if (result.rows.length < 200) return ids.sort((a, b) => a - b);
      }
    };
    const sqlIds = async (where: ReturnType<typeof sql>) =>
      (await e.all<{ id: number }>(sql`select c.id as id from cases c where c.deleted_at is null and ${where} order by c.id`)).map((r) => Number(r.id));
    const figures = async (where: ReturnType<typeof sql>) => {
      const row = (await e.get<{ n: number; p: number; v: number }>(sql`select count(*) as n, coalesce(sum(c.pieces), 0) as p, coalesce(sum(c.value_fen), 0) as v
        from cases c where c.deleted_at is null and ${where}`))!;
      return { cases: Number(row.n), pieces: Number(row.p), valueFen: Number(row.v) };
    };
    const origins = (await e.all<{ code: string }>(sql`select origin_country as code from cases where deleted_at is null and origin_country is not null
      and origin_country <> 'CN' group by origin_country order by count(*) desc, origin_country`)).map((r) => r.code);
    expect(origins.length).toBeGreaterThan(2);
    const [a, b] = origins as [string, string];
    for (const [query, where] of [
      [`origin=${a}`, sql`c.origin_country in (${a})`],
      [`origin=${a}&origin=${b.toLowerCase()}`, sql`c.origin_country in (${a}, ${b})`],
      ["origin=CN", sql`c.origin_country in ('CN')`],
      [`origin=${a}&type=trademark`, sql`c.origin_country in (${a}) and c.infringement_type = 'trademark'`],
      [`origin=${a}&origin=CN&port=ruili&port=mohan&port=hekou`, sql`c.origin_country in (${a}, 'CN') and c.port in ('ruili', 'mohan', 'hekou')`],
    ] as const) {
      const filters = f(query);
      const ids = await sqlIds(where);
      expect(ids.length, query).toBeGreaterThan(0);
      expect(await tableIds(filters), query).toEqual(ids);
      const direct = await figures(where);
      expect({ ...(await caseTotals(e, filters)) }, query).toEqual(direct);
      const kpis = (await getDashboardStats(e, filters)).kpis;
      expect({ cases: kpis.cases, pieces: kpis.pieces, valueFen: kpis.valueFen }, query).toEqual(direct);
    }
    // an origin no case has selects nothing, and an unknown code is ignored (and named), not applied
    expect((await caseTotals(e, f("origin=AQ"))).cases).toBe(0);
    const unknown = parseFilters(new URLSearchParams("origin=QQ"));
    expect(unknown.ignored).toEqual([{ parameter: "origin", value: "QQ", reason: "country" }]);
    expect(unknown.filters.origin).toEqual([]);
    // a member's scope: only its own company's cases of that origin
    const [holder] = await e.all<{ id: number }>(sql`select l.right_holder_id as id from case_right_holders l join cases c on c.id = l.case_id
      where c.origin_country = ${a} group by 1 order by count(*) desc, 1 limit 1`);
    const own = { restrictToHolders: [Number(holder!.id)] };
    const mine = sql`c.origin_country in (${a}) and c.id in (select case_id from case_right_holders where right_holder_id = ${Number(holder!.id)})`;
    const ids = await sqlIds(mine);
    expect(ids.length).toBeGreaterThan(0);
    expect(await tableIds(f(`origin=${a}`), own)).toEqual(ids);
    expect({ ...(await caseTotals(e, f(`origin=${a}`), own)) }).toEqual(await figures(mine));
    // the export of exactly the filtered set
    const cursor = await openExportCursor(e, f(`origin=${a}&origin=${b}`), { key: "caseNo", dir: "asc" });
    const exported: string[] = [];
    try {
      for (let r = await cursor.rows.next(); !r.done; r = await cursor.rows.next()) exported.push(String(r.value.originCountry));
    } finally {
      cursor.close();
    }
    expect(exported.length).toBe((await sqlIds(sql`c.origin_country in (${a}, ${b})`)).length);
    expect(new Set(exported)).toEqual(new Set([a, b]));
  });

  it("the demo names parties with valid codes, repeat offenders, shared addresses and agents, and Kunming's border ports", async () => {
    const kunming = await e.all<{ port: string | null; n: number }>(sql`select c.port, count(*) as n from cases c join customs_offices o on o.id = c.office_id
      left join customs_offices d on d.id = o.district_id where coalesce(d.code, o.code) = '8600' group by c.port`);
    const total = kunming.reduce((a, r) => a + Number(r.n), 0);
    const border = kunming.filter((r) => (YUNNAN_BORDER_PORTS as readonly string[]).includes(r.port ?? "")).reduce((a, r) => a + Number(r.n), 0);
    expect(border / total).toBeGreaterThan(0.5);
    // repeat consignees, and addresses and agents shared by several consignees
    const repeats = await e.get<{ n: number }>(sql`select count(*) as n from (select party_id from case_parties where role = 'consignee' group by party_id having count(*) >= 3) x`);
    expect(Number(repeats!.n)).toBeGreaterThan(5);
    const shared = await e.get<{ n: number }>(sql`select count(*) as n from (select address from parties where address is not null group by address having count(*) >= 3) x`);
    expect(Number(shared!.n)).toBeGreaterThan(2);
    // every enterprise's code passes the check (the writer was told the seed checked them)
    const { usccProblem } = await import("../../lib/party-codes");
    const codes = await e.all<{ code: string }>(sql`select code from parties where kind = 'enterprise' and code is not null`);
    expect(codes.length).toBeGreaterThan(10);
    expect(codes.filter((c) => usccProblem(c.code) !== null)).toEqual([]);
    // a person's number is stored sealed only
    const persons = await e.all<{ sealed: string | null; masked: string | null }>(sql`select id_sealed as sealed, id_masked as masked from parties where kind = 'person' and id_sealed is not null`);
    expect(persons.length).toBeGreaterThan(5);
    for (const p of persons) expect(p.masked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
  });

  it("erases the identity numbers of persons whose last case is older than the retention, with one audit entry; newer ones stay", async () => {
    expect(retentionCutoff("2026-03-31", 1)).toBe("2026-02-28");
    expect(retentionCutoff("2026-12-01", 36)).toBe("2023-12-01");
    expect(await partyIdRetention(e)).toBeNull();
    expect((await eraseExpired(e, "2026-12-01", null)).erased).toBe(0); // no period set: nothing
    const old = newCase({ seizedOn: "2016-03-01", consigneeKind: "person", consigneeName: "Old Person", consigneeCode: idOf("530102197001010") });
    const recent = newCase({ seizedOn: "2026-11-01", consigneeKind: "person", consigneeName: "New Person", consigneeCode: idOf("530102198001010") });
    const { cases: [o, r] } = await writeCases(e, [{ op: "create", input: old }, { op: "create", input: recent }], { userId: null });
    const audits = await count(sql`select count(*) as n from audit_log where entity = 'party_ids'`);
    const result = await setPartyIdRetention(e, 24, "admin-1", "2026-12-01");
    expect(result.erased).toBeGreaterThan(0);
    expect(result.cutoff).toBe("2024-12-01");
    const oldShown = (await casePartiesForDisplay(e, o!.id, { full: true }))[0]!;
    expect(oldShown).toMatchObject({ name: "Old Person", code: null, erased: true });
    expect((await loadStoredCase(e, o!.id))!.consigneeCode).toBeNull();
    expect((await casePartiesForDisplay(e, r!.id, { full: true }))[0]!.code).toBe(recent.consigneeCode);
    // no person seized before the cutoff keeps a number; the audit says how many, never a number
    expect(await count(sql`select count(*) as n from parties p where p.kind = 'person' and p.id_sealed is not null and not exists
      (select 1 from case_parties cp join cases c on c.id = cp.case_id where cp.party_id = p.id and c.seized_on >= '2024-12-01')`)).toBe(0);
    const entries = await e.all<{ action: string; after: unknown; before: unknown }>(sql`select action, before, after from audit_log where entity = 'party_ids' order by id`);
    expect(entries.length).toBe(audits + 2); // the period set, and the erasure
    const erasure = entries[entries.length - 1]!;
    expect(erasure.action).toBe("delete");
    expect(parseJson<{ erased: number }>(erasure.after).erased).toBe(result.erased);
    expect(JSON.stringify(entries)).not.toContain(old.consigneeCode!);
    // run again: nothing more to erase, no new entry
    expect((await eraseExpired(e, "2026-12-01", null)).erased).toBe(0);
    expect(await count(sql`select count(*) as n from audit_log where entity = 'party_ids'`)).toBe(audits + 2);
  });
});
