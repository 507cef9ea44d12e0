import { inflateRawSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { csvLine, UTF8_BOM } from "../../lib/csv";
import { exportHeader } from "../../lib/export-columns";
import { baseURL, demoEmail, openTestDatabase, sessionCookie, type DemoRole } from "./support";

// The adversarial member suite (DESIGN.md "Access rules", issue 13 items 1–3), over real HTTP
// against the started server, as member@demo.test. For a sample of cases that do not name the
// member's company, every route and parameter a member can call — narrow dates, one office or
// district, `q` with the case number or a goods word, `holder` and `industry` of that case,
// pairs of requests whose difference would be that case — reveals neither the case nor its
// figures; and no other right holder's name (English or Chinese) appears in any body the
// member receives: HTML with its RSC payload, JSON, CSV, XLSX (its sheets' XML), errors and
// titles. The member's own figures equal plain SQL over its own cases.

type Row = Record<string, unknown>;
const db = <T>(query: string, ...params: unknown[]): T[] => {
  const d = openTestDatabase();
  try {
    return d.prepare(query).all(...params) as T[];
  } finally {
    d.close();
  }
};

let own = { id: 0, name: "", nameZh: "", industry: "" };
/** Every other right holder's full names, English and Chinese. */
let otherNames: string[] = [];
type Sample = { id: number; caseNo: string; seizedOn: string; office: string; district: string; holders: number[]; industry: string; goodsWord: string };
let samples: Sample[] = [];

// ---- reading what the member receives ------------------------------------------------------

/** The files of a zip (XLSX) archive, by name, read from its central directory. */
function unzip(buffer: Buffer): Map<string, string> {
  const files = new Map<string, string>();
  let end = buffer.length - 22;
  while (end >= 0 && buffer.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error("not a zip file");
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extra = buffer.readUInt16LE(at + 30);
    const comment = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(start, start + size);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString("utf8"));
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

/** Text as a reader would see it: HTML entities, JSON and JS escapes undone. */
function readable(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\"/g, '"')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** The other companies' names found in a text (one scan, names looked up by their first two characters). */
function namesIn(text: string): string[] {
  const found = new Set<string>();
  for (let i = 0; i < text.length - 1; i++) {
    const candidates = byPrefix.get(text.slice(i, i + 2));
    if (!candidates) continue;
    for (const name of candidates) if (text.startsWith(name, i)) found.add(name);
  }
  return [...found];
}
let byPrefix = new Map<string, string[]>();

type Answer = { status: number; type: string; text: string; json: () => Row };

/** A GET as a role; the body as text (an XLSX as the XML of its sheets), checked for other names when a member reads it. */
async function get(path: string, role: DemoRole = "member", headers: Record<string, string> = {}): Promise<Answer> {
  const init = { headers: { cookie: await sessionCookie(role), ...headers }, redirect: "manual" as const };
  let response = await fetch(`${baseURL()}${path}`, init);
  // Next answers a flight (RSC) request without its cache-busting `_rsc` parameter with a redirect to the URL with it
  const location = response.headers.get("location");
  if (headers.RSC && response.status === 307 && location) response = await fetch(new URL(location, baseURL()), init);
  const type = response.headers.get("content-type") ?? "";
  const raw = Buffer.from(await response.arrayBuffer());
  const text = type.includes("spreadsheetml") ? [...unzip(raw).values()].join("\n") : raw.toString("utf8");
  if (role === "member") expect(namesIn(readable(text)), `other companies named in ${path}`).toEqual([]);
  return { status: response.status, type, text, json: () => JSON.parse(text) as Row };
}

/** Requests a few at a time (two server processes). */
async function all<T>(tasks: (() => Promise<T>)[], width = 3): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  }));
  return out;
}

const query = (params: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p.toString();
};

// ---- the member, the other companies, and the sample of cases ------------------------------

beforeAll(async () => {
  own = db<typeof own>(`select h.id, h.name, h.name_zh as nameZh, h.industry from user u join right_holders h on h.id = u.holder_id
                        where u.email = ?`, demoEmail("member"))[0]!;
  const others = db<{ name: string; nameZh: string | null }>("select name, name_zh as nameZh from right_holders where id <> ?", own.id);
  // a name inside the member's own names would be found legitimately
  otherNames = others.flatMap((h) => [h.name, h.nameZh ?? ""]).filter((n) => n.length >= 4 && !own.name.includes(n) && !own.nameZh.includes(n));
  byPrefix = new Map();
  for (const name of otherNames) byPrefix.set(name.slice(0, 2), [...(byPrefix.get(name.slice(0, 2)) ?? []), name]);
  // cases that do not name the member, spread over the data, on a day and at an office where the
  // member has no case (so that every narrow answer for the member must be empty)
  const candidates = db<{ id: number; caseNo: string; seizedOn: string; office: string; district: string; goods: string; officeId: number }>(
    `select c.id, c.case_no as caseNo, c.seized_on as seizedOn, o.code as office, coalesce(d.code, o.code) as district,
            c.goods_description as goods, c.office_id as officeId
     from cases c join customs_offices o on o.id = c.office_id left join customs_offices d on d.id = o.district_id
     where c.deleted_at is null and c.id in (select id from cases where id % 1777 = 5)
       and c.id not in (select case_id from case_right_holders where right_holder_id = ?)
     order by c.id`, own.id);
  for (const c of candidates) {
    if (samples.length === 3) break;
    const mine = db<{ n: number }>(`select count(*) as n from cases x join case_right_holders l on l.case_id = x.id and l.right_holder_id = ?
      where x.deleted_at is null and x.seized_on = ?`, own.id, c.seizedOn)[0]!.n;
    if (mine > 0) continue;
    const holders = db<{ id: number; industry: string }>(`select h.id, h.industry from case_right_holders l join right_holders h on h.id = l.right_holder_id
      where l.case_id = ? order by h.id`, c.id);
    const industry = holders.find((h) => h.industry !== own.industry)?.industry;
    // a word of the goods that is not part of any company's name
    const goodsWord = c.goods.split(/[^A-Za-z]+/).find((w) => w.length >= 5 && !otherNames.some((n) => n.includes(w)) && !own.name.includes(w));
    if (!industry || !goodsWord) continue;
    samples.push({ id: c.id, caseNo: c.caseNo, seizedOn: c.seizedOn, office: c.office, district: c.district, holders: holders.map((h) => h.id), industry, goodsWord });
  }
  expect(samples.length).toBe(3);
  expect(otherNames.length).toBeGreaterThan(600);
});

/** The filters that single out a sample case (each one finds it for an analyst). */
function pinpoints(s: Sample): [string, Record<string, string | string[]>][] {
  const day = { from: s.seizedOn, to: s.seizedOn };
  return [
    ["its day and office", { ...day, office: s.office, district: s.district }],
    ["its case number", { q: s.caseNo }],
    ["its right holder on its day", { ...day, holder: String(s.holders[0]) }],
    ["its industry on its day in its district", { ...day, district: s.district, industry: s.industry }],
    ["a goods word on its day", { ...day, q: s.goodsWord }],
  ];
}

type Stats = { kpis: { cases: number; pieces: number; valueFen: number; rightHolders: number }; byIndustry: { value: string; cases: number }[]; byYear: unknown[]; byDistrict: unknown[] };

describe("a case of another company is invisible to a member", () => {
  it("each pinpointing request finds the case for an analyst (the probe is real)", async () => {
    const tasks = samples.flatMap((s) => pinpoints(s).map(([label, params]) => async () => {
      const stats = (await get(`/api/stats?${query(params)}`, "analyst")).json() as Stats;
      expect(stats.kpis.cases, `${s.caseNo}: ${label}`).toBeGreaterThanOrEqual(1);
    }));
    await all(tasks);
  });

  it("the JSON API, CSV and XLSX give the member nothing for it", async () => {
    const tasks = samples.flatMap((s) => pinpoints(s).flatMap(([label, params]) => [
      async () => {
        const stats = (await get(`/api/stats?${query(params)}`)).json() as Stats;
        expect(stats.kpis, `${s.caseNo}: ${label}`).toEqual({ cases: 0, pieces: 0, valueFen: 0, rightHolders: 0, avgValueFen: null });
        expect(stats.byYear).toEqual([]);
        expect(stats.byDistrict).toEqual([]);
        expect(stats.byIndustry.filter((r) => r.cases > 0)).toEqual([]);
      },
      async () => {
        const page = (await get(`/api/cases?${query(params)}`)).json() as { total: number; rows: unknown[] };
        expect({ total: page.total, rows: page.rows.length }, `${s.caseNo}: ${label}`).toEqual({ total: 0, rows: 0 });
      },
      async () => {
        const csv = await get(`/api/cases/export?${query({ ...params, format: "csv" })}`);
        expect(csv.status).toBe(200);
        expect(csv.text.trim().split(/\r?\n/), `${s.caseNo}: ${label}`).toHaveLength(1);
        expect(csv.text).not.toContain(s.caseNo);
      },
      async () => {
        const xlsx = await get(`/api/cases/export?${query({ ...params, format: "xlsx" })}`);
        expect(xlsx.status).toBe(200);
        if (!params.q) expect(xlsx.text, `${s.caseNo}: ${label}`).not.toContain(s.caseNo);
      },
    ]));
    await all(tasks);
    for (const s of samples) {
      const one = await get(`/api/cases/${s.id}`);
      expect(one.status).toBe(404);
      expect(one.json()).toEqual({ error: "not_found", message: "No such case." });
    }
  });

  it("the pages (HTML with their RSC payload) give the member nothing for it", async () => {
    const tasks = samples.flatMap((s) => pinpoints(s).filter(([label]) => label !== "a goods word on its day").flatMap(([label, params]) => [
      async () => {
        const home = await get(`/?${query(params)}`);
        expect(home.status).toBe(200);
        expect(home.text, `/ ${s.caseNo}: ${label}`).toContain('data-testid="dashboard-empty"');
        if (!params.q) expect(home.text).not.toContain(s.caseNo);
      },
      async () => {
        const list = await get(`/cases?${query(params)}`);
        expect(list.text, `/cases ${s.caseNo}: ${label}`).toContain('data-testid="empty-state"');
      },
      async () => {
        const holders = await get(`/right-holders?${query(params)}`);
        const rows = [...holders.text.matchAll(/data-holder="(\d+)"/g)].map((m) => Number(m[1]));
        expect(rows, `/right-holders ${s.caseNo}: ${label}`).toEqual([own.id]);
      },
      async () => {
        const districts = await get(`/districts?${query(params)}`);
        const figures = [...districts.text.matchAll(/data-figure="(?:cases|pieces)"[^>]*>(?:<a[^>]*>)?([^<]*)</g)].map((m) => m[1]);
        expect(figures.length).toBeGreaterThan(0);
        expect(new Set(figures), `/districts ${s.caseNo}: ${label}`).toEqual(new Set(["0"]));
      },
    ]));
    await all(tasks);
    for (const s of samples) {
      expect((await get(`/cases/${s.id}`)).status).toBe(404);
      expect((await get(`/right-holders/${s.holders[0]}`)).status).toBe(404);
      // the RSC payload a client navigation fetches
      const rsc = await get(`/?${query({ q: s.caseNo })}`, "member", { RSC: "1" });
      expect(rsc.status).toBe(200);
      expect(rsc.type).toContain("text/x-component");
      expect(rsc.text).toContain("dashboard-empty");
      const district = await get(`/districts/${s.district}?${query({ from: s.seizedOn, to: s.seizedOn })}`);
      expect(district.text).toContain('data-testid="dashboard-empty"');
    }
  });
});

// ---- the member's own figures, and pairs of requests -----------------------------------------

/** Cases, pieces and value of the member's own live cases under a SQL condition on c (case) and o/d (office, district). */
function ownFigures(where: string, ...params: unknown[]) {
  return db<{ cases: number; pieces: number; valueFen: number }>(`select count(*) as cases, coalesce(sum(c.pieces), 0) as pieces,
      coalesce(sum(c.value_fen), 0) as valueFen from cases c join customs_offices o on o.id = c.office_id
      left join customs_offices d on d.id = o.district_id
      where c.deleted_at is null and c.id in (select case_id from case_right_holders where right_holder_id = ?) and (${where})`, own.id, ...params)[0]!;
}

describe("a member's figures are its own cases' figures, whatever it asks", () => {
  it("broad and narrowed requests, and their differences, equal SQL over its own cases", async () => {
    const s = samples[0]!;
    const year = s.seizedOn.slice(0, 4);
    const dayBefore = new Date(Date.parse(`${s.seizedOn}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const requests: [Record<string, string | string[]>, string, unknown[]][] = [
      [{}, "1", []],
      [{ district: s.district }, "coalesce(d.code, o.code) = ?", [s.district]],
      [{ district: s.district, from: `${year}-01-01`, to: `${year}-12-31` }, "coalesce(d.code, o.code) = ? and c.seized_on between ? and ?", [s.district, `${year}-01-01`, `${year}-12-31`]],
      // the year without the sample's day: for an analyst the difference would include the sample case
      [{ district: s.district, from: `${year}-01-01`, to: dayBefore }, "coalesce(d.code, o.code) = ? and c.seized_on between ? and ?", [s.district, `${year}-01-01`, dayBefore]],
      [{ type: "trademark", from: "2016-01-01" }, "c.infringement_type = 'trademark' and c.seized_on >= '2016-01-01'", []],
      [{ holder: [String(own.id), String(s.holders[0])] }, "1", []],
      [{ industry: [own.industry, s.industry] }, "1", []],
      [{ industry: s.industry }, "0", []],
    ];
    await all(requests.map(([params, where, args]) => async () => {
      const stats = (await get(`/api/stats?${query(params)}`)).json() as Stats;
      const { cases, pieces, valueFen } = stats.kpis;
      expect({ cases, pieces, valueFen }, query(params)).toEqual(ownFigures(where, ...args));
      expect(stats.byIndustry.filter((r) => r.cases > 0).map((r) => r.value)).toEqual(cases ? [own.industry] : []);
      expect(stats.kpis.rightHolders).toBe(cases ? 1 : 0);
    }));
  });

  it("the holder facet and the right-holder page name its own company only", async () => {
    const home = await get("/");
    expect(readable(home.text)).toContain(own.name);
    expect((await get(`/right-holders/${own.id}`)).status).toBe(200);
    const holders = await get("/right-holders");
    expect([...holders.text.matchAll(/data-holder="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([own.id]);
    expect(holders.text).toMatch(/<title>[^<]*<\/title>/);
    // the check itself finds names where they are: an analyst's list names every company
    const analyst = await get("/right-holders", "analyst");
    expect(namesIn(readable(analyst.text)).length).toBeGreaterThan(otherNames.length * 0.9);
  });
});

// ---- the chosen comparison (issue 20, item 2) follows the member's scope ----------------------

type Compared = Stats & { comparison: { kind: string; period: { from: string; to: string; kpis: { cases: number; pieces: number; valueFen: number; rightHolders: number }; byYear: { year: number; cases: number }[] } | null } };

describe("a member's comparison is over its own cases only", () => {
  it("a comparison period pinpointing another company's case (its day and office, its holder) counts nothing of it", async () => {
    const tasks = samples.flatMap((s) => {
      const day = { cmp: "custom", cmpFrom: s.seizedOn, cmpTo: s.seizedOn };
      const pins: Record<string, string | string[]>[] = [
        { ...day, from: "2000-01-01", to: "2000-12-31", office: s.office, district: s.district },
        { ...day, from: "2000-01-01", to: "2000-12-31", holder: String(s.holders[0]) },
      ];
      return pins.map((params) => async () => {
        const analyst = (await get(`/api/stats?${query(params)}`, "analyst")).json() as Compared;
        expect(analyst.comparison.period!.kpis.cases, `analyst ${query(params)}`).toBeGreaterThanOrEqual(1);
        const member = (await get(`/api/stats?${query(params)}`)).json() as Compared;
        expect(member.comparison.period!.kpis, `member ${query(params)}`).toEqual({ cases: 0, pieces: 0, valueFen: 0, rightHolders: 0, avgValueFen: null });
        expect(member.comparison.period!.byYear).toEqual([]);
      });
    });
    await all(tasks);
  });

  it("the previous period, a year earlier and any period equal SQL over its own cases", async () => {
    const requests: [Record<string, string>, string, string][] = [
      [{ from: "2020-01-01", to: "2020-12-31" }, "2019-01-01", "2019-12-31"],
      [{ from: "2020-02-01", to: "2020-02-29", cmp: "yoy" }, "2019-02-01", "2019-02-28"],
      [{ from: "2021-01-01", to: "2021-03-31", cmp: "custom", cmpFrom: "2016-01-01", cmpTo: "2017-12-31" }, "2016-01-01", "2017-12-31"],
    ];
    await all(requests.map(([params, from, to]) => async () => {
      const stats = (await get(`/api/stats?${query(params)}`)).json() as Compared;
      const { cases, pieces, valueFen, rightHolders } = stats.comparison.period!.kpis;
      const expected = ownFigures("c.seized_on between ? and ?", from, to);
      expect({ from: stats.comparison.period!.from, to: stats.comparison.period!.to }).toEqual({ from, to });
      expect({ cases, pieces, valueFen }, query(params)).toEqual(expected);
      expect(rightHolders).toBe(cases ? 1 : 0);
    }));
  });
});

// ---- every route a member can reach ----------------------------------------------------------

/**
 * Every page and API route a member can read, each fetched with each sample case's
 * pinpointing filters, in English and Chinese; `get` fails on any other company's name in the
 * body. Routes added for members belong in this list: the market section's `/api/market`
 * (whose only filter is the period; other parameters are a 400) and its tables on `/`.
 */
const MEMBER_ROUTES = [
  "/", "/cases", "/right-holders", "/districts", "/districts/5300", "/account",
  "/api/stats", "/api/cases", "/api/cases/export?format=csv", "/api/cases/export?format=xlsx",
  "/api/market", "/api/market?from=2016&to=2017", "/?marketFrom=2016&marketTo=2017",
  "/?cmp=yoy", "/api/stats?cmp=custom&cmpFrom=2016-01-01&cmpTo=2016-12-31",
];

describe("no route a member can reach names another company", () => {
  it("with each sample case's filters, in both languages, and for bad parameters", async () => {
    const s = samples[2]!;
    const withParams = (route: string, params: Record<string, string | string[]>) => `${route}${route.includes("?") ? "&" : "?"}${query(params)}`;
    const tasks = MEMBER_ROUTES.flatMap((route) => [
      ...pinpoints(s).slice(0, 3).map(([, params]) => async () => expect((await get(withParams(route, params))).status).toBeLessThan(500)),
      async () => expect((await get(withParams(route, { holder: String(s.holders[0]) }), "member", { "Accept-Language": "zh-CN" })).status).toBeLessThan(500),
      async () => expect((await get(withParams(route, { district: "nosuch", holder: "x" }))).status).toBeLessThan(500),
    ]);
    await all(tasks);
  });
});

// ---- regressions of issue 13's found list ---------------------------------------------------

describe("issue 13, item 1: the aggregates no longer rebuild another company's case", () => {
  it("q=<another case number> on /api/stats and /right-holders, holder=<its holder> on its day, /right-holders", async () => {
    const s = samples[1]!;
    expect(((await get(`/api/stats?q=${s.caseNo}`, "analyst")).json() as Stats).kpis.cases).toBe(1);
    expect(((await get(`/api/stats?q=${s.caseNo}`)).json() as Stats).kpis.cases).toBe(0);
    const holders = await get(`/right-holders?q=${s.caseNo}`);
    expect([...holders.text.matchAll(/data-holder="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([own.id]);
    const day = `holder=${s.holders[0]}&from=${s.seizedOn}&to=${s.seizedOn}`;
    expect(((await get(`/api/stats?${day}`, "analyst")).json() as Stats).kpis.cases).toBeGreaterThanOrEqual(1);
    expect(((await get(`/api/stats?${day}`)).json() as Stats).kpis.cases).toBe(0);
  });
});

describe("issue 13, items 2 and 3: a case the member shares with another company", () => {
  let caseId = 0;
  let caseNo = "";
  let co = { id: 0, name: "", nameZh: "", industry: "" };

  async function importRows(rows: string[][], update: boolean) {
    const form = new FormData();
    form.set("file", new Blob([UTF8_BOM + csvLine(exportHeader("en")) + rows.map((r) => csvLine(r)).join("")], { type: "text/csv" }), "shared.csv");
    if (update) form.set("update", "on");
    const response = await fetch(`${baseURL()}/api/admin/import?mode=commit`, {
      method: "POST", body: form, headers: { cookie: await sessionCookie("admin"), origin: baseURL() },
    });
    const report = (await response.json()) as { committed?: boolean };
    expect(response.status, JSON.stringify(report).slice(0, 500)).toBe(200);
    expect(report.committed, JSON.stringify(report).slice(0, 500)).toBe(true);
  }

  beforeAll(async () => {
    co = db<typeof co>(`select id, name, name_zh as nameZh, industry from right_holders where id <> ? and industry <> ? order by id limit 1`, own.id, own.industry)[0]!;
    const last = db<{ no: string | null }>("select max(case_no) as no from cases where case_no like '0200-2023-97%'")[0]!.no;
    caseNo = `0200-2023-97${String(last ? Number(last.slice(-2)) + 1 : 0).padStart(2, "0")}`;
    const office = "0200";
    const row = (goods: string, notes: string, pieces: string) => [caseNo, "2023-08-09", "", "", office, "", "Trademark", "Toys", goods, pieces,
      "2345.67", "Export", "Express", "Air", "Ex officio", "CN", "US", "", "Detained", "", "no", "no", "", `${own.name}; ${co.name}`, notes];
    await importRows([row(`Plush toys with ${co.name} logos`, `由${co.nameZh}举报，已告知 ${co.name}`, "14")], false);
    await importRows([row(`Plush toys with ${co.name} and zebrafinch logos`, `Confirmed by ${co.name}`, "15")], true);
    caseId = db<{ id: number }>("select id from cases where case_no = ?", caseNo)[0]!.id;
  });

  it("admin and analyst get the audit history with its values; the member gets when and what kind only", async () => {
    const adminId = db<{ id: string }>("select id from user where email = ?", demoEmail("admin"))[0]!.id;
    for (const role of ["admin", "analyst"] as const) {
      const detail = (await get(`/api/cases/${caseId}`, role)).json() as { history: Row[]; rightHolders: { id: number }[]; notes: string };
      // both imports through the app (create, then update), newest first
      expect(detail.history.map((h) => h.action), role).toEqual(["import", "import"]);
      expect(detail.history[1]!.before).toBeNull();
      expect(detail.history[0]).toMatchObject({ userId: adminId, after: expect.objectContaining({ notes: `Confirmed by ${co.name}` }) });
      expect(detail.rightHolders.map((h) => h.id).sort((a, b) => a - b)).toEqual([own.id, co.id].sort((a, b) => a - b));
      expect(detail.notes).toContain(co.name);
    }
    const member = await get(`/api/cases/${caseId}`);
    expect(member.status).toBe(200);
    const detail = member.json() as { history: Row[]; rightHolders: { id: number }[]; notes: string; goodsDescription: string; createdBy: unknown; updatedBy: unknown };
    expect(detail.history.map((h) => Object.keys(h).sort())).toEqual([["action", "at", "id"], ["action", "at", "id"]]);
    expect(detail.history.map((h) => h.action)).toEqual(["import", "import"]);
    expect(detail.rightHolders.map((h) => h.id)).toEqual([own.id]);
    expect({ createdBy: detail.createdBy, updatedBy: detail.updatedBy }).toEqual({ createdBy: null, updatedBy: null });
    expect(detail.goodsDescription).toBe("Plush toys with ▇▇▇ and zebrafinch logos");
    expect(detail.notes).toBe("Confirmed by ▇▇▇");
    expect(member.text).not.toContain(adminId);
    expect(member.text).not.toContain(demoEmail("admin"));
  });

  it("the case page shows the member no staff e-mail and no co-holder; an analyst sees who changed it", async () => {
    const page = await get(`/cases/${caseId}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(demoEmail("admin"));
    expect(page.text).toContain("by customs staff");
    expect((await get(`/cases/${caseId}`, "analyst")).text).toContain(demoEmail("admin"));
  });

  it("q finds the case by its number, its goods and the member's own name, never by the co-holder's name", async () => {
    const total = async (params: Record<string, string>) => ((await get(`/api/cases?${query(params)}`)).json() as { total: number }).total;
    expect(await total({ q: caseNo })).toBe(1);
    expect(await total({ q: `${caseNo} zebrafinch` })).toBe(1);
    expect(await total({ q: `${caseNo} ${own.name}` })).toBe(1);
    expect(await total({ q: `${caseNo} ${co.name}` })).toBe(0);
    expect(await total({ q: `${caseNo} ${co.nameZh}` })).toBe(0);
    expect(await total({ q: co.name })).toBe(0);
    // an analyst's search does match the co-holder's name
    expect(((await get(`/api/cases?${query({ q: `${caseNo} ${co.name}` })}`, "analyst")).json() as { total: number }).total).toBe(1);
  });

  it("holder=<co-holder> and industry=<its industry> select none of the member's cases; its figures name only its own industry", async () => {
    const stats = async (params: Record<string, string>) => (await get(`/api/stats?${query(params)}`)).json() as Stats;
    expect((await stats({ q: caseNo })).kpis.cases).toBe(1);
    expect((await stats({ q: caseNo, holder: String(co.id) })).kpis.cases).toBe(0);
    expect((await stats({ q: caseNo, industry: co.industry })).kpis.cases).toBe(0);
    expect((await stats({ q: caseNo, industry: own.industry })).kpis.cases).toBe(1);
    const byIndustry = (await stats({ q: caseNo })).byIndustry.filter((r) => r.cases > 0).map((r) => r.value);
    expect(byIndustry).toEqual([own.industry]);
    // the export of the case: its own company only, free text redacted
    const csv = await get(`/api/cases/export?${query({ q: caseNo, format: "csv" })}`);
    expect(csv.text).toContain("Plush toys with ▇▇▇ and zebrafinch logos");
    const xlsx = await get(`/api/cases/export?${query({ q: caseNo, holder: String(co.id), format: "xlsx" })}`);
    expect(xlsx.status).toBe(200);
  });
});
