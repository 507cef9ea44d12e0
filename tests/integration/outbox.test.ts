import { spawn } from "node:child_process";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backoffMs, claimMail, enqueueMail, LEASE_MS, markFailed, MAX_ATTEMPTS, outboxSummary, retryMailAudited, sendDueMail, smtpTransport,
  startOutboxSender, OutboxNotFoundError, type MailTransport,
} from "../../db/outbox";
import type { Engine } from "../../db/engine";
import { resetPasswordMail } from "../../lib/mail-texts";
import { ROOT, TSX } from "../support/db";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";
import { startTestSmtp, type TestSmtp } from "../support/smtp";

// The outbox on both engines: a mail exists iff its write committed; a dedupe key makes a repeat
// a no-op; delivery to a real SMTP server (smtp-server, started here) in each language; retry
// after that server was down; give-up after 8 attempts and an admin's audited retry; a lease
// that expires passes to another sender; two sender processes racing over 50 mails deliver
// each exactly once. Clocks are passed in: no test waits for time.

const T0 = Date.UTC(2026, 10, 30, 8, 0, 0);

async function rows(e: Engine) {
  return e.db.select().from(e.t.outbox).orderBy(e.t.outbox.id);
}

async function enqueue(e: Engine, key: string, to = "someone@example.test", locale: "en" | "zh" = "en", now = T0) {
  return e.transaction((tx) => enqueueMail(tx, { to, locale, subject: `Subject ${key}`, text: `Text ${key}`, dedupeKey: key }, now));
}

describe.each(ENGINES)("outbox on %s", (dialect) => {
  let db: FreshEngine;
  let smtp: TestSmtp;
  let transport: MailTransport & { close(): void };

  beforeAll(async () => {
    db = await freshEngine(dialect, "outbox");
    smtp = await startTestSmtp();
    transport = await smtpTransport(smtp.url);
  });
  afterAll(async () => {
    transport?.close();
    await smtp?.stop();
    await db?.close();
  });

  const clear = async () => {
    await db.e.transaction((tx) => tx.run(sql`delete from ${tx.t.outbox}`));
    smtp.received.length = 0;
  };

  it("writes a mail only inside a transaction, and a rollback leaves none", async () => {
    await clear();
    const { e } = db;
    await expect(enqueueMail(e, { to: "a@example.test", locale: "en", subject: "s", text: "t", dedupeKey: "outside" })).rejects.toThrow(/inside a writing transaction/);
    await expect(
      e.transaction(async (tx) => {
        await enqueueMail(tx, { to: "a@example.test", locale: "en", subject: "s", text: "t", dedupeKey: "rolled-back" });
        throw new Error("the write failed");
      }),
    ).rejects.toThrow("the write failed");
    expect(await rows(e)).toEqual([]);
    await expect(e.transaction((tx) => enqueueMail(tx, { to: "a@example.test", locale: "fr" as "en", subject: "s", text: "t", dedupeKey: "x" }))).rejects.toThrow(/locale/);
    expect(await rows(e)).toEqual([]);
  });

  it("makes a repeated dedupe key a no-op", async () => {
    await clear();
    const { e } = db;
    expect(await enqueue(e, "event:1")).toBe(true);
    expect(await enqueue(e, "event:1", "other@example.test")).toBe(false);
    // in one transaction too
    await e.transaction(async (tx) => {
      expect(await enqueueMail(tx, { to: "b@example.test", locale: "zh", subject: "s", text: "t", dedupeKey: "event:2" })).toBe(true);
      expect(await enqueueMail(tx, { to: "b@example.test", locale: "zh", subject: "s", text: "t", dedupeKey: "event:2" })).toBe(false);
    });
    const all = await rows(e);
    expect(all.map((r) => [r.dedupeKey, r.toAddress, r.status, r.attempts])).toEqual([
      ["event:1", "someone@example.test", "pending", 0],
      ["event:2", "b@example.test", "pending", 0],
    ]);
  });

  it("delivers to a real SMTP server in each language, with its Message-ID", async () => {
    await clear();
    const { e } = db;
    for (const locale of ["en", "zh"] as const) {
      const mail = resetPasswordMail(locale, { name: "Li Wei", url: `https://ipr.example.cn/login/reset?token=${locale}`, minutes: 60 });
      await e.transaction((tx) => enqueueMail(tx, { to: `${locale}@example.test`, locale, ...mail, dedupeKey: `reset:${locale}` }, T0));
    }
    const result = await sendDueMail(e, transport, { owner: "a", now: () => T0 });
    expect(result).toEqual({ claimed: 2, sent: 2, failed: 0 });
    const got = await smtp.waitFor(2);
    const en = got.find((m) => m.to === "en@example.test")!;
    const zh = got.find((m) => m.to === "zh@example.test")!;
    expect(en.subject).toBe("Reset your password");
    expect(en.text).toContain("https://ipr.example.cn/login/reset?token=en");
    expect(en.html).toContain('href="https://ipr.example.cn/login/reset?token=en"');
    expect(en.language).toBe("en");
    expect(zh.subject).toBe("重置您的密码");
    expect(zh.text).toContain("Li Wei，您好");
    expect(zh.text).toContain("60分钟内有效");
    expect(zh.language).toBe("zh-CN");
    const stored = await rows(e);
    expect(stored.map((r) => r.status)).toEqual(["sent", "sent"]);
    expect(stored.map((r) => Number(r.sentAt))).toEqual([T0, T0]);
    expect(new Set(got.map((m) => m.messageId))).toEqual(new Set(stored.map((r) => r.messageId)));
    // nothing is sent twice
    expect(await sendDueMail(e, transport, { owner: "a", now: () => T0 + 10 * 60_000 })).toEqual({ claimed: 0, sent: 0, failed: 0 });
  });

  it("tries again after the SMTP server was down, after the back-off", async () => {
    await clear();
    const { e } = db;
    await enqueue(e, "down:1", "down@example.test");
    await smtp.stop();
    try {
      expect(await sendDueMail(e, transport, { owner: "a", now: () => T0 })).toMatchObject({ claimed: 1, sent: 0, failed: 1 });
      let [row] = await rows(e);
      expect(row).toMatchObject({ status: "pending", attempts: 1, leaseUntil: null });
      expect(Number(row!.nextAttemptAt)).toBe(T0 + 60_000);
      expect(row!.lastError).toMatch(/ECONNREFUSED|connect/i);
      // not due before the minute is up
      expect(await sendDueMail(e, transport, { owner: "a", now: () => T0 + 59_999 })).toMatchObject({ claimed: 0 });
      await smtp.start();
      expect(await sendDueMail(e, transport, { owner: "a", now: () => T0 + 60_000 })).toMatchObject({ claimed: 1, sent: 1 });
      [row] = await rows(e);
      expect(row).toMatchObject({ status: "sent", attempts: 2, lastError: null });
      expect((await smtp.waitFor(1))[0]!.to).toBe("down@example.test");
    } finally {
      if (!(await smtpUp(smtp))) await smtp.start();
    }
  });

  it("gives up after 8 attempts with back-off 1, 2, 4 … minutes up to an hour; an admin's retry is audited and sends it", async () => {
    await clear();
    const { e } = db;
    await enqueue(e, "give-up:1", "late@example.test");
    const failing: MailTransport = { sendMail: async () => Promise.reject(new Error("550 mailbox unavailable")) };
    let now = T0;
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(await sendDueMail(e, failing, { owner: "a", now: () => now })).toMatchObject({ claimed: 1, failed: 1 });
      const [row] = await rows(e);
      waits.push((Number(row!.nextAttemptAt) - now) / 60_000);
      expect(row!.status).toBe(attempt < MAX_ATTEMPTS ? "pending" : "failed");
      now = Number(row!.nextAttemptAt);
    }
    expect(waits.slice(0, 7)).toEqual([1, 2, 4, 8, 16, 32, 60]);
    expect(backoffMs(20)).toBe(60 * 60_000);
    // given up: never claimed again
    expect(await sendDueMail(e, transport, { owner: "a", now: () => now + 24 * 3600_000 })).toMatchObject({ claimed: 0 });
    const [failed] = await rows(e);
    expect(failed).toMatchObject({ status: "failed", attempts: 8, lastError: "550 mailbox unavailable" });
    expect(await outboxSummary(e, now)).toMatchObject({ pending: 0, failed: 1 });

    await retryMailAudited(e, failed!.id, "admin-1", now + 1000);
    const audit = await e.db.select().from(e.t.auditLog).where(eq(e.t.auditLog.entity, "outbox_mail"));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ userId: "admin-1", action: "update", entityId: failed!.id });
    expect(JSON.parse(JSON.stringify(audit[0]!.before))).toMatchObject({ status: "failed", attempts: 8 });
    expect(await sendDueMail(e, transport, { owner: "a", now: () => now + 1000 })).toMatchObject({ claimed: 1, sent: 1 });
    expect((await rows(e))[0]).toMatchObject({ status: "sent", attempts: 1 });
    // a sent mail (or none) cannot be retried, and nothing is audited then
    await expect(retryMailAudited(e, failed!.id, "admin-1")).rejects.toBeInstanceOf(OutboxNotFoundError);
    await expect(retryMailAudited(e, 999_999, "admin-1")).rejects.toBeInstanceOf(OutboxNotFoundError);
    expect(await e.db.select().from(e.t.auditLog).where(eq(e.t.auditLog.entity, "outbox_mail"))).toHaveLength(1);
  });

  it("passes a mail whose lease expired to another sender; the first sender's late failure changes nothing", async () => {
    await clear();
    const { e } = db;
    await enqueue(e, "lease:1", "lease@example.test");
    const [claimedByA] = await claimMail(e, "server-a", T0);
    expect(claimedByA).toMatchObject({ attempts: 1 });
    // while A's lease runs nobody else gets it
    expect(await claimMail(e, "server-b", T0 + LEASE_MS - 1)).toEqual([]);
    // A died: its lease expires and B takes the mail over
    const [claimedByB] = await claimMail(e, "server-b", T0 + LEASE_MS);
    expect(claimedByB).toMatchObject({ id: claimedByA!.id, attempts: 2 });
    await markFailed(e, claimedByA!, "server-a", "late failure of a", T0 + LEASE_MS + 1);
    expect((await rows(e))[0]).toMatchObject({ status: "pending", leaseOwner: "server-b", lastError: null });
    expect(await sendDueMail(e, transport, { owner: "server-b", now: () => T0 + 2 * LEASE_MS + 1 })).toMatchObject({ claimed: 1, sent: 1 });
  });

  it("a running sender sends a committed mail soon after it is written", async () => {
    await clear();
    const { e } = db;
    const sender = startOutboxSender(e, { transport, pollMs: 60_000, owner: "running", register: true });
    try {
      await enqueue(e, "soon:1", "soon@example.test", "zh", Date.now());
      const [mail] = await smtp.waitFor(1);
      expect(mail!.to).toBe("soon@example.test");
    } finally {
      await sender.stop();
    }
  });

  it("two sender processes racing over 50 mails deliver exactly 50", async () => {
    await clear();
    const { e } = db;
    await e.transaction(async (tx) => {
      for (let i = 0; i < 50; i++) await enqueueMail(tx, { to: `race${i}@example.test`, locale: i % 2 ? "zh" : "en", subject: `race ${i}`, text: `race ${i}`, dedupeKey: `race:${i}` });
    });
    const child = (owner: string) =>
      new Promise<{ owner: string; sent: number }>((resolve, reject) => {
        const p = spawn(TSX, [path.join(ROOT, "tests/support/outbox-sender-child.ts"), owner], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: db.url, SMTP_URL: smtp.url },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        p.stdout.on("data", (d) => (out += d));
        p.stderr.on("data", (d) => (err += d));
        p.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(`sender ${owner} exited ${code}: ${err}`))));
      });
    const results = await Promise.all([child("one"), child("two")]);
    const got = await smtp.waitFor(50);
    expect(results[0]!.sent + results[1]!.sent).toBe(50);
    expect(got).toHaveLength(50);
    expect(new Set(got.map((m) => m.to)).size).toBe(50);
    expect(new Set(got.map((m) => m.messageId)).size).toBe(50);
    const stored = await rows(e);
    expect(stored.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });
});

async function smtpUp(smtp: TestSmtp): Promise<boolean> {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const socket = net.connect(smtp.port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
