import "server-only";
import { and, asc, count, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { AuditAction } from "../../lib/enums";
import { first, type Engine, type Tables } from "../engine";

// The audit log for the admin page: every entry, newest first, a page at a time, with filters
// by who, what was done, to which kind of record and when (calendar days in China's time).

export const AUDIT_PAGE_SIZE = 50;

export type AuditFilter = {
  userId?: string;
  action?: AuditAction;
  entity?: string;
  /** YYYY-MM-DD, inclusive, Asia/Shanghai */
  from?: string;
  to?: string;
};

export type AuditRow = {
  id: number;
  at: number;
  userId: string | null;
  /** the email of who did it, or their id when the account is gone */
  userLabel: string | null;
  action: string;
  entity: string;
  entityId: number;
  /** what the entry is about, when it still exists: a case's number, a right holder's or office's name */
  caseNo: string | null;
  holderName: string | null;
  officeCode: string | null;
  before: unknown;
  after: unknown;
};

export type AuditPage = { rows: AuditRow[]; total: number; page: number; pageCount: number };

/** Midnight at the start of a calendar day in China (UTC+8 all year). */
export function shanghaiDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function whereOf({ auditLog }: Tables, filter: AuditFilter): SQL | undefined {
  return and(
    filter.userId ? eq(auditLog.userId, filter.userId) : undefined,
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.entity ? eq(auditLog.entity, filter.entity) : undefined,
    filter.from ? gte(auditLog.at, shanghaiDayStart(filter.from)) : undefined,
    filter.to ? lt(auditLog.at, shanghaiDayStart(nextDay(filter.to))) : undefined,
  );
}

/** One page of entries matching the filter (a page past the end gives the last page). */
export async function listAuditEntries(e: Engine, filter: AuditFilter, page = 1, size = AUDIT_PAGE_SIZE): Promise<AuditPage> {
  const { auditLog, cases, customsOffices, rightHolders, users } = e.t;
  const where = whereOf(e.t, filter);
  const total = (await first(e.db.select({ n: count() }).from(auditLog).where(where)))?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / size));
  const current = Math.min(Math.max(1, Math.floor(page)), pageCount);
  const rows = await e.db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      userId: auditLog.userId,
      email: users.email,
      action: auditLog.action,
      entity: auditLog.entity,
      entityId: auditLog.entityId,
      caseNo: cases.caseNo,
      holderName: rightHolders.name,
      officeCode: customsOffices.code,
      before: auditLog.before,
      after: auditLog.after,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.userId))
    .leftJoin(cases, and(eq(auditLog.entity, "case"), eq(cases.id, auditLog.entityId)))
    .leftJoin(rightHolders, and(eq(auditLog.entity, "right_holder"), eq(rightHolders.id, auditLog.entityId)))
    .leftJoin(customsOffices, and(eq(auditLog.entity, "customs_office"), eq(customsOffices.id, auditLog.entityId)))
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(size)
    .offset((current - 1) * size);
  return {
    rows: rows.map(({ email, at, ...r }) => ({ ...r, at: at.getTime(), userLabel: r.userId === null ? null : (email ?? r.userId) })),
    total,
    page: current,
    pageCount,
  };
}

/** What the filters offer: every account by email, and the kinds of record the log holds. */
export async function auditFilterOptions(e: Engine): Promise<{ accounts: { id: string; email: string }[]; entities: string[] }> {
  const { auditLog, users } = e.t;
  const accounts = await e.db.select({ id: users.id, email: users.email }).from(users).orderBy(asc(users.email));
  const entities = (await e.db.selectDistinct({ entity: auditLog.entity }).from(auditLog).orderBy(asc(auditLog.entity))).map((r) => r.entity);
  return { accounts, entities };
}

export type AuditNames = {
  offices: Map<number, { code: string; nameEn: string; nameZh: string }>;
  holders: Map<number, { name: string; nameZh: string | null }>;
  campaigns: Map<number, { nameEn: string; nameZh: string }>;
};

/** Names of the offices, right holders and campaigns a page of entries refers to by id. */
export async function auditNames(e: Engine, rows: AuditRow[]): Promise<AuditNames> {
  const { campaigns, customsOffices, rightHolders } = e.t;
  const ids = { offices: new Set<number>(), holders: new Set<number>(), campaigns: new Set<number>() };
  const visit = (value: unknown, field?: string): void => {
    if (Array.isArray(value)) {
      if (field === "rightHolderIds") for (const v of value) if (typeof v === "number") ids.holders.add(v);
      return;
    }
    if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) visit(v, k);
      return;
    }
    if (typeof value !== "number") return;
    if (field === "officeId" || field === "districtId") ids.offices.add(value);
    else if (field === "holderId") ids.holders.add(value);
    else if (field === "campaignId") ids.campaigns.add(value);
  };
  for (const row of rows) {
    visit(row.before);
    visit(row.after);
  }
  const list = (set: Set<number>) => [...set].filter((n) => Number.isSafeInteger(n));
  const offices = list(ids.offices);
  const holders = list(ids.holders);
  const campaignIds = list(ids.campaigns);
  const [officeRows, holderRows, campaignRows] = await Promise.all([
    offices.length
      ? e.db.select({ id: customsOffices.id, code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh }).from(customsOffices).where(e.say.inList(sql`${customsOffices.id}`, offices))
      : [],
    holders.length ? e.db.select({ id: rightHolders.id, name: rightHolders.name, nameZh: rightHolders.nameZh }).from(rightHolders).where(e.say.inList(sql`${rightHolders.id}`, holders)) : [],
    campaignIds.length ? e.db.select({ id: campaigns.id, nameEn: campaigns.nameEn, nameZh: campaigns.nameZh }).from(campaigns).where(e.say.inList(sql`${campaigns.id}`, campaignIds)) : [],
  ]);
  return {
    offices: new Map(officeRows.map(({ id, ...o }) => [id, o])),
    holders: new Map(holderRows.map(({ id, ...h }) => [id, h])),
    campaigns: new Map(campaignRows.map(({ id, ...c }) => [id, c])),
  };
}
