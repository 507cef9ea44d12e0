import { eq, sql } from "drizzle-orm";
import { first, type Engine } from "./engine";
import { writeAudit } from "./audit";
import { todayInShanghai } from "../lib/case-schema";

// PIPL: a natural person's identity number is kept no longer than the retention period an
// admin sets (months after the person's last case was seized). The erasure clears the sealed
// number, its keyed hash and its masked form of every person whose last case is older, marks
// the party erased, and writes one audit entry for the batch (entity "party_ids", action
// "delete": the parties' ids and how many, never a number). Unset: nothing is erased.
//
// It happens by itself as days pass: each server's job (db/erasure-job.ts, started by
// instrumentation.ts) runs runDailyErasure once a day, today being Beijing's date, as the system
// (the audit entry has no user); `npm run erase-expired` runs it by hand. Saving the retention
// on the admin page erases at once too (setPartyIdRetention, the admin's entry).

const RETENTION_KEY = "party_id_retention_months";
export const MAX_RETENTION_MONTHS = 600;

/** The retention period in months, or null when no admin has set one. */
export async function partyIdRetention(e: Engine): Promise<number | null> {
  const { appMeta } = e.t;
  const row = await first(e.db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, RETENTION_KEY)));
  const n = row ? Number(row.value) : NaN;
  return Number.isInteger(n) && n >= 1 ? n : null;
}

/** The first day (YYYY-MM-DD) whose cases still keep their persons' numbers: `months` before `today`. */
export function retentionCutoff(today: string, months: number): string {
  const [y, m, d] = today.split("-").map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

export type ErasureResult = { erased: number; cutoff: string | null };

/**
 * Sets the retention period (`months`, by admin `userId`) and erases at once what it no longer
 * allows; one transaction with its audit entries.
 */
export async function setPartyIdRetention(e: Engine, months: number, userId: string, today: string, now = Date.now()): Promise<ErasureResult> {
  if (!Number.isInteger(months) || months < 1 || months > MAX_RETENTION_MONTHS) throw new RangeError(`The retention must be a whole number of months from 1 to ${MAX_RETENTION_MONTHS}.`);
  return e.transaction(async (tx) => {
    const was = await partyIdRetention(tx);
    await tx.run(sql`insert into app_meta (key, value) values (${RETENTION_KEY}, ${String(months)})
      on conflict (key) do update set value = excluded.value`);
    if (was !== months) {
      await writeAudit(tx, { userId, action: "update", entity: "party_ids", entityId: 0, before: { retentionMonths: was }, after: { retentionMonths: months }, at: now });
    }
    return eraseExpired(tx, today, userId, now);
  });
}

const PERSON_WITH_NUMBER = sql`p.kind = 'person' and p.id_erased_at is null and (p.id_sealed is not null or p.id_hash is not null or p.id_masked is not null)`;

/**
 * The persons (party ids) whose numbers are kept and whose last case, live or deleted, was
 * seized before `cutoff` — among `among` only, when given (a recheck of candidates, cheap).
 */
async function dueForErasure(e: Engine, cutoff: string, among?: readonly number[]): Promise<number[]> {
  const noRecentCase = sql`not exists (select 1 from case_parties cp join cases c on c.id = cp.case_id where cp.party_id = p.id and c.seized_on >= ${cutoff})`;
  if (!among) {
    return (await e.all<{ id: number }>(sql`select p.id from parties p where ${PERSON_WITH_NUMBER} and ${noRecentCase} order by p.id`)).map((r) => Number(r.id));
  }
  const due: number[] = [];
  for (let i = 0; i < among.length; i += 500) {
    const ids = among.slice(i, i + 500);
    const rows = await e.all<{ id: number }>(sql`select p.id from parties p where p.id in ${ids} and ${PERSON_WITH_NUMBER} and ${noRecentCase}`);
    for (const r of rows) due.push(Number(r.id));
  }
  return due.sort((a, b) => a - b);
}

/** Persons read per step of expiredCandidates. */
const CANDIDATE_STEP = 10;

/**
 * The persons due for erasure before `cutoff`, read outside any transaction in steps of
 * CANDIDATE_STEP persons with a turn of the event loop between steps: at national scale the
 * whole question takes most of a second (a person's cases are found by party, not by date), and
 * better-sqlite3 answers synchronously, so one query would hold the server's requests that long.
 * The erasure then rechecks only these, inside its transaction (a person given a recent case
 * meanwhile keeps the number; one who became due meanwhile waits for the next day's run).
 */
export async function expiredCandidates(e: Engine, cutoff: string): Promise<number[]> {
  const out: number[] = [];
  for (let after = 0; ; ) {
    const step = (await e.all<{ id: number }>(sql`select p.id from parties p where p.id > ${after} and ${PERSON_WITH_NUMBER} order by p.id limit ${CANDIDATE_STEP}`)).map((r) => Number(r.id));
    if (!step.length) return out;
    after = step[step.length - 1]!;
    out.push(...(await dueForErasure(e, cutoff, step)));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** What an erasure as of `today` would erase, without erasing: how many persons, and the cutoff (null: no period set). */
export async function expiredCount(e: Engine, today: string): Promise<{ due: number; cutoff: string | null; retentionMonths: number | null }> {
  const months = await partyIdRetention(e);
  if (months === null) return { due: 0, cutoff: null, retentionMonths: null };
  const cutoff = retentionCutoff(today, months);
  return { due: (await dueForErasure(e, cutoff)).length, cutoff, retentionMonths: months };
}

/**
 * Erases the identity numbers of the persons whose last case (live or deleted) was seized
 * before the retention's cutoff; one audit entry for the batch. Nothing when no period is set.
 * `candidates` (expiredCandidates, read before for the same cutoff): only these are checked
 * again, inside the transaction; read for another cutoff, they are ignored and all are checked.
 */
export async function eraseExpired(
  e: Engine, today: string, userId: string | null, now = Date.now(), candidates?: { cutoff: string; ids: readonly number[] },
): Promise<ErasureResult> {
  return e.transaction(async (tx) => {
    const months = await partyIdRetention(tx);
    if (months === null) return { erased: 0, cutoff: null };
    const cutoff = retentionCutoff(today, months);
    const due = await dueForErasure(tx, cutoff, candidates?.cutoff === cutoff ? candidates.ids : undefined);
    if (!due.length) return { erased: 0, cutoff };
    // only the persons not erased meanwhile: on PostgreSQL another server's erasure that
    // committed after this one read `due` has its rows skipped here (the update re-reads them),
    // so no person is in two audit entries
    const erased: number[] = [];
    for (let i = 0; i < due.length; i += 500) {
      const ids = due.slice(i, i + 500);
      const rows = await tx.all<{ id: number | string }>(sql`update parties set id_sealed = null, id_hash = null, id_masked = null, id_erased_at = ${now},
        match_key = ${"x:"} || cast(id as text) where id in ${ids} and id_erased_at is null returning id`);
      for (const r of rows) erased.push(Number(r.id));
    }
    if (!erased.length) return { erased: 0, cutoff };
    erased.sort((a, b) => a - b);
    await writeAudit(tx, {
      userId, action: "delete", entity: "party_ids", entityId: 0,
      before: { persons: erased.length, partyIds: erased },
      after: { erased: erased.length, retentionMonths: months, lastCaseBefore: cutoff },
      at: now,
    });
    return { erased: erased.length, cutoff };
  });
}

const DAY_KEY = "party_id_erasure_day";
const LAST_KEY = "party_id_erasure_last";

/** One run of the daily erasure: when, for which Beijing date, what it erased. */
export type DailyErasure = {
  /** when it ran, ms since the epoch */
  ranAt: number;
  /** Beijing's date it ran for, YYYY-MM-DD */
  date: string;
  /** persons whose identity numbers it erased */
  erased: number;
  /** the retention period then (null: none set, nothing erased) */
  retentionMonths: number | null;
  /** the first seizure date whose persons keep their numbers (null: no period) */
  cutoff: string | null;
  /** the servers' job, or `npm run erase-expired` */
  source: "job" | "command";
};

/** Whether the daily erasure already ran for `now`'s date in Beijing (the job's cheap look before it writes). */
export async function dailyErasureDone(e: Engine, now = new Date()): Promise<boolean> {
  const { appMeta } = e.t;
  const row = await first(e.db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, DAY_KEY)));
  return !!row && row.value >= todayInShanghai(now.getTime());
}

/**
 * The daily erasure: erases what the retention no longer allows as of `now`'s date in Beijing,
 * as the system (the audit entry's user is null), and records the run — all in one transaction
 * that first marks the day done. Of several servers looking on the same day one marks it and
 * erases; the others find it marked (on PostgreSQL the second waits for the first's row and then
 * sees its mark; on SQLite the write lock orders them) and return null. A failure rolls the
 * mark back, so the next look tries again. `force` (the operators' command) runs even when the
 * day is done — nothing is erased twice, and nothing already erased is audited again.
 */
export async function runDailyErasure(e: Engine, now = new Date(), opts: { force?: boolean; source?: DailyErasure["source"] } = {}): Promise<DailyErasure | null> {
  const date = todayInShanghai(now.getTime());
  const ranAt = now.getTime();
  // the candidates first, in steps, outside the transaction (the write lock is held briefly)
  const months = await partyIdRetention(e);
  const cutoff = months === null ? null : retentionCutoff(date, months);
  const candidates = cutoff === null ? undefined : { cutoff, ids: await expiredCandidates(e, cutoff) };
  return e.transaction(async (tx) => {
    // (forced: the mark never moves back, whatever the date)
    const marked = await tx.all(opts.force
      ? sql`insert into app_meta (key, value) values (${DAY_KEY}, ${date})
          on conflict (key) do update set value = case when app_meta.value < excluded.value then excluded.value else app_meta.value end returning key`
      : sql`insert into app_meta (key, value) values (${DAY_KEY}, ${date})
          on conflict (key) do update set value = excluded.value where app_meta.value < excluded.value returning key`);
    if (!marked.length) return null;
    const retentionMonths = await partyIdRetention(tx);
    const erasure = await eraseExpired(tx, date, null, ranAt, candidates);
    const run: DailyErasure = { ranAt, date, erased: erasure.erased, retentionMonths, cutoff: erasure.cutoff, source: opts.source ?? "job" };
    await tx.run(sql`insert into app_meta (key, value) values (${LAST_KEY}, ${JSON.stringify(run)})
      on conflict (key) do update set value = excluded.value`);
    return run;
  });
}

/** The last run of the daily erasure (the admin page shows it), or null before the first. */
export async function lastDailyErasure(e: Engine): Promise<DailyErasure | null> {
  const { appMeta } = e.t;
  const row = await first(e.db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, LAST_KEY)));
  if (!row) return null;
  try {
    const v = JSON.parse(row.value) as Partial<DailyErasure>;
    if (typeof v.ranAt !== "number" || typeof v.date !== "string" || typeof v.erased !== "number") return null;
    return {
      ranAt: v.ranAt, date: v.date, erased: v.erased, retentionMonths: typeof v.retentionMonths === "number" ? v.retentionMonths : null,
      cutoff: typeof v.cutoff === "string" ? v.cutoff : null, source: v.source === "command" ? "command" : "job",
    };
  } catch {
    return null;
  }
}
