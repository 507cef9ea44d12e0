import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../db/engine";
import { loadStoredCase, writeCases } from "../../db/writer";
import { watchListRows } from "../../db/import";
import type { Validation } from "../../lib/import/validate";
import { listedParties, matchListed, setWatchRule, watchNetworks, watchRule } from "../../db/watchlist";
import { PARTY_FIELDS, type CaseInput } from "../../lib/case-definition";
import { idCheckChar, usccCheckChar } from "../../lib/parties";
import { DEFAULT_WATCH_RULE, watchWindowStart, type WatchRule } from "../../lib/watchlist";
import { seedDatabase } from "../../seed/run";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";

// The watch-list of parties on both engines (issue 18, item 2), on constructed data with a known
// answer beside the seeded demo: the list equals a hand-written SQL count, the admin's rule
// changes it, and the networks are the ones drawn by hand.

const TODAY = "2026-06-30";
const uscc = (first17: string) => first17 + usccCheckChar(first17);
const ALPHA_CODE = uscc("91530100MA6K00001");
const GAMMA_CODE = uscc("91530100MA6K00002");
const AGENT_CODE = uscc("91530100MA6K00003");
const BETA_ID = (() => {
  const first17 = "53310219800101" + "123";
  return first17 + idCheckChar(first17);
})();

describe.each(ENGINES)("the watch-list on %s", (dialect) => {
  let fresh: FreshEngine;
  let e: Engine;
  let base: CaseInput;
  const ids: Record<string, number> = {};
  let n = 0;

  const newCase = (seizedOn: string, valueFen: number, extra: Partial<CaseInput>): CaseInput =>
    ({ ...base, caseNo: `7${dialect === "sqlite" ? 1 : 2}00-2026-${String(++n).padStart(4, "0")}`, seizedOn, valueFen, ...extra }) as CaseInput;
  const alpha = { consigneeKind: "enterprise", consigneeName: "WL Alpha Trading Co", consigneeCode: ALPHA_CODE, consigneeAddress: "8, Network Road, Ruili" } as const;
  const agent = { declarantKind: "enterprise", declarantName: "WL Agent Co", declarantCode: AGENT_CODE } as const;

  beforeAll(async () => {
    fresh = await freshEngine(dialect, "watchlist");
    e = fresh.e;
    await seedDatabase(e, { cases: 1000, seed: 7 });
    const [row] = await e.all<{ id: number }>(sql`select id from cases order by id limit 1`);
    const stored = (await loadStoredCase(e, row!.id))!;
    const { version: _v, updatedBy: _u, updatedAt: _a, deletedAt: _d, ...values } = stored;
    base = { ...values, ...Object.fromEntries(PARTY_FIELDS.map((f) => [f.key, null])), caseNo: "", recordationIds: [], port: "ruili", infringementType: "trademark" } as CaseInput;

    const write = async (input: CaseInput) => (await writeCases(e, [{ op: "create", input }], { userId: null })).cases[0]!.id;
    // Alpha: three live cases in the window (two ports, two rights), one before it, one deleted
    await write(newCase("2026-01-10", 100_01, { ...alpha }));
    await write(newCase("2026-03-05", 250_50, { ...alpha, port: "hekou", infringementType: "copyright" }));
    await write(newCase("2026-05-20", 9_999_99, { ...alpha }));
    await write(newCase("2023-01-01", 1_000_00, { ...alpha }));
    const gone = await write(newCase("2026-04-01", 7_77, { ...alpha }));
    await writeCases(e, [{ op: "delete", id: gone }], { userId: null });
    // Beta: a person with one case (listed only under a rule of one)
    await write(newCase("2026-02-02", 5_00, { consignorKind: "person", consignorName: "WL Beta Person", consignorCode: BETA_ID, consignorAddress: "3 Quiet Lane, Mangshi" }));
    // Gamma: consignee of two cases and also their declarant on one: two cases, counted once each
    const gamma = { consigneeKind: "enterprise", consigneeName: "WL Gamma Supply Chain", consigneeCode: GAMMA_CODE, consigneeAddress: "1 Gamma Street, Hekou" } as const;
    await write(newCase("2025-08-08", 10_00, { ...gamma, declarantKind: "enterprise", declarantName: gamma.consigneeName, declarantCode: GAMMA_CODE }));
    await write(newCase("2025-09-09", 20_00, { ...gamma }));
    // a foreign consignor registered under Gamma's code: linked to Gamma by the identifier
    await write(newCase("2019-01-01", 1_00, { consignorKind: "foreign", consignorName: "WL Gamma Overseas", consignorCode: GAMMA_CODE, consignorAddress: "Lao Cai" }));
    // Delta shares Alpha's address (written differently) and the agent with Epsilon; Zeta shares nothing
    await write(newCase("2025-01-01", 1_00, { consigneeKind: "enterprise", consigneeName: "WL Delta Logistics", consigneeAddress: "8 network road  RUILI", ...agent }));
    await write(newCase("2025-01-02", 1_00, { consigneeKind: "enterprise", consigneeName: "WL Epsilon E-commerce", consigneeAddress: "99 Elsewhere Avenue, Kunming", ...agent }));
    await write(newCase("2025-01-03", 1_00, { consigneeKind: "enterprise", consigneeName: "WL Zeta Import", consigneeAddress: "5 Lonely Road, Ruili" }));
    for (const r of await e.all<{ id: number; name: string }>(sql`select id, name from parties where name like 'WL %'`)) ids[r.name] = Number(r.id);
  }, 240_000);
  afterAll(async () => fresh?.close());

  const mine = (list: { partyId: number; name: string }[]) => list.filter((p) => p.name.startsWith("WL ")).map((p) => p.name).sort();

  /** The same list by hand: per party, its live cases seized since the window's start. */
  const byHand = async (rule: WatchRule) => {
    const start = watchWindowStart(TODAY, rule.months);
    const rows = await e.all<{ id: number; n: number; v: number | string | null }>(sql`select p.id,
        (select count(*) from cases c where c.deleted_at is null and c.seized_on >= ${start} and exists (select 1 from case_parties cp where cp.case_id = c.id and cp.party_id = p.id)) as n,
        (select sum(c.value_fen) from cases c where c.deleted_at is null and c.seized_on >= ${start} and exists (select 1 from case_parties cp where cp.case_id = c.id and cp.party_id = p.id)) as v
      from parties p`);
    return rows.filter((r) => Number(r.n) >= rule.minCases).map((r) => [Number(r.id), Number(r.n), Number(r.v)]).sort((a, b) => a[0]! - b[0]!);
  };

  it("lists the parties with repeated cases, equal to a hand-written count over the whole database", async () => {
    expect(await watchRule(e)).toEqual(DEFAULT_WATCH_RULE);
    const { start, parties } = await listedParties(e, DEFAULT_WATCH_RULE, TODAY);
    expect(start).toBe("2024-06-30");
    expect(parties.map((p) => [p.partyId, p.cases, p.valueFen]).sort((a, b) => a[0]! - b[0]!)).toEqual(await byHand(DEFAULT_WATCH_RULE));
    expect(parties.length).toBeGreaterThan(2); // the demo's repeat consignees are there too
    // the agent is listed too: a party in any role (its two cases as declarant)
    expect(mine(parties)).toEqual(["WL Agent Co", "WL Alpha Trading Co", "WL Gamma Supply Chain"]);
    const a = parties.find((p) => p.name === "WL Alpha Trading Co")!;
    expect(a).toMatchObject({
      code: ALPHA_CODE, cases: 3, valueFen: 100_01 + 250_50 + 9_999_99, firstSeen: "2026-01-10", lastSeen: "2026-05-20",
      infringementTypes: ["copyright", "trademark"], ports: ["hekou", "ruili"], roles: ["consignee"],
    });
    const g = parties.find((p) => p.name === "WL Gamma Supply Chain")!;
    expect(g).toMatchObject({ cases: 2, valueFen: 30_00, roles: ["consignee", "declarant"] });
  });

  it("an admin's rule changes the list, audited once per change", async () => {
    const audits = async () => Number((await e.get<{ n: number }>(sql`select count(*) as n from audit_log where entity = 'watch_list'`))!.n);
    const before = await audits();
    for (const rule of [{ minCases: 1, months: 24 }, { minCases: 3, months: 24 }, { minCases: 2, months: 1 }, { minCases: 2, months: 120 }]) {
      await setWatchRule(e, rule, "admin-test");
      expect(await watchRule(e)).toEqual(rule);
      const { parties } = await listedParties(e, await watchRule(e), TODAY);
      expect(parties.map((p) => [p.partyId, p.cases, p.valueFen]).sort((a, b) => a[0]! - b[0]!)).toEqual(await byHand(rule));
      const expected = ({
        "1/24": ["WL Agent Co", "WL Alpha Trading Co", "WL Beta Person", "WL Delta Logistics", "WL Epsilon E-commerce", "WL Gamma Supply Chain", "WL Zeta Import"],
        "3/24": ["WL Alpha Trading Co"],
        "2/1": [],
        "2/120": ["WL Agent Co", "WL Alpha Trading Co", "WL Gamma Supply Chain"],
      } as Record<string, string[]>)[`${rule.minCases}/${rule.months}`];
      expect(mine(parties)).toEqual(expected);
    }
    // ten years back Alpha's 2023 case counts too
    expect((await listedParties(e, { minCases: 2, months: 120 }, TODAY)).parties.find((p) => p.name === "WL Alpha Trading Co")!.cases).toBe(4);
    await setWatchRule(e, { minCases: 2, months: 120 }, "admin-test"); // unchanged: no entry
    expect(await audits()).toBe(before + 4);
    await expect(setWatchRule(e, { minCases: 0, months: 24 }, "admin-test")).rejects.toThrow(RangeError);
    await setWatchRule(e, DEFAULT_WATCH_RULE, "admin-test");
  });

  it("links parties into the networks drawn by hand: a shared code, a shared address, a shared agent", async () => {
    const { parties } = await listedParties(e, DEFAULT_WATCH_RULE, TODAY);
    const networks = await watchNetworks(e, parties.map((p) => p.partyId));
    const ofMine = networks.filter((n) => n.members.some((m) => m.name.startsWith("WL ")));
    expect(ofMine.map((n) => ({ members: n.members.map((m) => m.name).sort(), reasons: n.reasons })).sort((a, b) => a.members[0]!.localeCompare(b.members[0]!))).toEqual([
      { members: ["WL Alpha Trading Co", "WL Delta Logistics", "WL Epsilon E-commerce"], reasons: ["address", "agent"] },
      { members: ["WL Gamma Overseas", "WL Gamma Supply Chain"], reasons: ["identifier"] },
    ]);
    expect(ofMine[0]!.members.every((m) => m.listed === (m.name === "WL Alpha Trading Co"))).toBe(true);
    // every network holds a listed party; no party is in two networks
    const seen = new Set<number>();
    for (const n of networks) {
      expect(n.members.some((m) => m.listed)).toBe(true);
      for (const m of n.members) {
        expect(seen.has(m.partyId)).toBe(false);
        seen.add(m.partyId);
      }
    }
    // the demo's own networks (repeat consignees sharing an address or an agent) are found as well
    expect(networks.some((n) => !n.members.some((m) => m.name.startsWith("WL ")))).toBe(true);
  });

  it("matches a typed party against the list: by code, by a person's number, by name", async () => {
    const m1 = await matchListed(e, [{ kind: "enterprise", code: ALPHA_CODE.toLowerCase() }, { name: "  wl gamma   supply chain " }, { name: "WL Zeta Import" }], DEFAULT_WATCH_RULE, TODAY);
    expect(m1.matches.map((m) => [m.probe, m.party.name, m.party.cases])).toEqual([[0, "WL Alpha Trading Co", 3], [1, "WL Gamma Supply Chain", 2]]);
    expect((await matchListed(e, [{ kind: "person", code: BETA_ID }], DEFAULT_WATCH_RULE, TODAY)).matches).toEqual([]);
    const m2 = await matchListed(e, [{ kind: "person", code: BETA_ID }], { minCases: 1, months: 24 }, TODAY);
    expect(m2.matches.map((m) => [m.party.name, m.party.code])).toEqual([["WL Beta Person", "5331**********" + BETA_ID.slice(-4)]]);
    expect((await matchListed(e, [{ kind: "enterprise", code: "", name: "" }], DEFAULT_WATCH_RULE, TODAY)).matches).toEqual([]);
  });

  it("an import's rows naming listed parties are reported, one warning per row, nothing refused", async () => {
    const row = (n: number, extra: Partial<CaseInput>) => ({ row: n, input: { ...base, caseNo: `IMP-${n}`, ...extra }, newHolders: [] });
    const v = {
      accepted: [
        row(2, { consigneeKind: "enterprise", consigneeName: "Someone Else", consigneeCode: ALPHA_CODE }),
        row(3, { consigneeKind: "enterprise", consigneeName: "Nobody Listed Ltd" }),
        row(4, { consignorKind: "enterprise", consignorName: "wl gamma supply chain", declarantKind: "enterprise", declarantName: "WL Agent Co", declarantCode: AGENT_CODE }),
      ],
      rejected: [], holdersToCreate: [], total: 3, warnings: [],
    } as unknown as Validation;
    const rows = await watchListRows(e, v, TODAY);
    expect(rows.map((r) => [r.row, r.caseNo, r.names.sort()])).toEqual([[2, "IMP-2", ["WL Alpha Trading Co"]], [4, "IMP-4", ["WL Agent Co", "WL Gamma Supply Chain"]]]);
    // ten years on, nothing of theirs is in the window
    expect(await watchListRows(e, v, "2036-12-31")).toEqual([]);
  });
});
