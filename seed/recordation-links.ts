import { sql } from "drizzle-orm";
import type { Engine } from "../db/engine";
import type { InfringementType } from "../lib/enums";
import { classesToText } from "../lib/recordations";
import type { GeneratedRecordation } from "./recordations";

// The demo seed's recordations (seed/recordations.ts): written with the ids 1..n in order,
// and each generated case linked to a plausible recordation of each of its right holders:
// approved, valid on the seizure date, of the case's kind of right when the holder has one.
// Deterministic: no randomness here (the pick follows the case id).

/** Writes the recordations and their parties, inside the seed's transaction. */
export async function insertRecordations(tx: Engine, rows: readonly GeneratedRecordation[], now: number): Promise<void> {
  const { recordations, recordationParties } = tx.t;
  for (let i = 0; i < rows.length; i += 400) {
    await tx.db.insert(recordations).values(
      rows.slice(i, i + 400).map((r, k) => ({
        id: i + k + 1, number: r.number, holderId: r.holderId, kind: r.kind, rightNo: r.rightNo, titleEn: r.titleEn, titleZh: r.titleZh,
        classes: classesToText(r.classes), validFrom: r.validFrom, validTo: r.validTo, status: r.status, revokedReason: r.revokedReason,
        createdAt: now, createdBy: null, updatedAt: now, updatedBy: null, version: 1,
      })),
    );
  }
  const parties = rows.flatMap((r, i) => r.parties.map((p) => ({ recordationId: i + 1, kind: p.kind, name: p.name })));
  for (let i = 0; i < parties.length; i += 1000) await tx.db.insert(recordationParties).values(parties.slice(i, i + 1000));
  if (tx.dialect === "postgres") {
    for (const table of ["recordations", "recordation_parties"]) {
      await tx.run(sql.raw(`select setval(pg_get_serial_sequence('${table}', 'id'), coalesce((select max(id) from ${table}), 0) + 1, false)`));
    }
  }
}

type Linkable = { id: number; holderId: number; kind: InfringementType; validFrom: string; validTo: string };

/** A case's recordations: for each right holder, one approved and valid on `seizedOn` (its kind preferred), if it has one. */
export function recordationLinker(rows: readonly GeneratedRecordation[]): (c: { id: number; seizedOn: string; infringementType: InfringementType; rightHolderIds: number[] }) => number[] {
  const byHolder = new Map<number, Linkable[]>();
  rows.forEach((r, i) => {
    if (r.status !== "approved") return;
    const list = byHolder.get(r.holderId) ?? [];
    list.push({ id: i + 1, holderId: r.holderId, kind: r.kind, validFrom: r.validFrom, validTo: r.validTo });
    byHolder.set(r.holderId, list);
  });
  return (c) => {
    const out: number[] = [];
    for (const holderId of c.rightHolderIds) {
      const valid = (byHolder.get(holderId) ?? []).filter((r) => r.validFrom <= c.seizedOn && c.seizedOn <= r.validTo);
      if (!valid.length) continue;
      const sameKind = valid.filter((r) => r.kind === c.infringementType);
      const pool = sameKind.length ? sameKind : valid;
      out.push(pool[c.id % pool.length]!.id);
    }
    return out;
  };
}
