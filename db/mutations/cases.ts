import type Database from "better-sqlite3";
import { applyRollupDelta, type RollupKeyed } from "../rollup";
import { searchIndexWriter } from "../search-index";

// Writes to a case, each in one synchronous transaction with its audit entry and the
// derived tables (case_rollup, cases_fts), so that none can be seen half-done.

type LiveCase = RollupKeyed & { id: number; caseNo: string; goodsDescription: string; deletedAt: number | null; version: number };

function loadCase(sqlite: Database.Database, id: number): LiveCase | undefined {
  const row = sqlite
    .prepare(`select id, case_no as caseNo, seized_on as seizedOn, office_id as officeId, infringement_type as infringementType,
                     goods_category as goodsCategory, goods_description as goodsDescription, pieces, value_fen as valueFen,
                     direction, channel, transport, protection_mode as protectionMode, status, campaign_id as campaignId,
                     disposal, deleted_at as deletedAt, version
              from cases where id = ?`)
    .get(id) as Omit<LiveCase, "holderIds"> | undefined;
  if (!row) return undefined;
  const holderIds = (sqlite.prepare("select right_holder_id as id from case_right_holders where case_id = ? order by right_holder_id").all(id) as { id: number }[]).map((r) => r.id);
  return { ...row, holderIds };
}

function holderNames(sqlite: Database.Database, caseId: number): string[] {
  return (sqlite
    .prepare(`select h.name || ' ' || coalesce(h.name_zh, '') as n from case_right_holders l join right_holders h on h.id = l.right_holder_id
              where l.case_id = ? order by h.id`)
    .all(caseId) as { n: string }[]).map((r) => r.n);
}

function audit(sqlite: Database.Database, entry: { userId: string | null; action: string; entityId: number; before: unknown; after: unknown }) {
  sqlite
    .prepare("insert into audit_log (at, user_id, action, entity, entity_id, before, after) values (?, ?, ?, 'case', ?, ?, ?)")
    .run(Date.now(), entry.userId, entry.action, entry.entityId, JSON.stringify(entry.before), JSON.stringify(entry.after));
}

export class CaseNotFoundError extends Error {
  override name = "CaseNotFoundError";
}

/** Soft-deletes a live case: it leaves every count, total, search and list, and can be restored. */
export function softDeleteCase(sqlite: Database.Database, id: number, userId: string | null): void {
  sqlite.transaction(() => {
    const before = loadCase(sqlite, id);
    if (!before || before.deletedAt !== null) throw new CaseNotFoundError(`No live case with id ${id}.`);
    const now = Date.now();
    sqlite.prepare("update cases set deleted_at = ?, updated_at = ?, updated_by = ?, version = version + 1 where id = ?").run(now, now, userId, id);
    applyRollupDelta(sqlite, before, -1);
    searchIndexWriter(sqlite).remove(id);
    audit(sqlite, { userId, action: "delete", entityId: id, before: { deletedAt: null, version: before.version }, after: { deletedAt: now, version: before.version + 1 } });
  })();
}

/** Brings a soft-deleted case back, with its history. */
export function restoreCase(sqlite: Database.Database, id: number, userId: string | null): void {
  sqlite.transaction(() => {
    const before = loadCase(sqlite, id);
    if (!before || before.deletedAt === null) throw new CaseNotFoundError(`No deleted case with id ${id}.`);
    const now = Date.now();
    sqlite.prepare("update cases set deleted_at = null, updated_at = ?, updated_by = ?, version = version + 1 where id = ?").run(now, userId, id);
    applyRollupDelta(sqlite, before, 1);
    searchIndexWriter(sqlite).put({ caseId: id, caseNo: before.caseNo, goods: before.goodsDescription, holderNames: holderNames(sqlite, id) });
    audit(sqlite, { userId, action: "restore", entityId: id, before: { deletedAt: before.deletedAt, version: before.version }, after: { deletedAt: null, version: before.version + 1 } });
  })();
}
