import { sql, type SQL } from "drizzle-orm";
import { hashId, normaliseCode } from "../lib/parties";
import type { PartyRole } from "../lib/enums";
import { DEFAULT_WATCH_RULE, linksOfGroups, MAX_AGENT_CLIENTS, MAX_SHARED_BY, MAX_WATCH_CASES, MAX_WATCH_MONTHS, networksOf, normaliseText, watchWindowStart, type LinkReason, type PartyLink, type WatchRule } from "../lib/watchlist";
import { writeAudit } from "./audit";
import type { Engine } from "./engine";
import { partyKey } from "./parties";

// The watch-list of parties (issue 18, item 2). A party is LISTED when at least `minCases` live
// (not deleted) cases naming it — in any role — were seized within the last `months` months,
// counted back from TODAY (Asia/Shanghai; the caller passes today), the window's first day
// included. The rule is an admin's, kept in app_meta like the identity-number retention, its
// changes audited (entity "watch_list"). The list is ONE grouped query over case_parties ⋈
// cases (plus one grouped read of the listed parties' rights, ports and roles); the networks are
// connected components (lib/watchlist.ts) over three grouped reads of links: a shared code or
// person's keyed hash, the same normalised address, the same declarant/agent on their cases (an
// address shared by more than MAX_SHARED_BY parties, or an agent of more than MAX_AGENT_CLIENTS
// clients, links nothing: a business centre or a broker, not a ring).

const RULE_KEY = "watch_list_rule";

export async function watchRule(e: Engine): Promise<WatchRule> {
  const [row] = await e.all<{ value: string }>(sql`select value from app_meta where key = ${RULE_KEY}`);
  if (!row) return DEFAULT_WATCH_RULE;
  try {
    const v = JSON.parse(row.value) as Partial<WatchRule>;
    if (validRule(v)) return { minCases: v.minCases, months: v.months };
  } catch {
    // a damaged value: the default rule
  }
  return DEFAULT_WATCH_RULE;
}

function validRule(v: Partial<WatchRule>): v is WatchRule {
  return Number.isInteger(v.minCases) && v.minCases! >= 1 && v.minCases! <= MAX_WATCH_CASES && Number.isInteger(v.months) && v.months! >= 1 && v.months! <= MAX_WATCH_MONTHS;
}

/** Sets the rule (an admin's), one transaction with its audit entry when it changed. */
export async function setWatchRule(e: Engine, rule: WatchRule, userId: string, now = Date.now()): Promise<WatchRule> {
  if (!validRule(rule)) throw new RangeError(`The rule needs 1–${MAX_WATCH_CASES} cases within 1–${MAX_WATCH_MONTHS} months.`);
  return e.transaction(async (tx) => {
    const was = await watchRule(tx);
    const value = JSON.stringify({ minCases: rule.minCases, months: rule.months });
    await tx.run(sql`insert into app_meta (key, value) values (${RULE_KEY}, ${value}) on conflict (key) do update set value = excluded.value`);
    if (was.minCases !== rule.minCases || was.months !== rule.months) {
      await writeAudit(tx, { userId, action: "update", entity: "watch_list", entityId: 0, before: was, after: rule, at: now });
    }
    return { minCases: rule.minCases, months: rule.months };
  });
}

export type ListedParty = {
  partyId: number;
  kind: "enterprise" | "foreign" | "person";
  name: string;
  /** an enterprise's code, or a person's masked identity number (never in clear) */
  code: string | null;
  address: string | null;
  cases: number;
  valueFen: number;
  firstSeen: string;
  lastSeen: string;
  infringementTypes: string[];
  ports: string[];
  roles: PartyRole[];
};

/** The distinct (party, live case) pairs in the window: a party named twice on one case counts it once. */
const pairs = (start: string, only?: SQL) => sql`select cp.party_id, c.id as case_id, c.value_fen, c.seized_on
  from case_parties cp join cases c on c.id = cp.case_id
  where c.deleted_at is null and c.seized_on >= ${start}${only ? sql` and ${only}` : sql``}
  group by cp.party_id, c.id, c.value_fen, c.seized_on`;

/**
 * The listed parties under `rule` as of `today` (YYYY-MM-DD), most cases first. `only`: a
 * condition on `cp.party_id` (the check at case entry asks about a few parties).
 */
export async function listedParties(e: Engine, rule: WatchRule, today: string, only?: SQL): Promise<{ start: string; parties: ListedParty[] }> {
  const start = watchWindowStart(today, rule.months);
  const rows = await e.all<{ partyId: number; kind: ListedParty["kind"]; name: string; code: string | null; masked: string | null; address: string | null; n: number; v: number | string; firstSeen: string; lastSeen: string }>(
    sql`select p.id as "partyId", p.kind, p.name, p.code, p.id_masked as masked, p.address, g.n, g.v, g.first_seen as "firstSeen", g.last_seen as "lastSeen"
      from (select party_id, count(*) as n, sum(value_fen) as v, min(seized_on) as first_seen, max(seized_on) as last_seen
            from (${pairs(start, only)}) pc group by party_id having count(*) >= ${rule.minCases}) g
      join parties p on p.id = g.party_id
      order by g.n desc, g.v desc, p.id`,
  );
  if (!rows.length) return { start, parties: [] };
  // what they did: one grouped read of the listed parties' rights infringed, ports and roles
  const ids = rows.map((r) => Number(r.partyId));
  const dims = await e.all<{ partyId: number; dim: string; value: string }>(
    sql`select cp.party_id as "partyId", 't' as dim, c.infringement_type as value from case_parties cp join cases c on c.id = cp.case_id
        where c.deleted_at is null and c.seized_on >= ${start} and ${e.say.inList(sql`cp.party_id`, ids)} group by cp.party_id, c.infringement_type
      union all
      select cp.party_id, 'p', c.port from case_parties cp join cases c on c.id = cp.case_id
        where c.deleted_at is null and c.seized_on >= ${start} and c.port is not null and ${e.say.inList(sql`cp.party_id`, ids)} group by cp.party_id, c.port
      union all
      select cp.party_id, 'r', cp.role from case_parties cp join cases c on c.id = cp.case_id
        where c.deleted_at is null and c.seized_on >= ${start} and ${e.say.inList(sql`cp.party_id`, ids)} group by cp.party_id, cp.role`,
  );
  const by = new Map<number, { t: string[]; p: string[]; r: string[] }>();
  for (const d of dims) {
    const entry = by.get(Number(d.partyId)) ?? { t: [], p: [], r: [] };
    entry[d.dim as "t" | "p" | "r"].push(d.value);
    by.set(Number(d.partyId), entry);
  }
  const roleOrder = ["consignor", "consignee", "declarant"];
  return {
    start,
    parties: rows.map((r) => {
      const d = by.get(Number(r.partyId)) ?? { t: [], p: [], r: [] };
      return {
        partyId: Number(r.partyId), kind: r.kind, name: r.name, code: r.kind === "person" ? r.masked : r.code, address: r.address,
        cases: Number(r.n), valueFen: Number(r.v), firstSeen: r.firstSeen, lastSeen: r.lastSeen,
        infringementTypes: d.t.sort(), ports: d.p.sort(), roles: d.r.sort((a, b) => roleOrder.indexOf(a) - roleOrder.indexOf(b)) as PartyRole[],
      };
    }),
  };
}

/** Every link between parties (three grouped reads; addresses normalised here, the same on both engines). */
export async function partyLinks(e: Engine): Promise<PartyLink[]> {
  const links: PartyLink[] = [];
  // a shared identifier: the same code (an enterprise's and a foreign registration's alike), or the same person's keyed hash
  const ident = await e.all<{ k: string; id: number }>(
    sql`select 'c:' || code as k, id from parties where code is not null and code in (select code from parties where code is not null group by code having count(*) > 1)
      union all
      select 'h:' || id_hash, id from parties where id_hash is not null and id_hash in (select id_hash from parties where id_hash is not null group by id_hash having count(*) > 1)`,
  );
  links.push(...linksOfGroups(groupBy(ident, (r) => r.k), "identifier"));
  // the same address, normalised
  const addresses = await e.all<{ id: number; address: string }>(sql`select id, address from parties where address is not null`);
  const byAddress = new Map<string, number[]>();
  for (const a of addresses) {
    const k = normaliseText(a.address);
    if (k) byAddress.set(k, [...(byAddress.get(k) ?? []), Number(a.id)]);
  }
  links.push(...linksOfGroups([...byAddress.values()].filter((g) => g.length > 1), "address", MAX_SHARED_BY));
  // the same declarant/agent on their live cases: the agent's clients (consignors and consignees) are linked
  const agents = await e.all<{ agent: number; id: number }>(
    sql`select d.party_id as agent, a.party_id as id
      from case_parties a join case_parties d on d.case_id = a.case_id and d.role = 'declarant' join cases c on c.id = a.case_id
      where a.role <> 'declarant' and c.deleted_at is null and a.party_id <> d.party_id
      group by d.party_id, a.party_id`,
  );
  links.push(...linksOfGroups(groupBy(agents, (r) => String(r.agent)), "agent", MAX_AGENT_CLIENTS));
  return links;
}

function groupBy<T extends { id: number }>(rows: T[], key: (r: T) => string): number[][] {
  const m = new Map<string, number[]>();
  for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), Number(r.id)]);
  return [...m.values()].filter((g) => g.length > 1);
}

export type NetworkParty = { partyId: number; kind: ListedParty["kind"]; name: string; code: string | null; address: string | null; listed: boolean };
export type ShownNetwork = { members: NetworkParty[]; reasons: LinkReason[] };

/** The networks that hold at least one listed party, each member named. */
export async function watchNetworks(e: Engine, listed: number[]): Promise<ShownNetwork[]> {
  if (!listed.length) return [];
  const networks = networksOf(await partyLinks(e), listed);
  const ids = [...new Set(networks.flatMap((n) => n.members))];
  if (!ids.length) return [];
  const rows = await e.all<{ id: number; kind: ListedParty["kind"]; name: string; code: string | null; masked: string | null; address: string | null }>(
    sql`select id, kind, name, code, id_masked as masked, address from parties where ${e.say.inList(sql`id`, ids)}`,
  );
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const isListed = new Set(listed);
  return networks.map((n) => ({
    reasons: n.reasons,
    members: n.members.map((id) => {
      const r = byId.get(id)!;
      return { partyId: id, kind: r.kind, name: r.name, code: r.kind === "person" ? r.masked : r.code, address: r.address, listed: isListed.has(id) };
    }),
  }));
}

/** A party as typed on the case form or in an import row. */
export type PartyProbe = { kind?: string | null; name?: string | null; code?: string | null };

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const nameKey = (s: string) => asciiLower(s.normalize("NFKC").replace(/\s+/g, " ").trim());

/**
 * The listed parties a typed party matches: the same code (an enterprise or foreign
 * registration), the same keyed hash (a person's identity number), or the same name (spaces
 * and Latin case forgiven).
 */
export async function matchListed(e: Engine, probes: PartyProbe[], rule: WatchRule, today: string): Promise<{ start: string; matches: { probe: number; party: ListedParty }[] }> {
  const codes = new Set<string>();
  const hashes = new Set<string>();
  const names = new Set<string>();
  let key: Buffer | null = null;
  for (const p of probes) {
    const code = p.code ? normaliseCode(p.code) : "";
    if (code) {
      codes.add(code);
      if (!p.kind || p.kind === "person") hashes.add(hashId(code, (key ??= await partyKey(e))));
    }
    if (p.name && nameKey(p.name)) names.add(nameKey(p.name));
  }
  const start = watchWindowStart(today, rule.months);
  if (!codes.size && !names.size) return { start, matches: [] };
  const conds: SQL[] = [];
  if (codes.size) conds.push(e.say.inList(sql`code`, [...codes]));
  if (hashes.size) conds.push(e.say.inList(sql`id_hash`, [...hashes]));
  // SQLite's lower() folds only ASCII: the name compared with ASCII case folded on both engines
  if (names.size) conds.push(e.say.inList(sql`lower(trim(name))`, [...names]));
  const candidates = (await e.all<{ id: number }>(sql`select id from parties where ${sql.join(conds, sql` or `)}`)).map((r) => Number(r.id));
  if (!candidates.length) return { start, matches: [] };
  const { parties } = await listedParties(e, rule, today, e.say.inList(sql`cp.party_id`, candidates));
  const matches: { probe: number; party: ListedParty }[] = [];
  const hashOf = new Map<number, string | null>();
  if (parties.some((p) => p.kind === "person")) {
    const rows = await e.all<{ id: number; h: string | null }>(sql`select id, id_hash as h from parties where ${e.say.inList(sql`id`, parties.map((p) => p.partyId))}`);
    for (const r of rows) hashOf.set(Number(r.id), r.h);
  }
  probes.forEach((p, i) => {
    const code = p.code ? normaliseCode(p.code) : "";
    const name = p.name ? nameKey(p.name) : "";
    const hash = code && key && (!p.kind || p.kind === "person") ? hashId(code, key) : null;
    for (const party of parties) {
      const hit = (code && party.kind !== "person" && party.code === code) || (hash && hashOf.get(party.partyId) === hash) || (name && nameKey(party.name) === name);
      if (hit) matches.push({ probe: i, party });
    }
  });
  return { start, matches };
}
