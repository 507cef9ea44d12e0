import { sql, type SQL } from "drizzle-orm";
import type { Engine } from "./engine";
import { writeAudit } from "./audit";
import { casesWhere } from "./case-filters";
import {
  addDays, canonicalProfileQuery, LATEST_HITS, isActiveOn, isIsoDate, lastMonths, MAX_PROFILE_NAME, MAX_PROFILE_QUERY, MAX_PROFILE_REASON,
  profileFilters, shanghaiDate, shanghaiStart, SPARK_MONTHS, STALE_DAYS,
} from "../lib/risk-profiles";

// Risk profiles (issue 18, item 4): an analyst's targeting rule — a filter of the one filter
// model (its canonical query, lib/risk-profiles.ts) with an owner, a validity period and a
// reason — and its hits.
//
// Matching: the one writer (db/writer.ts) calls `matchProfiles` at the end of every batch, in
// the batch's transaction, with the ids of the cases it created, edited (the admin's form or
// an import's update), restored or moved a procedure step on: so a hit exists if and only if
// the write committed. Each profile active today (Beijing date) runs its filter through the
// case table's own filter → SQL (`casesWhere`, db/case-filters.ts), restricted to those ids:
// one insert … select per profile per batch (per 10,000 ids), never one per case. A hit is
// the first time a case matched (unique per profile and case): a case edited so that it now
// matches is hit at the edit; an edit that makes it stop matching leaves the hit (a record of
// what matched when). Deletes and right-holder merges match nothing.
//
// Backfill: when a profile is made (and when its filter or validity is edited), the live
// cases recorded within its validity so far that its filter selects are hit too, each at the
// time the case was recorded (its created_at), so "hits over time" starts full.
//
// Staff only (lib/roles.ts readRisk / keepProfiles): members never see a profile, a hit or a
// profile's name — no read here takes a member's scope, and no page of a member's calls one.

export type ProfileActor = { id: string };

/** A refusal of a profile write, as a field of the form and an error code (messages "profiles.errors"). */
export class ProfileError extends Error {
  constructor(readonly field: string, readonly code: string, readonly params: Record<string, string | number> = {}) {
    super(`${field}: ${code}`);
  }
}

export type ProfileInput = {
  name: string;
  ownerId: string;
  query: string;
  validFrom: string;
  validTo: string | null;
  reason: string;
};

/** The most ids bound to one matching statement. */
const ID_CHUNK = 10_000;

// ---- matching (inside the writer's transaction) ----------------------------------------------

type ActiveProfile = { id: number; query: string };

async function activeProfiles(tx: Engine, today: string): Promise<ActiveProfile[]> {
  const p = tx.t.riskProfiles;
  return (
    await tx.all<{ id: number; query: string }>(sql`select ${p.id} as id, ${p.query} as query from ${p}
      where ${p.archived} = ${tx.say.bool(false)} and ${p.validFrom} <= ${today} and (${p.validTo} is null or ${p.validTo} >= ${today})
      order by ${p.id}`)
  ).map((r) => ({ id: Number(r.id), query: r.query }));
}

/** Records the hits of every active profile among `caseIds` (written in this transaction); returns how many new hits. */
export async function matchProfiles(tx: Engine, caseIds: number[], now = Date.now()): Promise<number> {
  if (!tx.inTransaction) throw new Error("Profiles are matched inside the transaction that wrote the cases.");
  if (!caseIds.length) return 0;
  const profiles = await activeProfiles(tx, shanghaiDate(now));
  if (!profiles.length) return 0;
  const ids = [...new Set(caseIds)];
  let hits = 0;
  for (const profile of profiles) {
    const where = await casesWhere(tx, profileFilters(profile.query));
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const chunk = ids.slice(i, i + ID_CHUNK);
      hits += await insertHits(tx, profile.id, where, tx.say.inList(sql`${tx.t.cases.id}`, chunk), sql`cast(${now} as bigint)`, sql`cast(${shanghaiDate(now)} as text)`);
    }
  }
  return hits;
}

/** insert … select of the cases `where` selects (and `restrict`), hit at `at` on `on`; the first hit of a case stays. */
async function insertHits(tx: Engine, profileId: number, where: SQL, restrict: SQL, at: SQL, on: SQL): Promise<number> {
  const { cases, profileHits } = tx.t;
  const { changes } = await tx.run(sql`insert into ${profileHits} (profile_id, case_id, hit_at, hit_on)
    select cast(${profileId} as integer), ${cases.id}, ${at}, ${on} from ${cases} where ${where} and ${restrict}
    on conflict do nothing`);
  return changes;
}

/** The Beijing date of a case's created_at, in SQL. */
function createdOn(e: Engine): SQL {
  const c = e.t.cases;
  return e.dialect === "sqlite"
    ? sql`strftime('%Y-%m-%d', (${c.createdAt} + 28800000) / 1000, 'unixepoch')`
    : sql`to_char(to_timestamp((${c.createdAt} + 28800000) / 1000.0) at time zone 'UTC', 'YYYY-MM-DD')`;
}

/** Hits the live cases recorded within the profile's validity so far that its filter selects, each at its created_at. */
async function backfill(tx: Engine, profileId: number, p: { query: string; validFrom: string; validTo: string | null }, now: number): Promise<number> {
  const today = shanghaiDate(now);
  if (p.validFrom > today) return 0;
  const c = tx.t.cases;
  const start = shanghaiStart(p.validFrom);
  const end = p.validTo !== null && p.validTo < today ? shanghaiStart(addDays(p.validTo, 1)) : now + 1;
  const where = await casesWhere(tx, profileFilters(p.query));
  return insertHits(tx, profileId, where, sql`${c.createdAt} >= ${start} and ${c.createdAt} < ${end}`, sql`${c.createdAt}`, createdOn(tx));
}

// ---- writes -----------------------------------------------------------------------------------

function cleanText(value: string, field: string, max: number): string {
  const trimmed = value.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, " ").replace(/[ \t]+/g, " ").trim();
  if (!trimmed) throw new ProfileError(field, "required");
  if ([...trimmed].length > max) throw new ProfileError(field, "too_long", { max });
  return trimmed;
}

async function cleanInput(tx: Engine, input: ProfileInput, except?: number): Promise<ProfileInput> {
  const name = cleanText(input.name.replace(/\s+/g, " "), "name", MAX_PROFILE_NAME);
  const reason = cleanText(input.reason, "reason", MAX_PROFILE_REASON);
  if (input.query.length > MAX_PROFILE_QUERY) throw new ProfileError("query", "too_long", { max: MAX_PROFILE_QUERY });
  const query = canonicalProfileQuery(input.query);
  if (!query) throw new ProfileError("query", "empty");
  if (!isIsoDate(input.validFrom)) throw new ProfileError("validFrom", "date");
  if (input.validTo !== null && !isIsoDate(input.validTo)) throw new ProfileError("validTo", "date");
  if (input.validTo !== null && input.validTo < input.validFrom) throw new ProfileError("validTo", "before_from");
  const u = tx.t.users;
  const owner = await tx.get<{ role: string }>(sql`select ${u.role} as role from ${u} where ${u.id} = ${input.ownerId}`);
  if (!owner || (owner.role !== "admin" && owner.role !== "analyst")) throw new ProfileError("ownerId", "owner");
  const p = tx.t.riskProfiles;
  const taken = await tx.get<{ id: number }>(sql`select ${p.id} as id from ${p} where ${p.name} = ${name}`);
  if (taken && Number(taken.id) !== except) throw new ProfileError("name", "taken", { name });
  return { name, ownerId: input.ownerId, query, validFrom: input.validFrom, validTo: input.validTo, reason };
}

/** Makes a profile (and hits its validity so far, see the top); returns its id and the hits found. */
export async function createProfile(e: Engine, actor: ProfileActor, input: ProfileInput, now = Date.now()): Promise<{ id: number; backfilled: number }> {
  return e.transaction(async (tx) => {
    const clean = await cleanInput(tx, input);
    const p = tx.t.riskProfiles;
    const row = { ...clean, archived: false, version: 1, createdAt: now, createdBy: actor.id, updatedAt: now, updatedBy: actor.id };
    const [inserted] = await tx.db.insert(p).values(row).returning({ id: p.id });
    const id = Number(inserted!.id);
    const backfilled = await backfill(tx, id, clean, now);
    await writeAudit(tx, { userId: actor.id, action: "create", entity: "risk_profile", entityId: id, before: null, after: { ...clean, backfilled }, at: now });
    return { id, backfilled };
  });
}

async function stored(tx: Engine, id: number, expectedVersion: number) {
  const p = tx.t.riskProfiles;
  const rows = await tx.db.select().from(p).where(sql`${p.id} = ${id}`).limit(1);
  const row = rows[0];
  if (!row) throw new ProfileError("id", "not_found");
  if (row.version !== expectedVersion) throw new ProfileError("version", "conflict", { version: row.version });
  return row;
}

const snapshot = (r: ProfileInput & { archived?: boolean }) => ({
  name: r.name, ownerId: r.ownerId, query: r.query, validFrom: r.validFrom, validTo: r.validTo, reason: r.reason, archived: Boolean(r.archived),
});

/** Edits a profile made against `expectedVersion`; a new filter or validity is backfilled (hits are never removed). */
export async function changeProfile(e: Engine, actor: ProfileActor, id: number, expectedVersion: number, input: ProfileInput, now = Date.now()): Promise<{ version: number }> {
  return e.transaction(async (tx) => {
    const before = await stored(tx, id, expectedVersion);
    if (before.archived) throw new ProfileError("id", "archived");
    const clean = await cleanInput(tx, input, id);
    const p = tx.t.riskProfiles;
    const version = before.version + 1;
    const changed = await tx.run(sql`update ${p} set name = ${clean.name}, owner_id = ${clean.ownerId}, query = ${clean.query},
      valid_from = ${clean.validFrom}, valid_to = ${clean.validTo}, reason = ${clean.reason}, version = ${version},
      updated_at = ${now}, updated_by = ${actor.id} where id = ${id} and version = ${before.version}`);
    if (changed.changes === 0) throw new ProfileError("version", "conflict", { version: before.version + 1 });
    const matching = clean.query !== before.query || clean.validFrom !== before.validFrom || clean.validTo !== before.validTo;
    const backfilled = matching ? await backfill(tx, id, clean, now) : 0;
    await writeAudit(tx, { userId: actor.id, action: "update", entity: "risk_profile", entityId: id, before: { ...snapshot(before), version: before.version }, after: { ...snapshot(clean), version, backfilled }, at: now });
    return { version };
  });
}

/** Archives a profile (it is matched no more; its hits stay). */
export async function archiveProfile(e: Engine, actor: ProfileActor, id: number, expectedVersion: number, now = Date.now()): Promise<void> {
  await e.transaction(async (tx) => {
    const before = await stored(tx, id, expectedVersion);
    if (before.archived) throw new ProfileError("id", "archived");
    const p = tx.t.riskProfiles;
    await tx.run(sql`update ${p} set archived = ${tx.say.bool(true)}, version = ${before.version + 1}, updated_at = ${now}, updated_by = ${actor.id} where id = ${id}`);
    await writeAudit(tx, { userId: actor.id, action: "update", entity: "risk_profile", entityId: id, before: { archived: false, version: before.version }, after: { archived: true, version: before.version + 1 }, at: now });
  });
}

// ---- reads ------------------------------------------------------------------------------------

export type ProfileSummary = {
  id: number;
  name: string;
  ownerId: string;
  ownerName: string;
  query: string;
  validFrom: string;
  validTo: string | null;
  reason: string;
  archived: boolean;
  active: boolean;
  version: number;
  updatedAt: number;
  hits: number;
  hits30: number;
  hits90: number;
  /** the value of the hit cases, in fen (live cases) */
  valueFen: number;
  lastHitAt: number | null;
  /** hits within the validity so far ÷ cases recorded within it (null: no case) */
  periodHits: number;
  periodCases: number;
  /** an active profile with no hit for STALE_DAYS days */
  stale: boolean;
  /** hits per month, the last SPARK_MONTHS months, oldest first */
  months: { month: string; hits: number }[];
};

type ProfileRow = {
  id: number; name: string; ownerId: string; ownerName: string | null; ownerEmail: string | null; query: string; validFrom: string; validTo: string | null;
  reason: string; archived: unknown; version: number; updatedAt: number;
};

async function profileRows(e: Engine, only?: number): Promise<ProfileRow[]> {
  const { riskProfiles: p, users: u } = e.t;
  return e.all<ProfileRow>(sql`select p.id as id, p.name as name, p.owner_id as "ownerId", u.name as "ownerName", u.email as "ownerEmail",
      p.query as query, p.valid_from as "validFrom", p.valid_to as "validTo", p.reason as reason, p.archived as archived,
      p.version as version, p.updated_at as "updatedAt"
    from ${p} p left join ${u} u on u.id = p.owner_id
    ${only === undefined ? sql`` : sql`where p.id = ${only}`}
    order by p.name, p.id`);
}

/** The end of a profile's period so far: its last day, or today when that is earlier or absent. */
function periodEnd(validTo: string | null, today: string): string {
  return validTo !== null && validTo < today ? validTo : today;
}

async function summaries(e: Engine, rows: ProfileRow[], now: number): Promise<ProfileSummary[]> {
  if (!rows.length) return [];
  const today = shanghaiDate(now);
  const d30 = addDays(today, -29);
  const d90 = addDays(today, -89);
  const months = lastMonths(today, SPARK_MONTHS);
  const ids = rows.map((r) => Number(r.id));
  const { profileHits: h, cases: c } = e.t;
  const inIds = e.say.inList(sql`h.profile_id`, ids);
  const totals = await e.all<{ id: number; hits: number; hits30: number; hits90: number; valueFen: number | string | null; lastHitAt: number | null }>(sql`
    select h.profile_id as id, count(*) as hits,
      sum(case when h.hit_on >= ${d30} then 1 else 0 end) as hits30,
      sum(case when h.hit_on >= ${d90} then 1 else 0 end) as hits90,
      sum(c.value_fen) as "valueFen", max(h.hit_at) as "lastHitAt"
    from ${h} h join ${c} c on c.id = h.case_id and c.deleted_at is null
    where ${inIds} group by h.profile_id`);
  const byId = new Map(totals.map((t) => [Number(t.id), t]));
  const monthly = await e.all<{ id: number; month: string; hits: number }>(sql`
    select h.profile_id as id, substr(h.hit_on, 1, 7) as month, count(*) as hits
    from ${h} h join ${c} c on c.id = h.case_id and c.deleted_at is null
    where ${inIds} and h.hit_on >= ${`${months[0]}-01`} group by h.profile_id, substr(h.hit_on, 1, 7)`);
  const out: ProfileSummary[] = [];
  for (const r of rows) {
    const id = Number(r.id);
    const t = byId.get(id);
    const end = periodEnd(r.validTo, today);
    let periodHits = 0;
    let periodCases = 0;
    if (r.validFrom <= today) {
      const counted = await e.get<{ hits: number }>(sql`select count(*) as hits from ${h} h join ${c} c on c.id = h.case_id and c.deleted_at is null
        where h.profile_id = ${id} and h.hit_on >= ${r.validFrom} and h.hit_on <= ${end}`);
      periodHits = Number(counted!.hits);
      const recorded = await e.get<{ n: number }>(sql`select count(*) as n from ${c} c where c.deleted_at is null
        and c.created_at >= ${shanghaiStart(r.validFrom)} and c.created_at < ${shanghaiStart(addDays(end, 1))}`);
      periodCases = Number(recorded!.n);
    }
    const archived = Boolean(r.archived);
    const active = isActiveOn({ archived, validFrom: r.validFrom, validTo: r.validTo }, today);
    const lastHitAt = t?.lastHitAt == null ? null : Number(t.lastHitAt);
    const perMonth = new Map(monthly.filter((m) => Number(m.id) === id).map((m) => [m.month, Number(m.hits)]));
    out.push({
      id, name: r.name, ownerId: r.ownerId, ownerName: r.ownerName || r.ownerEmail || r.ownerId, query: r.query, validFrom: r.validFrom, validTo: r.validTo,
      reason: r.reason, archived, active, version: Number(r.version), updatedAt: Number(r.updatedAt),
      hits: Number(t?.hits ?? 0), hits30: Number(t?.hits30 ?? 0), hits90: Number(t?.hits90 ?? 0), valueFen: Number(t?.valueFen ?? 0), lastHitAt,
      periodHits, periodCases,
      stale: active && (lastHitAt === null || lastHitAt < now - STALE_DAYS * 86_400_000),
      months: months.map((month) => ({ month, hits: perMonth.get(month) ?? 0 })),
    });
  }
  return out;
}

/** Every profile with its figures; the stale ones (active, no hit for STALE_DAYS days) first, then by name. */
export async function listProfiles(e: Engine, now = Date.now()): Promise<ProfileSummary[]> {
  const list = await summaries(e, await profileRows(e), now);
  return list.sort((a, b) => Number(b.stale) - Number(a.stale) || Number(a.archived) - Number(b.archived) || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
}

export type ProfileHit = { caseId: number; caseNo: string; seizedOn: string; valueFen: number; hitAt: number };
export type ProfileDetail = ProfileSummary & {
  createdAt: number; createdBy: string | null;
  /** hits per month from the validity's first month (at least the last 12, at most 60 months) to today's */
  history: { month: string; hits: number }[];
  /** the latest hits (live cases), newest first */
  latest: ProfileHit[];
};


/** One profile with its figures, its monthly hits and its latest hit cases; null when there is none. */
export async function getProfile(e: Engine, id: number, now = Date.now()): Promise<ProfileDetail | null> {
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return null;
  const rows = await profileRows(e, id);
  if (!rows.length) return null;
  const [summary] = await summaries(e, rows, now);
  const today = shanghaiDate(now);
  const { profileHits: h, cases: c, riskProfiles: p } = e.t;
  const made = (await e.get<{ createdAt: number; createdBy: string | null }>(sql`select created_at as "createdAt", created_by as "createdBy" from ${p} where id = ${id}`))!;
  const first = summary!.validFrom < today ? summary!.validFrom : today;
  const [fy, fm] = first.split("-").map(Number) as [number, number];
  const [ty, tm] = today.split("-").map(Number) as [number, number];
  const span = Math.min(60, (ty - fy) * 12 + (tm - fm) + 1);
  const months = lastMonths(today, Math.max(span, SPARK_MONTHS));
  const monthly = await e.all<{ month: string; hits: number }>(sql`select substr(h.hit_on, 1, 7) as month, count(*) as hits
    from ${h} h join ${c} c on c.id = h.case_id and c.deleted_at is null
    where h.profile_id = ${id} and h.hit_on >= ${`${months[0]}-01`} group by substr(h.hit_on, 1, 7)`);
  const perMonth = new Map(monthly.map((m) => [m.month, Number(m.hits)]));
  const latest = await e.all<ProfileHit>(sql`select c.id as "caseId", c.case_no as "caseNo", c.seized_on as "seizedOn", c.value_fen as "valueFen", h.hit_at as "hitAt"
    from ${h} h join ${c} c on c.id = h.case_id and c.deleted_at is null
    where h.profile_id = ${id} order by h.hit_at desc, c.id desc limit ${LATEST_HITS}`);
  return {
    ...summary!, createdAt: Number(made.createdAt), createdBy: made.createdBy,
    history: months.map((month) => ({ month, hits: perMonth.get(month) ?? 0 })),
    latest: latest.map((l) => ({ caseId: Number(l.caseId), caseNo: l.caseNo, seizedOn: l.seizedOn, valueFen: Number(l.valueFen), hitAt: Number(l.hitAt) })),
  };
}

/** The profiles that hit a case (staff only: the case page's "Risk profiles hit"). */
export async function profilesOfCase(e: Engine, caseId: number): Promise<{ id: number; name: string; hitAt: number; archived: boolean }[]> {
  const { profileHits: h, riskProfiles: p } = e.t;
  const rows = await e.all<{ id: number; name: string; hitAt: number; archived: unknown }>(sql`select p.id as id, p.name as name, h.hit_at as "hitAt", p.archived as archived
    from ${h} h join ${p} p on p.id = h.profile_id where h.case_id = ${caseId} order by h.hit_at, p.id`);
  return rows.map((r) => ({ id: Number(r.id), name: r.name, hitAt: Number(r.hitAt), archived: Boolean(r.archived) }));
}

/** The ids of the cases a profile hit (tests and the case table's link). */
export async function hitCaseIds(e: Engine, profileId: number): Promise<number[]> {
  return (await e.all<{ id: number }>(sql`select case_id as id from ${e.t.profileHits} where profile_id = ${profileId} order by case_id`)).map((r) => Number(r.id));
}

/** The accounts that may own a profile (analysts and admins), by name. */
export async function profileOwners(e: Engine): Promise<{ id: string; name: string }[]> {
  const u = e.t.users;
  const rows = await e.all<{ id: string; name: string; email: string }>(sql`select id, name, email from ${u} where role in ('admin', 'analyst') order by name, email`);
  return rows.map((r) => ({ id: r.id, name: r.name || r.email }));
}
