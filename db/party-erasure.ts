import { eq, sql } from "drizzle-orm";
import { first, type Engine } from "./engine";
import { writeAudit } from "./audit";

// PIPL: a natural person's identity number is kept no longer than the retention period an
// admin sets (months after the person's last case was seized). The erasure clears the sealed
// number, its keyed hash and its masked form of every person whose last case is older, marks
// the party erased, and writes one audit entry for the batch (entity "party_ids", action
// "delete": the parties' ids and how many, never a number). Unset: nothing is erased.

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

/**
 * Erases the identity numbers of the persons whose last case (live or deleted) was seized
 * before the retention's cutoff; one audit entry for the batch. Nothing when no period is set.
 */
export async function eraseExpired(e: Engine, today: string, userId: string | null, now = Date.now()): Promise<ErasureResult> {
  return e.transaction(async (tx) => {
    const months = await partyIdRetention(tx);
    if (months === null) return { erased: 0, cutoff: null };
    const cutoff = retentionCutoff(today, months);
    const due = (
      await tx.all<{ id: number }>(sql`select p.id from parties p where p.kind = 'person' and p.id_erased_at is null
        and (p.id_sealed is not null or p.id_hash is not null or p.id_masked is not null)
        and not exists (select 1 from case_parties cp join cases c on c.id = cp.case_id where cp.party_id = p.id and c.seized_on >= ${cutoff})
        order by p.id`)
    ).map((r) => Number(r.id));
    if (!due.length) return { erased: 0, cutoff };
    for (let i = 0; i < due.length; i += 500) {
      const ids = due.slice(i, i + 500);
      await tx.run(sql`update parties set id_sealed = null, id_hash = null, id_masked = null, id_erased_at = ${now},
        match_key = ${"x:"} || cast(id as text) where id in ${ids}`);
    }
    await writeAudit(tx, {
      userId, action: "delete", entity: "party_ids", entityId: 0,
      before: { persons: due.length, partyIds: due },
      after: { erased: due.length, retentionMonths: months, lastCaseBefore: cutoff },
      at: now,
    });
    return { erased: due.length, cutoff };
  });
}
