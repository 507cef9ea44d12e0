import "server-only";
import { getEngine } from "../client";
import { listOutbox, mailConfigured, outboxSummary, retryMailAudited, type OutboxEntry, type OutboxSummary } from "../outbox";

// The outbox as admins see it (/admin/outbox): counts by status, the latest mails with their
// attempts and last error, whether SMTP_URL is set; and an admin's retry, audited.

export { OutboxNotFoundError } from "../outbox";
export type { OutboxEntry, OutboxSummary };

export async function outboxOverview(limit = 100): Promise<{ configured: boolean; summary: OutboxSummary; mails: OutboxEntry[] }> {
  const e = getEngine();
  const [summary, mails] = await Promise.all([outboxSummary(e), listOutbox(e, limit)]);
  return { configured: mailConfigured(), summary, mails };
}

/** Mails waiting or given up: the admin page's count. */
export async function outboxOpenCount(): Promise<number> {
  const s = await outboxSummary(getEngine());
  return s.pending + s.failed;
}

/** An admin's retry of a waiting or given-up mail: due now, attempts from 0, with its audit entry (one transaction). */
export async function retryOutboxMail(id: number, actorId: string): Promise<{ id: number }> {
  await retryMailAudited(getEngine(), id, actorId);
  return { id };
}
