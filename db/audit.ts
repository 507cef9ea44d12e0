import { sql } from "drizzle-orm";
import type { Engine } from "./engine";

// THE insert into audit_log: every write of every entity (cases through db/writer.ts, right
// holders, customs offices and accounts through db/mutations/reference.ts) records itself here,
// inside the transaction of the write (`tx`, never the engine outside it). The writer's bulk
// paths (an import's thousand entries) write the same rows through their case store
// (db/sqlite/case-store.ts, db/postgres/case-store.ts).

export type AuditEntity = "case" | "right_holder" | "customs_office" | "user" | "recordation" | "outbox_mail" | "attachment" | "api_token" | "saved_view" | "risk_profile" | "subscription" | "guide" | "party_ids" | "watch_list";

export type AuditEntry = {
  userId: string | null;
  action: string;
  entity: AuditEntity;
  entityId: number;
  before: unknown;
  after: unknown;
  /** when, ms since the epoch (now when absent) */
  at?: number;
};

export async function writeAudit(tx: Engine, entry: AuditEntry): Promise<void> {
  if (!tx.inTransaction) throw new Error("An audit entry is written inside the transaction of its write.");
  const { auditLog } = tx.t;
  // before/after as JSON text ('null' for none), as every entry since the first was written
  await tx.run(sql`insert into ${auditLog} (at, user_id, action, entity, entity_id, before, after)
    values (${entry.at ?? Date.now()}, ${entry.userId}, ${entry.action}, ${entry.entity}, ${entry.entityId},
      ${JSON.stringify(entry.before ?? null)}, ${JSON.stringify(entry.after ?? null)})`);
}
