import { inject } from "vitest";
import { sqliteEngine } from "../../db/engine";
import { openDb } from "../../db/sqlite/open";
import { writeCases } from "../../db/writer";
import type { ProcedureStep } from "../../lib/procedure";
import { demoEmail, sqlAll, sqlGet } from "./support";

// Detention notices the inbox and matrix tests need, served through THE writer (op "step") into
// the e2e server's database as an officer records them: "suspected", then the notice `hoursAgo`
// hours before now. On cases without steps seized before 2024 outside Kunming, taken from the
// low ids (the procedure file takes the member's highest one). Idempotent by the notice's number.

/** The id of the case holding notice `label`, serving it first on a fresh case when there is none. */
export async function servedNotice(label: string, own: boolean, hoursAgo: number): Promise<number> {
  const documentNo = `TZ-E2E-${label}`;
  const found = sqlAll<{ id: number }>("select case_id as id from case_steps where document_no = ?", documentNo)[0];
  if (found) return found.id;
  const holderId = sqlGet<{ id: number }>("select holder_id as id from user where email = ?", demoEmail("member")).id;
  const id = sqlGet<{ id: number }>(
    `select c.id from cases c where c.deleted_at is null and c.seized_on < '2024-01-01' and c.case_no not like '8600-%'
       and ${own ? "" : "not"} exists (select 1 from case_right_holders l where l.case_id = c.id and l.right_holder_id = ?)
       and not exists (select 1 from case_steps s where s.case_id = c.id)
     order by c.id limit 1 offset 1`, holderId).id;
  const officer = sqlGet<{ id: string }>("select id from user where email = ?", demoEmail("admin")).id;
  const version = sqlGet<{ v: number }>("select version as v from cases where id = ?", id).v;
  const at = (h: number) => new Date(Date.now() - h * 3600_000);
  const steps: ProcedureStep[] = [
    { kind: "suspected", at: at(hoursAgo + 2), by: officer },
    { kind: "notice_sent", at: at(hoursAgo), by: officer, documentNo },
  ];
  const db = openDb(`file:${inject("databaseFile")}`);
  try {
    await writeCases(sqliteEngine(db), steps.map((step, i) => ({ op: "step" as const, id, expectedVersion: version + i, step })), { userId: officer });
  } finally {
    db.$client.close();
  }
  return id;
}
