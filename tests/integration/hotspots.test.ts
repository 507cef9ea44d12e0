import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimHotspotLease, latestRun, monthlyCounts, readHotspots, refreshHotspots, refreshHotspotsIfDue, releaseHotspotLease,
} from "../../db/hotspots";
import { writeCases } from "../../db/writer";
import { HOTSPOT_DIMENSIONS, monthIndex, monthOfIndex } from "../../lib/hotspots";
import { seedDatabase } from "../../seed/run";
import { ENGINES } from "../support/engines";
import { sameData, type SameData } from "../support/same-data";

// Hot spots (issue 18, item 3) on both engines, over a seeded database (its cases run to the
// end of 2025, so the evaluation month is December 2025) with planted rises: 120 more toys
// cases in December 2025, and an origin country (Viet Nam) given a steady history of 3 cases a
// month over the 36 months before and 45 cases in December. The monthly counts the aggregate
// store and the cases' grouped read give by every dimension equal hand-written SQL; the planted
// rises are flagged and kept; the lease lets one owner in.

const NOW = new Date("2026-03-15T08:00:00Z");
const MONTH = "2025-12";
const PLANTED = 120;
/** the origin whose rise is planted, its cases a month before December 2025, and in December */
const ORIGIN = "VN";
const ORIGIN_HISTORY = 3;
const ORIGIN_PLANTED = 45;

describe.each(ENGINES)("hot spots (%s)", (dialect) => {
  let t: SameData;

  beforeAll(async () => {
    t = await sameData(dialect, "hotspots", async (s, e) => {
      await seedDatabase(s, { cases: 12_000, seed: 31 });
      const officeId = Number((await e.get<{ id: number }>(sql`select id from customs_offices where district_id is not null order by id limit 1`))!.id);
      const holder = Number((await e.get<{ id: number }>(sql`select id from right_holders order by id limit 1`))!.id);
      const input = (caseNo: string, seizedOn: string, originCountry: string) => ({
        caseNo, officeId, seizedOn,
        infringementType: "trademark" as const, goodsCategory: "toys" as const, goodsDescription: "Planted toys", pieces: 10, valueFen: 1000,
        direction: "import" as const, channel: "general_freight" as const, transport: "sea" as const, protectionMode: "ex_officio" as const,
        originCountry, destinationCountry: null, campaignId: null, status: "detained" as const, disposal: null,
        hearingHeld: false, referredToPolice: false, penaltyFen: null, notes: null, rightHolderIds: [holder], recordationIds: [] as number[],
      });
      await writeCases(e, Array.from({ length: PLANTED }, (_, i) => ({
        op: "create" as const,
        input: input(`8600-2025-${String(90_000 + i).padStart(5, "0")}`, `${MONTH}-${String(1 + (i % 28)).padStart(2, "0")}`, "CN"),
      })), { userId: null });
      const originCases = [
        ...Array.from({ length: 36 * ORIGIN_HISTORY }, (_, i) => `${monthOfIndex(monthIndex(MONTH) - 36 + Math.floor(i / ORIGIN_HISTORY))}-${String(2 + 9 * (i % ORIGIN_HISTORY)).padStart(2, "0")}`),
        ...Array.from({ length: ORIGIN_PLANTED }, (_, i) => `${MONTH}-${String(1 + (i % 28)).padStart(2, "0")}`),
      ];
      await writeCases(e, originCases.map((seizedOn, i) => ({
        op: "create" as const,
        input: input(`8600-2025-${String(80_000 + i).padStart(5, "0")}`, seizedOn, ORIGIN),
      })), { userId: null });
    });
  }, 300_000);
  afterAll(async () => t?.close());

  it("counts every dimension by month as SQL does, over the evaluation month and the 36 before it", async () => {
    const counts = (await monthlyCounts(t.e, NOW))!;
    expect(counts.evaluationMonth).toBe(MONTH);
    expect(counts.historyFrom).toBe(monthOfIndex(monthIndex(MONTH) - 36));
    expect(counts.months).toBe(37);
    const from = `${counts.historyFrom}-01`;
    const to = `${MONTH}-31`;
    const expressions: Record<(typeof HOTSPOT_DIMENSIONS)[number], string> = {
      district: "coalesce(d.code, o.code)", port: "c.port", origin: "c.origin_country", category: "c.goods_category", channel: "c.channel", transport: "c.transport", holder: "cast(l.right_holder_id as text)",
    };
    for (const dim of HOTSPOT_DIMENSIONS) {
      const join = dim === "holder" ? "join case_right_holders l on l.case_id = c.id" : "";
      const rows = t.sqlite.prepare(`select ${expressions[dim]} as v, substr(c.seized_on, 1, 7) as m, count(*) as n from cases c
        join customs_offices o on o.id = c.office_id left join customs_offices d on d.id = o.district_id ${join}
        where c.deleted_at is null and c.seized_on >= ? and c.seized_on <= ? ${dim === "port" ? "and c.port is not null" : ""} ${dim === "origin" ? "and c.origin_country is not null" : ""} group by 1, 2`).all(from, to) as { v: string; m: string; n: number }[];
      const want = new Map<string, number[]>();
      for (const r of rows) {
        const arr = want.get(r.v) ?? Array(37).fill(0);
        arr[monthIndex(r.m) - monthIndex(counts.historyFrom)] = r.n;
        want.set(r.v, arr);
      }
      const got = new Map([...counts.series.get(dim)!].map(([v, c]) => [v, Array.from(c)]));
      // every dimension has series to compare (the seed gives Kunming's cases their border ports)
      expect(want.size, dim).toBeGreaterThan(0);
      expect(got, dim).toEqual(want);
    }
  });

  it("flags the planted rise and keeps the run with its flags; a flat series is not flagged", async () => {
    const { run, flags } = await refreshHotspots(t.e, NOW);
    expect(run.evaluationMonth).toBe(MONTH);
    expect(run.seriesCount).toBeGreaterThan(20);
    const toys = flags.find((f) => f.dimension === "category" && f.value === "toys");
    expect(toys).toBeDefined();
    expect(toys!.observed).toBeGreaterThanOrEqual(PLANTED);
    expect(toys!.q).toBeLessThanOrEqual(0.05);
    expect(toys!.counts).toHaveLength(24);
    expect(toys!.counts.at(-1)).toBe(toys!.observed);
    expect(toys!.chartFrom).toBe(monthOfIndex(monthIndex(MONTH) - 23));
    // the categories nobody planted in are at their level: none of them is flagged
    expect(flags.filter((f) => f.dimension === "category" && f.value !== "toys")).toEqual([]);
    // the origin's planted rise: flagged, its chart the last 24 months of its steady history and the rise
    const origin = flags.find((f) => f.dimension === "origin" && f.value === ORIGIN);
    expect(origin).toBeDefined();
    expect(origin!.observed).toBeGreaterThanOrEqual(ORIGIN_PLANTED);
    expect(origin!.q).toBeLessThanOrEqual(0.05);
    expect(origin!.counts.slice(0, -1).every((c) => c >= ORIGIN_HISTORY)).toBe(true);
    expect(origin!.counts.at(-1)).toBe(origin!.observed);
    const stored = await readHotspots(t.e);
    expect(stored.run!.id).toBe(run.id);
    expect(stored.flags.map((f) => `${f.dimension}:${f.value}`)).toEqual(flags.map((f) => `${f.dimension}:${f.value}`));
    const back = stored.flags.find((f) => f.dimension === "category" && f.value === "toys")!;
    expect(back.q).toBe(toys!.q);
    expect(back.p).toBe(toys!.p);
    expect(back.expected).toBeCloseTo(toys!.expected, 3);
    expect(back.counts).toEqual(toys!.counts);
    expect(stored.flags.find((f) => f.dimension === "origin" && f.value === ORIGIN)?.observed).toBe(origin!.observed);
  });

  it("refreshes when due only, and lets one owner of the lease compute at a time", async () => {
    const last = (await latestRun(t.e))!;
    // nothing changed and the last run is new: nothing done
    expect(await refreshHotspotsIfDue(t.e, "server-a", new Date(NOW.getTime() + 60_000))).toBeNull();
    // an hour later: refreshed
    const later = await refreshHotspotsIfDue(t.e, "server-a", new Date(NOW.getTime() + 61 * 60_000));
    expect(later!.id).toBeGreaterThan(last.id);
    const now = Date.now();
    expect(await claimHotspotLease(t.e, "server-a", now, 60_000)).toBe(true);
    expect(await claimHotspotLease(t.e, "server-b", now, 60_000)).toBe(false);
    // while another holds the lease, a due refresh does nothing
    expect(await refreshHotspotsIfDue(t.e, "server-b", new Date(now + 30_000))).toBeNull();
    await releaseHotspotLease(t.e, "server-a");
    expect(await claimHotspotLease(t.e, "server-b", now, 60_000)).toBe(true);
    // an expired lease is taken over
    expect(await claimHotspotLease(t.e, "server-a", now + 60_001, 60_000)).toBe(true);
    await releaseHotspotLease(t.e, "server-a");
  });
});
