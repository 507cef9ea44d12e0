import type { InfringementType } from "../lib/enums";
import type { GeneratedRecordation } from "./recordations";

// The demo seed's recordations (seed/recordations.ts; db/bulk.ts writes them with the ids 1..n
// in order): each generated case linked to a plausible recordation of each of its right holders:
// approved, valid on the seizure date, of the case's kind of right when the holder has one.
// Deterministic: no randomness here (the pick follows the case id).

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
