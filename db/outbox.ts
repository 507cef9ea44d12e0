// THE OUTBOX. The one way to send an e-mail:
//
//   enqueueMail(tx: Engine, mail: { to: string; locale: Locale; subject: string; text: string; html?: string; headers?: Record<string, string>; dedupeKey: string }): Promise<boolean>
//
//   - `tx` must be a writing transaction (`e.transaction(async (tx) => …)`): the mail is a row
//     written by the same transaction as the write it tells of, so a mail exists if and only if
//     that write committed (a rollback leaves no mail). Called outside one it throws.
//   - `dedupeKey` is unique in the outbox (e.g. `reset:<token>`, `notice:<step id>:<user id>`):
//     enqueueing the same key again is a no-op. Returns true when a new mail was written.
//   - `locale` ("en" | "zh") is the language the texts are written in (the recipient's
//     `user.locale`); texts come from lib/mail-texts.ts (use-intl/core, never next-intl's root).
//
// Sending never blocks a write: every server process runs a sender (startOutboxSender, from
// instrumentation.ts; not reader processes, not scripts) that claims due rows atomically with a
// 2-minute lease (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: its one write lock), sends them
// through nodemailer to SMTP_URL, and marks them sent. A failure is tried again after 1, 2, 4 …
// minutes (at most an hour); after 8 attempts the mail is `failed` until an admin retries it
// (/admin/outbox). A lease whose server died expires and another server takes the mail over.
// Without SMTP_URL nothing is claimed: mail waits. If a server dies between the SMTP server's
// acceptance and the "sent" mark, that mail may go twice (both copies carry the same Message-ID).
import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Locale } from "../lib/enums";
import { appUrl, mailFrom, outboxPollMs, smtpUrl } from "../lib/env";
import { writeAudit } from "./audit";
import type { Engine } from "./engine";

export type OutgoingMail = {
  to: string; locale: Locale; subject: string; text: string; html?: string; dedupeKey: string;
  /** extra headers sent with the mail (a digest's List-Unsubscribe, RFC 8058); names of letters, digits and dashes, values of one line */
  headers?: Record<string, string>;
};

export const LEASE_MS = 2 * 60_000;
export const MAX_ATTEMPTS = 8;
const MINUTE = 60_000;

/** The wait after the n-th failed attempt (n ≥ 1): 1, 2, 4 … minutes, at most an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(60 * MINUTE, MINUTE * 2 ** Math.max(0, attempts - 1));
}

/** Writes a mail in the caller's writing transaction (see the top of this file). */
export async function enqueueMail(tx: Engine, mail: OutgoingMail, now = Date.now()): Promise<boolean> {
  if (!tx.inTransaction) throw new Error("enqueueMail runs only inside a writing transaction (e.transaction), so that a mail exists only if its write committed.");
  if (mail.locale !== "en" && mail.locale !== "zh") throw new Error(`enqueueMail: unknown locale "${String(mail.locale)}".`);
  if (!/^[^\s@]+@[^\s@]+$/.test(mail.to)) throw new Error(`enqueueMail: "${mail.to}" is not an e-mail address.`);
  if (!mail.dedupeKey) throw new Error("enqueueMail needs a dedupeKey.");
  for (const [name, value] of Object.entries(mail.headers ?? {})) {
    if (!/^[A-Za-z0-9-]+$/.test(name) || /[\r\n]/.test(value)) throw new Error(`enqueueMail: the header "${name}" is not a header name with a one-line value.`);
  }
  const { outbox } = tx.t;
  const written = await tx.db
    .insert(outbox)
    .values({
      dedupeKey: mail.dedupeKey,
      toAddress: mail.to,
      locale: mail.locale,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html ?? null,
      headers: mail.headers && Object.keys(mail.headers).length ? JSON.stringify(mail.headers) : null,
      status: "pending",
      attempts: 0,
      nextAttemptAt: now,
      messageId: `<${randomUUID()}@${messageIdHost()}>`,
      createdAt: now,
    })
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id });
  if (written.length) wakeSender();
  return written.length > 0;
}

function messageIdHost(): string {
  try {
    return new URL(appUrl()).hostname || "localhost";
  } catch {
    return "localhost";
  }
}

// ---- claiming and sending -------------------------------------------------------------------

export type ClaimedMail = {
  id: number;
  toAddress: string;
  locale: Locale;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  attempts: number;
  messageId: string;
  headers: Record<string, string>;
};

/** What sends a mail: a nodemailer transporter (or a test's stand-in). */
export type MailTransport = {
  sendMail(mail: { from: string; to: string; subject: string; text: string; html?: string; messageId: string; headers?: Record<string, string> }): Promise<unknown>;
};

/**
 * Claims up to `limit` due mails for `owner` with a lease of LEASE_MS, counting the attempt:
 * pending, due, and not leased (or leased by a sender whose lease expired). Two senders never
 * claim the same row while its lease runs.
 */
export async function claimMail(e: Engine, owner: string, now = Date.now(), limit = 10): Promise<ClaimedMail[]> {
  const { outbox } = e.t;
  // a plain read first: most rounds find nothing due, and then take no write lock at all
  const due = await e.get(sql`select 1 as due from ${outbox} where status = 'pending' and next_attempt_at <= ${now} and (lease_until is null or lease_until <= ${now}) limit 1`);
  if (!due) return [];
  const lock = e.dialect === "postgres" ? sql` for update skip locked` : sql``;
  const rows = await e.transaction((tx) =>
    tx.all<Record<string, unknown>>(sql`update ${outbox} set lease_until = ${now + LEASE_MS}, lease_owner = ${owner}, attempts = attempts + 1
      where id in (select id from ${outbox}
        where status = 'pending' and next_attempt_at <= ${now} and (lease_until is null or lease_until <= ${now})
        order by next_attempt_at, id limit ${limit}${lock})
      returning id, to_address as "toAddress", locale, subject, text_body as "textBody", html_body as "htmlBody", attempts, message_id as "messageId", headers`),
  );
  return rows
    .map((r) => ({
      id: Number(r.id),
      toAddress: String(r.toAddress),
      locale: r.locale as Locale,
      subject: String(r.subject),
      textBody: String(r.textBody),
      htmlBody: r.htmlBody === null || r.htmlBody === undefined ? null : String(r.htmlBody),
      attempts: Number(r.attempts),
      messageId: String(r.messageId),
      headers: typeof r.headers === "string" && r.headers ? (JSON.parse(r.headers) as Record<string, string>) : {},
    }))
    .sort((a, b) => a.id - b.id);
}

/** Marks a claimed mail sent (whoever holds its lease now: it was delivered). */
export async function markSent(e: Engine, id: number, now = Date.now()): Promise<void> {
  const { outbox } = e.t;
  await e.transaction((tx) =>
    tx.db
      .update(outbox)
      .set({ status: "sent", sentAt: now, leaseUntil: null, leaseOwner: null, lastError: null })
      .where(and(eq(outbox.id, id), eq(outbox.status, "pending"))),
  );
}

/** Records a failed attempt of `owner`'s claim: due again after the back-off, or `failed` after MAX_ATTEMPTS. */
export async function markFailed(e: Engine, mail: Pick<ClaimedMail, "id" | "attempts">, owner: string, error: string, now = Date.now()): Promise<void> {
  const { outbox } = e.t;
  const givenUp = mail.attempts >= MAX_ATTEMPTS;
  await e.transaction((tx) =>
    tx.db
      .update(outbox)
      .set({
        status: givenUp ? "failed" : "pending",
        nextAttemptAt: now + backoffMs(mail.attempts),
        leaseUntil: null,
        leaseOwner: null,
        lastError: error.slice(0, 1000),
      })
      .where(and(eq(outbox.id, mail.id), eq(outbox.leaseOwner, owner), eq(outbox.status, "pending"))),
  );
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** One round: claims due mail and sends it; returns how many were sent and how many failed. */
export async function sendDueMail(
  e: Engine,
  transport: MailTransport,
  options: { owner: string; now?: () => number; limit?: number; from?: string },
): Promise<{ claimed: number; sent: number; failed: number }> {
  const now = options.now ?? Date.now;
  const claimed = await claimMail(e, options.owner, now(), options.limit ?? 10);
  let sent = 0;
  let failed = 0;
  const from = options.from ?? mailFrom();
  for (const mail of claimed) {
    try {
      await transport.sendMail({
        from,
        to: mail.toAddress,
        subject: mail.subject,
        text: mail.textBody,
        ...(mail.htmlBody ? { html: mail.htmlBody } : {}),
        messageId: mail.messageId,
        headers: { ...mail.headers, "Content-Language": mail.locale === "zh" ? "zh-CN" : "en" },
      });
    } catch (error) {
      failed++;
      await markFailed(e, mail, options.owner, describe(error), now());
      continue;
    }
    sent++;
    await markSent(e, mail.id, now());
  }
  return { claimed: claimed.length, sent, failed };
}

/** A nodemailer transporter for an smtp:// or smtps:// URL, with timeouts well inside the lease. */
export async function smtpTransport(url: string): Promise<MailTransport & { close(): void }> {
  const nodemailer = (await import("nodemailer")).default;
  const parsed = new URL(url);
  const transporter = nodemailer.createTransport({
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : parsed.protocol === "smtps:" ? 465 : 587,
    secure: parsed.protocol === "smtps:",
    auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return transporter as unknown as MailTransport & { close(): void };
}

// ---- the sender of a server process ----------------------------------------------------------

export type Sender = { readonly owner: string; wake(): void; stop(): Promise<void> };

const senders = globalThis as unknown as { iprOutboxSender?: Sender };

/** Asks this process's sender (if it runs) to look for mail soon. */
function wakeSender(): void {
  const sender = senders.iprOutboxSender;
  if (sender) setTimeout(() => sender.wake(), 25).unref?.();
}

/**
 * Starts a sender over `e`: every `pollMs` (OUTBOX_POLL_MS) and soon after a mail is enqueued in
 * this process, it sends what is due. The transport is SMTP_URL's unless one is given; with
 * neither, it does nothing and mail waits. `owner` names it in leases.
 */
export function startOutboxSender(
  e: Engine,
  options: { transport?: MailTransport; pollMs?: number; owner?: string; now?: () => number; from?: string; register?: boolean } = {},
): Sender {
  const owner = options.owner ?? `${process.pid}-${randomBytes(4).toString("hex")}`;
  const pollMs = options.pollMs ?? outboxPollMs();
  let transport: MailTransport | null | undefined = options.transport;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let lastError = "";

  const transportNow = async (): Promise<MailTransport | null> => {
    if (transport !== undefined) return transport;
    const url = smtpUrl();
    transport = url ? await smtpTransport(url) : null;
    return transport;
  };

  const round = async () => {
    do {
      again = false;
      const t = await transportNow();
      if (!t) return;
      let result;
      try {
        result = await sendDueMail(e, t, { owner, now: options.now, from: options.from });
        lastError = "";
      } catch (error) {
        // the database unreachable or busy: the next round tries again (said once, not every round)
        const said = describe(error);
        if (said !== lastError) console.error(`[outbox] ${said}`);
        lastError = said;
        return;
      }
      if (result.claimed >= 10) again = true;
    } while (again && !stopped);
  };

  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    running = round().finally(() => {
      running = null;
      if (!stopped) {
        timer = setTimeout(tick, again ? 0 : pollMs);
        timer.unref?.();
      }
    });
  };

  const sender: Sender = {
    owner,
    wake: tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      if (senders.iprOutboxSender === sender) senders.iprOutboxSender = undefined;
      const closable = transport as { close?: () => void } | null | undefined;
      if (!options.transport) closable?.close?.();
    },
  };
  if (options.register !== false) senders.iprOutboxSender = sender;
  timer = setTimeout(tick, 0);
  timer.unref?.();
  return sender;
}

/** Whether mail can leave: SMTP_URL is set. */
export function mailConfigured(): boolean {
  return smtpUrl() !== undefined;
}

// ---- what admins see and do (/admin/outbox) -----------------------------------------------

export type OutboxSummary = { pending: number; sent: number; failed: number; leased: number };

export async function outboxSummary(e: Engine, now = Date.now()): Promise<OutboxSummary> {
  const { outbox } = e.t;
  const rows = await e.all<{ status: string; n: number | string; leased: number | string }>(
    sql`select status, count(*) as n, sum(case when lease_until > ${now} then 1 else 0 end) as leased from ${outbox} group by status`,
  );
  const out: OutboxSummary = { pending: 0, sent: 0, failed: 0, leased: 0 };
  for (const r of rows) {
    if (r.status === "pending" || r.status === "sent" || r.status === "failed") out[r.status] = Number(r.n);
    out.leased += Number(r.leased ?? 0);
  }
  return out;
}

export type OutboxEntry = {
  id: number;
  toAddress: string;
  locale: Locale;
  subject: string;
  status: "pending" | "sent" | "failed";
  attempts: number;
  nextAttemptAt: number;
  leaseUntil: number | null;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
};

/** The newest mails first (failed and waiting ones ahead of the sent), at most `limit`. */
export async function listOutbox(e: Engine, limit = 100): Promise<OutboxEntry[]> {
  const { outbox } = e.t;
  const rows = await e.db
    .select({
      id: outbox.id,
      toAddress: outbox.toAddress,
      locale: outbox.locale,
      subject: outbox.subject,
      status: outbox.status,
      attempts: outbox.attempts,
      nextAttemptAt: outbox.nextAttemptAt,
      leaseUntil: outbox.leaseUntil,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
    })
    .from(outbox)
    .orderBy(sql`case ${outbox.status} when 'failed' then 0 when 'pending' then 1 else 2 end`, sql`${outbox.id} desc`)
    .limit(limit);
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    locale: r.locale as Locale,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.nextAttemptAt),
    leaseUntil: r.leaseUntil === null ? null : Number(r.leaseUntil),
    createdAt: Number(r.createdAt),
    sentAt: r.sentAt === null ? null : Number(r.sentAt),
  }));
}

export class OutboxNotFoundError extends Error {
  override name = "OutboxNotFoundError";
}

/**
 * An admin's retry, in the caller's transaction: a failed (or waiting) mail is due now with its
 * attempts counted from 0 again. Returns the row before and after, for the audit entry. A sent
 * mail, or one that does not exist, is an OutboxNotFoundError (nothing to retry).
 */
export async function retryMail(tx: Engine, id: number, now = Date.now()): Promise<{ before: { status: string; attempts: number; lastError: string | null }; after: { status: string; attempts: number } }> {
  if (!tx.inTransaction) throw new Error("retryMail runs inside the transaction that writes its audit entry.");
  const { outbox } = tx.t;
  const [row] = await tx.db
    .select({ status: outbox.status, attempts: outbox.attempts, lastError: outbox.lastError })
    .from(outbox)
    .where(eq(outbox.id, id))
    .limit(1);
  if (!row || row.status === "sent") throw new OutboxNotFoundError(`There is no mail ${id} waiting or given up.`);
  await tx.db
    .update(outbox)
    .set({ status: "pending", attempts: 0, nextAttemptAt: now, leaseUntil: null, leaseOwner: null })
    .where(eq(outbox.id, id));
  wakeSender();
  return { before: { status: row.status, attempts: Number(row.attempts), lastError: row.lastError }, after: { status: "pending", attempts: 0 } };
}

/** An admin's retry (retryMail) with its audit entry, in one transaction. */
export async function retryMailAudited(e: Engine, id: number, actorId: string, now = Date.now()): Promise<void> {
  await e.transaction(async (tx) => {
    const { before, after } = await retryMail(tx, id, now);
    await writeAudit(tx, { userId: actorId, action: "update", entity: "outbox_mail", entityId: id, before, after: { ...after, retriedBy: actorId }, at: now });
  });
}
