import { createHash, createHmac, randomBytes } from "node:crypto";
import { and, asc, eq, gte, lt, ne, or, isNull, sql, desc } from "drizzle-orm";
import { isLocale, type Locale, type Role } from "../lib/enums";
import { appUrl } from "../lib/env";
import { parseCaseQuery, parseComparison, parseFilters, type Filters } from "../lib/filters";
import { filterSummary } from "../lib/filter-labels";
import { duePeriod, isFrequency, type DigestPeriod, type Frequency } from "../lib/digest-period";
import { comparisonPeriod, previousPeriod, type Period } from "../lib/period";
import { caseScope, type SessionUser } from "../lib/roles";
import { viewHref, type ViewPage } from "../lib/views";
import { digestMail, type DigestContent } from "../lib/digest-mail";
import { writeAudit } from "./audit";
import { authSecret } from "./auth";
import { casesWhere, type FilterOptions } from "./case-filters";
import type { Engine } from "./engine";
import { enqueueMail } from "./outbox";
import { caseRowsOf, filterNames } from "./queries/cases";
import { getDashboardStats } from "./queries/stats";
import { getView, type ViewReader } from "./views";

// Digest subscriptions (issue 20, item 3). A user subscribes to a saved view it may see (its own
// or one shared with it), weekly or monthly (lib/digest-period.ts). Every server scans every
// minute (db/digest-scanner.ts): a subscription whose period is due gets one e-mail through the
// outbox, computed in the SUBSCRIBER's scope (a member: its own company's cases, the case
// table's redaction), whoever owns the view. Once, even with several servers: the
// subscription's `last_period_key` moves in the same transaction as the mail is enqueued, and
// the mail's dedupe key `digest:<subscription>:<period>` is unique in the outbox.
//
// The unsubscribe link (/unsubscribe/<token>, no sign-in) carries a token derived from the auth
// secret and the row's nonce (HMAC-SHA-256); the table keeps its SHA-256 only. It stops that
// one subscription.

export class SubscriptionError extends Error {
  constructor(readonly field: string, readonly code: string) {
    super(`${field}: ${code}`);
  }
}

export type Subscriber = ViewReader;
export type MySubscription = { id: number; viewId: number; viewName: string; page: ViewPage; frequency: Frequency; createdAt: number };

const MAX_NEW_CASES = 5;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The token of the unsubscribe link of subscription `id` (its nonce from the table). */
export function unsubscribeToken(secret: string, id: number, nonce: string): string {
  return createHmac("sha256", secret).update(`unsubscribe:${id}:${nonce}`).digest("base64url");
}

/** The unsubscribe link's address on APP_URL (never a request's Host). */
export function unsubscribeUrl(token: string): string {
  return `${appUrl().replace(/\/+$/, "")}/unsubscribe/${token}`;
}

/** The user's subscriptions, by view name (only views it may still see). */
export async function listSubscriptions(e: Engine, user: Subscriber): Promise<MySubscription[]> {
  const { subscriptions: s, savedViews: v } = e.t;
  const rows = await e.db
    .select({ id: s.id, viewId: s.viewId, frequency: s.frequency, createdAt: s.createdAt, name: v.name, page: v.page })
    .from(s)
    .innerJoin(v, eq(v.id, s.viewId))
    .where(eq(s.userId, user.id))
    .orderBy(asc(v.name), asc(s.id));
  const out: MySubscription[] = [];
  for (const r of rows) {
    if (!(await getView(e, user, Number(r.viewId)))) continue;
    out.push({ id: Number(r.id), viewId: Number(r.viewId), viewName: r.name, page: r.page as ViewPage, frequency: r.frequency as Frequency, createdAt: Number(r.createdAt) });
  }
  return out;
}

/**
 * Sets the user's digest of a view it may see: weekly, monthly, or off (no subscription). One
 * transaction with its audit entry (entity "subscription"); setting what is already set writes
 * nothing.
 */
export async function setSubscription(e: Engine, user: Subscriber, viewId: number, frequency: Frequency | "off", now = Date.now()): Promise<{ id: number | null }> {
  if (frequency !== "off" && !isFrequency(frequency)) throw new SubscriptionError("frequency", "invalid");
  const view = await getView(e, user, viewId);
  if (!view) throw new SubscriptionError("id", "not_found");
  return e.transaction(async (tx) => {
    const { subscriptions: s } = tx.t;
    const [existing] = await tx.db.select().from(s).where(and(eq(s.userId, user.id), eq(s.viewId, viewId))).limit(1);
    if (frequency === "off") {
      if (!existing) return { id: null };
      await tx.db.delete(s).where(eq(s.id, existing.id));
      await writeAudit(tx, { userId: user.id, action: "delete", entity: "subscription", entityId: Number(existing.id), before: { viewId, view: view.name, frequency: existing.frequency }, after: null, at: now });
      return { id: null };
    }
    if (existing) {
      if (existing.frequency === frequency) return { id: Number(existing.id) };
      await tx.db.update(s).set({ frequency, updatedAt: now }).where(eq(s.id, existing.id));
      await writeAudit(tx, { userId: user.id, action: "update", entity: "subscription", entityId: Number(existing.id), before: { viewId, view: view.name, frequency: existing.frequency }, after: { viewId, view: view.name, frequency }, at: now });
      return { id: Number(existing.id) };
    }
    // the token's hash must be unique before the id is known: a random placeholder, then the real one
    const nonce = randomBytes(16).toString("base64url");
    const [row] = await tx.db
      .insert(s)
      .values({ userId: user.id, viewId, frequency, tokenNonce: nonce, tokenHash: `pending:${nonce}`, lastPeriodKey: null, createdAt: now, updatedAt: now })
      .returning({ id: s.id });
    const id = Number(row!.id);
    await tx.db.update(s).set({ tokenHash: sha256(unsubscribeToken(await authSecret(tx), id, nonce)) }).where(eq(s.id, id));
    await writeAudit(tx, { userId: user.id, action: "create", entity: "subscription", entityId: id, before: null, after: { viewId, view: view.name, frequency }, at: now });
    return { id };
  });
}

export type TokenSubscription = { id: number; viewName: string; frequency: Frequency; email: string; locale: Locale };

/** What an unsubscribe link stands for (null: unknown, already used, or its view deleted). */
export async function subscriptionByToken(e: Engine, token: string): Promise<TokenSubscription | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const { subscriptions: s, savedViews: v, users: u } = e.t;
  const [row] = await e.db
    .select({ id: s.id, frequency: s.frequency, name: v.name, email: u.email, locale: u.locale })
    .from(s)
    .innerJoin(v, eq(v.id, s.viewId))
    .innerJoin(u, eq(u.id, s.userId))
    .where(eq(s.tokenHash, sha256(token)))
    .limit(1);
  if (!row) return null;
  return { id: Number(row.id), viewName: row.name, frequency: row.frequency as Frequency, email: row.email, locale: isLocale(row.locale) ? row.locale : "en" };
}

/** Stops the one subscription of this token (its audit entry names its user, "via": "link"); null when the token is unknown or used. */
export async function unsubscribeByToken(e: Engine, token: string, now = Date.now()): Promise<TokenSubscription | null> {
  const found = await subscriptionByToken(e, token);
  if (!found) return null;
  return e.transaction(async (tx) => {
    const { subscriptions: s } = tx.t;
    const gone = await tx.db.delete(s).where(and(eq(s.id, found.id), eq(s.tokenHash, sha256(token)))).returning({ id: s.id, userId: s.userId, viewId: s.viewId });
    if (!gone.length) return null; // another request used it first
    await writeAudit(tx, {
      userId: gone[0]!.userId, action: "delete", entity: "subscription", entityId: found.id,
      before: { viewId: Number(gone[0]!.viewId), view: found.viewName, frequency: found.frequency }, after: { viaLink: true }, at: now,
    });
    return found;
  });
}

// ---- the digest --------------------------------------------------------------------------

/** The view's filter as the one filter model parses it (a case-table view: its filter, not its sort). */
export function viewFilters(page: ViewPage, query: string): Filters {
  const params = new URLSearchParams(query);
  return page === "dashboard" ? parseFilters(params).filters : parseCaseQuery(params).query.filters;
}

export type Comparison = Period & { kind: "prev" | "yoy" | "custom" };

/**
 * THE comparison of a digest: the view's chosen comparison (its `cmp`, `cmpFrom`, `cmpTo`, as
 * the dashboard parses them: lib/filters.ts parseComparison) applied to the digest's period by
 * the dashboard's own lib/period.ts comparisonPeriod — `prev` the period just before (the week
 * before, the month before), `yoy` the same dates a year earlier (29 February → 28 February),
 * `custom` the view's own period.
 */
export function digestComparison(viewQuery: string, period: Pick<DigestPeriod, "from" | "to">): Comparison {
  const { comparison: spec } = parseComparison(new URLSearchParams(viewQuery));
  const chosen = comparisonPeriod(spec, period.from, period.to);
  return chosen ? { kind: spec.kind, ...chosen } : { kind: "prev", ...previousPeriod(period.from, period.to)! };
}

type Account = { id: string; name: string; email: string; locale: Locale; role: Role; holderId: number | null };

/** The digest of one view for one subscriber and period: figures and new cases in the subscriber's scope. */
export async function computeDigest(
  e: Engine,
  account: Account,
  view: { id: number; name: string; page: ViewPage; query: string },
  period: DigestPeriod,
): Promise<DigestContent> {
  const user: SessionUser = { id: account.id, email: account.email, name: account.name, role: account.role, holderId: account.holderId };
  const scope: FilterOptions = caseScope(user);
  const filters = viewFilters(view.page, view.query);
  const comparison = digestComparison(view.query, period);
  const today = new Date(period.sendAt);
  const current = (await getDashboardStats(e, { ...filters, from: period.from, to: period.to }, scope, today)).kpis;
  const previous = (await getDashboardStats(e, { ...filters, from: comparison.from, to: comparison.to }, scope, today)).kpis;
  // the largest cases entered in the period, under the view's filter (its dates aside), in scope
  const { cases } = e.t;
  const where = await casesWhere(e, { ...filters, from: null, to: null }, scope);
  const entered = and(where, gte(cases.createdAt, new Date(period.startMs)), lt(cases.createdAt, new Date(period.endMs)));
  const ids = (await e.db.select({ id: cases.id }).from(cases).where(entered).orderBy(desc(cases.valueFen), asc(cases.id)).limit(MAX_NEW_CASES)).map((r) => Number(r.id));
  const rows = await caseRowsOf(e, ids, scope);
  const names = await filterNames(e, filters, scope);
  const base = appUrl().replace(/\/+$/, "");
  return {
    viewName: view.name,
    frequency: period.frequency,
    period: { from: period.from, to: period.to },
    comparison,
    filters: { en: filterSummary({ ...filters, from: null, to: null }, "en", names), zh: filterSummary({ ...filters, from: null, to: null }, "zh", names), dates: filters.from !== null || filters.to !== null },
    current: { cases: current.cases, pieces: current.pieces, valueFen: current.valueFen },
    previous: { cases: previous.cases, pieces: previous.pieces, valueFen: previous.valueFen },
    newCases: rows.map((r) => ({
      caseNo: r.caseNo, seizedOn: r.seizedOn, office: r.office, goodsCategory: r.goodsCategory, goodsDescription: r.goodsDescription,
      pieces: r.pieces, valueFen: r.valueFen, rightHolders: r.rightHolders.map((h) => ({ name: h.name, nameZh: h.nameZh })), url: `${base}/cases/${r.id}`,
    })),
    viewUrl: `${base}${viewHref(view.page, view.query)}`,
  };
}

type DueRow = {
  id: number; frequency: string; tokenNonce: string; lastPeriodKey: string | null; updatedAt: number;
  viewId: number; viewName: string; page: string; query: string;
  userId: string; userName: string; email: string; locale: string; role: string; holderId: number | null;
};

/**
 * One scan at `now`: every subscription whose due period (lib/digest-period.ts) it has not had
 * yet gets its digest in the outbox. A period due before the subscription was made (or its
 * frequency last changed) is skipped (its first digest is the next one); after an outage only the latest period goes, not a
 * backlog. A view the subscriber may no longer see (unshared, another role) sends nothing. Two
 * scans at once (two servers) write one mail. Returns the mails written.
 */
export async function scanDigests(e: Engine, now: Date | number = Date.now()): Promise<number> {
  const at = typeof now === "number" ? now : now.getTime();
  const { subscriptions: s, savedViews: v, users: u } = e.t;
  const rows = (await e.db
    .select({
      id: s.id, frequency: s.frequency, tokenNonce: s.tokenNonce, lastPeriodKey: s.lastPeriodKey, updatedAt: s.updatedAt,
      viewId: v.id, viewName: v.name, page: v.page, query: v.query,
      userId: u.id, userName: u.name, email: u.email, locale: u.locale, role: u.role, holderId: u.holderId,
    })
    .from(s)
    .innerJoin(v, eq(v.id, s.viewId))
    .innerJoin(u, eq(u.id, s.userId))
    .orderBy(asc(s.id))) as DueRow[];
  let written = 0;
  let secret: string | null = null;
  for (const r of rows) {
    if (!isFrequency(r.frequency)) continue;
    const period = duePeriod(r.frequency, at);
    // (updated_at: when the frequency was last set — a digest due before that is not sent late)
    if (r.lastPeriodKey === period.key || period.sendAt <= Number(r.updatedAt)) continue;
    // one subscription's failure (logged) does not hold back the others; the next scan tries it again
    let sent = false;
    try {
      const account: Account = { id: r.userId, name: r.userName, email: r.email, locale: isLocale(r.locale) ? r.locale : "en", role: r.role as Role, holderId: r.holderId === null ? null : Number(r.holderId) };
      const visible = await getView(e, { id: account.id, role: account.role, holderId: account.holderId }, Number(r.viewId));
      const mail = visible
        ? digestMail(account.locale, { name: account.name, unsubscribeUrl: unsubscribeUrl(unsubscribeToken((secret ??= await authSecret(e)), Number(r.id), r.tokenNonce)) },
            await computeDigest(e, account, { id: Number(r.viewId), name: r.viewName, page: r.page as ViewPage, query: r.query }, period))
        : null;
      sent = await e.transaction(async (tx) => {
        // the period moves once: a second scan (another server) finds it moved and writes nothing
        const moved = await tx.db
          .update(s)
          .set({ lastPeriodKey: period.key })
          .where(and(eq(s.id, Number(r.id)), or(isNull(s.lastPeriodKey), ne(s.lastPeriodKey, period.key))))
          .returning({ id: s.id });
        if (!moved.length || !mail) return false;
        return enqueueMail(tx, {
          to: account.email, locale: account.locale, subject: mail.subject, text: mail.text, html: mail.html,
          headers: mail.headers, dedupeKey: `digest:${Number(r.id)}:${period.key}`,
        }, at);
      });
    } catch (error) {
      console.error(`[digests] subscription ${Number(r.id)}: the digest failed; the next scan tries again:`, error);
    }
    if (sent) written++;
  }
  return written;
}


