import "server-only";
import { sql } from "drizzle-orm";
import { getEngine } from "../client";
import { listedParties, matchListed, setWatchRule, watchNetworks, watchRule, type ListedParty, type PartyProbe, type ShownNetwork } from "../watchlist";
import { todayInShanghai } from "../../lib/case-schema";
import { can, type SessionUser } from "../../lib/roles";
import type { WatchRule } from "../../lib/watchlist";

// The watch-list's reads and the admin's rule (issue 18, item 2). Staff only (readRisk): a
// member gets nothing — each read refuses before touching the database. The window is counted
// back from today in Asia/Shanghai.

export class WatchListForbidden extends Error {}

function staff(user: SessionUser) {
  if (!can(user.role, "readRisk")) throw new WatchListForbidden("The watch-list is for customs staff.");
}

export type WatchList = { rule: WatchRule; start: string; today: string; parties: ListedParty[]; networks: ShownNetwork[] };

export async function watchList(user: SessionUser): Promise<WatchList> {
  staff(user);
  const e = getEngine();
  const today = todayInShanghai();
  const rule = await watchRule(e);
  const { start, parties } = await listedParties(e, rule, today);
  const networks = await watchNetworks(e, parties.map((p) => p.partyId));
  return { rule, start, today, parties, networks };
}

export type WatchHit = { probe: number; partyId: number; name: string; cases: number; since: string };

/** The listed parties among typed ones (the case form's check, the import's warnings). */
export async function watchHits(user: SessionUser, probes: PartyProbe[]): Promise<{ start: string; hits: WatchHit[] }> {
  staff(user);
  const e = getEngine();
  const rule = await watchRule(e);
  const { start, matches } = await matchListed(e, probes, rule, todayInShanghai());
  return { start, hits: matches.map((m) => ({ probe: m.probe, partyId: m.party.partyId, name: m.party.name, cases: m.party.cases, since: m.party.firstSeen })) };
}

/**
 * The listed parties a stored case names (its page, for staff): its own parties when listed,
 * and listed parties with the same code or name (a name typed without the listed party's code
 * is a party row of its own, but the same name all the same).
 */
export async function caseWatchHits(user: SessionUser, caseId: number): Promise<{ start: string; parties: ListedParty[] }> {
  staff(user);
  const e = getEngine();
  const rule = await watchRule(e);
  const today = todayInShanghai();
  const own = await listedParties(e, rule, today, sql`cp.party_id in (select party_id from case_parties where case_id = ${caseId})`);
  const probes = await e.all<{ kind: string; name: string; code: string | null }>(
    sql`select p.kind, p.name, p.code from case_parties cp join parties p on p.id = cp.party_id where cp.case_id = ${caseId}`,
  );
  const { matches } = await matchListed(e, probes, rule, today);
  const parties = [...own.parties];
  for (const m of matches) if (!parties.some((p) => p.partyId === m.party.partyId)) parties.push(m.party);
  return { start: own.start, parties };
}

export const currentWatchRule = (): Promise<WatchRule> => watchRule(getEngine());
export const saveWatchRule = (rule: WatchRule, userId: string): Promise<WatchRule> => setWatchRule(getEngine(), rule, userId);
