import type Database from "better-sqlite3";

// THE insert into audit_log: every write of every entity (cases through db/writer.ts, right
// holders, customs offices and accounts through db/mutations/reference.ts) records itself here,
// inside the transaction of the write.

export type AuditEntity = "case" | "right_holder" | "customs_office" | "user" | "recordation";

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

const statements = new WeakMap<Database.Database, Database.Statement>();

export function writeAudit(sqlite: Database.Database, entry: AuditEntry): void {
  let insert = statements.get(sqlite);
  if (!insert) {
    insert = sqlite.prepare("insert into audit_log (at, user_id, action, entity, entity_id, before, after) values (?, ?, ?, ?, ?, ?, ?)");
    statements.set(sqlite, insert);
  }
  insert.run(entry.at ?? Date.now(), entry.userId, entry.action, entry.entity, entry.entityId, JSON.stringify(entry.before), JSON.stringify(entry.after));
}
