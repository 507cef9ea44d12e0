import "server-only";
import { and, asc, desc, eq, gt, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import { first, type Engine } from "../engine";
import { CaseNotFoundError, VersionConflictError } from "../writer";
import type { AuditEntry } from "../audit";
import type { Scope } from "../../lib/roles";
import type { Filters } from "../../lib/filters";
import { tally } from "../aggregate/plan";
import { keptAnswer } from "../kept";
import type { InfringementType, RecordationApproval, RecordationPartyKind, RecordationState } from "../../lib/enums";
import {
  classesFromText, classesToText, defaultValidTo, expiringHorizon, recordationState, renewable, renewedValidTo,
  type PartyInput, type RecordationFilters, type RecordationInput,
} from "../../lib/recordations";

// Customs IP recordations: reads and writes, on both engines. Every read takes the reader's
// Scope (a member: its own company only; another company's recordation is "none", so a page
// answers 404 as for cases); every write is one transaction with its audit row.

export const RECORDATION_PAGE_SIZE = 50;

/** A refusal of a write, on a field of the form: the code is translated by the form. */
export class RecordationFieldError extends Error {
  override name = "RecordationFieldError";
  constructor(
    readonly field: string,
    readonly code: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${field}: ${code}`);
  }
}

/** Not there, or outside the reader's scope: the same answer, so no id is disclosed. */
export class RecordationNotFoundError extends CaseNotFoundError {
  override name = "RecordationNotFoundError";
}

export type RecordationRow = {
  id: number;
  number: string;
  holderId: number;
  holderName: string;
  kind: InfringementType;
  rightNo: string;
  titleEn: string;
  titleZh: string | null;
  classes: number[];
  validFrom: string;
  validTo: string;
  status: RecordationApproval;
  state: RecordationState;
};

export type RecordationParty = { id: number; kind: RecordationPartyKind; name: string };

export type RecordationDetail = RecordationRow & {
  revokedReason: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
  hasImage: boolean;
  renewable: boolean;
  parties: RecordationParty[];
};

export type RecordationHistoryEntry = { at: number; action: string; user: string | null; changed: string[] };

// The audit insert of db/audit.ts, through the engine (the same row writeAudit writes).
// TODO(lead, after the writer branch merges): `await writeAudit(tx, entry)` from ../audit.
async function audit(tx: Engine, entry: AuditEntry): Promise<void> {
  if (!tx.inTransaction) throw new Error("An audit entry is written inside the transaction of its write.");
  const { auditLog } = tx.t;
  await tx.run(sql`insert into ${auditLog} (at, user_id, action, entity, entity_id, before, after)
    values (${entry.at ?? Date.now()}, ${entry.userId}, ${entry.action}, ${entry.entity}, ${entry.entityId},
      ${JSON.stringify(entry.before ?? null)}, ${JSON.stringify(entry.after ?? null)})`);
}

function scopeHolders(scope: Scope): number[] | null {
  return scope.restrictToHolders ?? null;
}

function columns(e: Engine) {
  const { recordations: r, rightHolders: h } = e.t;
  return {
    id: r.id, number: r.number, holderId: r.holderId, holderName: h.name, kind: r.kind, rightNo: r.rightNo,
    titleEn: r.titleEn, titleZh: r.titleZh, classes: r.classes, validFrom: r.validFrom, validTo: r.validTo, status: r.status,
  };
}

type RawRow = Omit<RecordationRow, "classes" | "state"> & { classes: string };
const toRow = (raw: RawRow, today: string): RecordationRow => ({ ...raw, classes: classesFromText(raw.classes), state: recordationState(raw, today) });

/** The SQL condition of a derived state on `today` (what recordationState computes). */
function stateCondition(e: Engine, state: RecordationState, today: string): SQL | undefined {
  const { recordations: r } = e.t;
  const horizon = expiringHorizon(today);
  switch (state) {
    case "pending":
    case "revoked":
      return eq(r.status, state);
    case "expired":
      return and(eq(r.status, "approved"), lt(r.validTo, today));
    case "expiring":
      return and(eq(r.status, "approved"), gte(r.validTo, today), lte(r.validTo, horizon));
    case "valid":
      return and(eq(r.status, "approved"), gt(r.validTo, horizon));
  }
}

/** One page of the recordations the reader may see, soonest expiry first, with the total. */
export async function listRecordations(
  e: Engine,
  scope: Scope,
  filters: RecordationFilters,
  today: string,
): Promise<{ rows: RecordationRow[]; total: number; page: number; pageSize: number }> {
  const { recordations: r, rightHolders: h } = e.t;
  const holders = scopeHolders(scope);
  const where = and(
    holders ? e.say.inList(sql`${r.holderId}`, holders) : undefined,
    filters.holder !== undefined ? (filters.holder <= 2_147_483_647 ? eq(r.holderId, filters.holder) : e.say.never) : undefined,
    filters.kind ? eq(r.kind, filters.kind) : undefined,
    filters.state ? stateCondition(e, filters.state, today) : undefined,
  );
  const totalRow = await first(e.db.select({ n: sql<number>`count(*)` }).from(r).where(where));
  const total = Number(totalRow?.n ?? 0);
  const pageSize = RECORDATION_PAGE_SIZE;
  const page = Math.max(1, Math.min(filters.page, Math.max(1, Math.ceil(total / pageSize))));
  const rows = (await e.db
    .select(columns(e))
    .from(r)
    .innerJoin(h, eq(h.id, r.holderId))
    .where(where)
    .orderBy(asc(r.validTo), asc(r.number))
    .limit(pageSize)
    .offset((page - 1) * pageSize)) as RawRow[];
  return { rows: rows.map((row) => toRow(row, today)), total, page, pageSize };
}

/** The right holders the reader may pick in the list's filter and the form (a member: its own). */
export async function recordationHolderChoices(e: Engine, scope: Scope): Promise<{ id: number; name: string }[]> {
  const { rightHolders: h } = e.t;
  const holders = scopeHolders(scope);
  return e.db.select({ id: h.id, name: h.name }).from(h).where(holders ? e.say.inList(sql`${h.id}`, holders) : undefined).orderBy(asc(h.name));
}

async function loadRaw(e: Engine, scope: Scope, id: number) {
  // an id beyond PostgreSQL's integer is none (not a database error)
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return undefined;
  const { recordations: r, rightHolders: h } = e.t;
  const holders = scopeHolders(scope);
  return first(
    e.db
      .select({ ...columns(e), revokedReason: r.revokedReason, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt, updatedBy: r.updatedBy })
      .from(r)
      .innerJoin(h, eq(h.id, r.holderId))
      .where(and(eq(r.id, id), holders ? e.say.inList(sql`${r.holderId}`, holders) : undefined)),
  );
}

/** One recordation with its parties, or null when missing or outside the reader's scope. */
export async function getRecordation(e: Engine, scope: Scope, id: number, today: string): Promise<RecordationDetail | null> {
  const raw = await loadRaw(e, scope, id);
  if (!raw) return null;
  const { recordationParties: p, recordationImages: img } = e.t;
  const parties = (await e.db.select({ id: p.id, kind: p.kind, name: p.name }).from(p).where(eq(p.recordationId, id)).orderBy(asc(p.kind), asc(p.id))) as RecordationParty[];
  const image = await first(e.db.select({ id: img.recordationId }).from(img).where(eq(img.recordationId, id)));
  const { updatedBy: _updatedBy, ...rest } = raw;
  const row = toRow(rest as RawRow, today);
  return {
    ...row,
    revokedReason: raw.revokedReason,
    version: raw.version,
    createdAt: Number(raw.createdAt),
    updatedAt: Number(raw.updatedAt),
    hasImage: image !== undefined,
    renewable: renewable(row, today),
    parties,
  };
}

/**
 * The history of a recordation from the audit log, newest first. Staff see who and what
 * changed; a member sees only what happened and when (no staff e-mails, DESIGN.md).
 */
export async function recordationHistory(e: Engine, scope: Scope, id: number): Promise<RecordationHistoryEntry[]> {
  if (!(await loadRaw(e, scope, id))) return [];
  const { auditLog: a, users: u } = e.t;
  const rows = await e.db
    .select({ at: a.at, action: a.action, email: u.email, before: a.before, after: a.after })
    .from(a)
    .leftJoin(u, eq(u.id, a.userId))
    .where(and(eq(a.entity, "recordation"), eq(a.entityId, id)))
    .orderBy(desc(a.at), desc(a.id));
  const member = scopeHolders(scope) !== null;
  return rows.map((row) => {
    const before = (typeof row.before === "string" ? JSON.parse(row.before) : row.before) as Record<string, unknown> | null;
    const after = (typeof row.after === "string" ? JSON.parse(row.after) : row.after) as Record<string, unknown> | null;
    const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
    const changed = before === null ? [] : [...keys].filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]));
    return { at: new Date(row.at as unknown as Date | number).getTime(), action: row.action, user: member ? null : (row.email ?? null), changed };
  });
}

/** The mark's image, or null when there is none or the recordation is outside the reader's scope. */
export async function getRecordationImage(e: Engine, scope: Scope, id: number): Promise<{ contentType: string; bytes: Buffer; updatedAt: number } | null> {
  if (!(await loadRaw(e, scope, id))) return null;
  const { recordationImages: img } = e.t;
  const row = await first(e.db.select().from(img).where(eq(img.recordationId, id)));
  if (!row) return null;
  return { contentType: row.contentType, bytes: Buffer.from(row.dataBase64, "base64"), updatedAt: Number(row.updatedAt) };
}

// ---- writes -------------------------------------------------------------------------------

export type Writer = { id: string; scope: Scope };
export type ImageInput = { contentType: string; bytes: Uint8Array };

/** What an audit entry keeps of a recordation. */
function snapshot(row: { number: string; holderId: number; kind: string; rightNo: string; titleEn: string; titleZh: string | null; classes: string; validFrom: string; validTo: string; status: string; revokedReason?: string | null }, parties?: PartyInput[]) {
  return {
    number: row.number, holderId: row.holderId, kind: row.kind, rightNo: row.rightNo, titleEn: row.titleEn, titleZh: row.titleZh,
    classes: row.classes, validFrom: row.validFrom, validTo: row.validTo, status: row.status, revokedReason: row.revokedReason ?? null,
    ...(parties ? { parties: parties.map((p) => `${p.kind}: ${p.name}`) } : {}),
  };
}

async function partiesOf(tx: Engine, id: number): Promise<PartyInput[]> {
  const { recordationParties: p } = tx.t;
  return (await tx.db.select({ kind: p.kind, name: p.name }).from(p).where(eq(p.recordationId, id)).orderBy(asc(p.kind), asc(p.id))) as PartyInput[];
}

async function writeParties(tx: Engine, id: number, parties: PartyInput[]): Promise<void> {
  const { recordationParties: p } = tx.t;
  await tx.db.delete(p).where(eq(p.recordationId, id));
  if (parties.length) await tx.db.insert(p).values(parties.map((party) => ({ recordationId: id, kind: party.kind, name: party.name })));
}

async function writeImage(tx: Engine, id: number, image: ImageInput): Promise<void> {
  const { recordationImages: img } = tx.t;
  const values = { recordationId: id, contentType: image.contentType, dataBase64: Buffer.from(image.bytes).toString("base64"), bytes: image.bytes.length, updatedAt: Date.now() };
  await tx.db.delete(img).where(eq(img.recordationId, id));
  await tx.db.insert(img).values(values);
}

async function numberTaken(tx: Engine, number: string, except?: number): Promise<boolean> {
  const { recordations: r } = tx.t;
  const row = await first(tx.db.select({ id: r.id }).from(r).where(eq(r.number, number)));
  return row !== undefined && row.id !== except;
}

async function holderExists(tx: Engine, holderId: number): Promise<boolean> {
  const { rightHolders: h } = tx.t;
  return (await first(tx.db.select({ id: h.id }).from(h).where(eq(h.id, holderId)))) !== undefined;
}

/** The recordation for a write: in the writer's scope, at the version the form was made from. */
async function forWrite(tx: Engine, writer: Writer, id: number, version: number | null) {
  const raw = await loadRaw(tx, writer.scope, id);
  if (!raw) throw new RecordationNotFoundError(`No recordation ${id}.`);
  if (version !== null && raw.version !== version) {
    throw new VersionConflictError({ version: raw.version, updatedBy: raw.updatedBy, updatedAt: Number(raw.updatedAt) });
  }
  return raw;
}

/**
 * A new recordation, "pending" until an admin approves it. A member records for its own
 * company only (the holder it names is ignored); staff name the holder.
 */
export async function createRecordation(e: Engine, writer: Writer, input: RecordationInput, image: ImageInput | null): Promise<number> {
  const holders = scopeHolders(writer.scope);
  const holderId = holders ? holders[0] : input.holderId;
  if (holderId === undefined || holderId === null) throw new RecordationFieldError("holderId", "required");
  if (input.validTo > defaultValidTo(input.validFrom)) throw new RecordationFieldError("validTo", "over_ten_years");
  return e.transaction(async (tx) => {
    if (!(await holderExists(tx, holderId))) throw new RecordationFieldError("holderId", "unknown", { value: holderId });
    if (await numberTaken(tx, input.number)) throw new RecordationFieldError("number", "number_taken", { number: input.number });
    const { recordations: r } = tx.t;
    const now = Date.now();
    const values = {
      number: input.number, holderId, kind: input.kind, rightNo: input.rightNo, titleEn: input.titleEn, titleZh: input.titleZh,
      classes: classesToText(input.classes), validFrom: input.validFrom, validTo: input.validTo, status: "pending" as const,
      createdAt: now, createdBy: writer.id, updatedAt: now, updatedBy: writer.id, version: 1,
    };
    const [row] = await tx.db.insert(r).values(values as typeof r.$inferInsert).returning({ id: r.id });
    const id = row!.id;
    await writeParties(tx, id, input.parties);
    if (image) await writeImage(tx, id, image);
    await audit(tx, { userId: writer.id, action: "create", entity: "recordation", entityId: id, before: null, after: { ...snapshot(values, input.parties), image: image ? image.contentType : null } });
    return id;
  });
}

async function bump(tx: Engine, id: number, writer: Writer, set: Record<string, unknown>): Promise<void> {
  const { recordations: r } = tx.t;
  await tx.db
    .update(r)
    .set({ ...set, updatedAt: Date.now(), updatedBy: writer.id, version: sql`${r.version} + 1` } as never)
    .where(eq(r.id, id));
}

/** A staff edit of every field (the approval state stays); the parties are replaced. */
export async function updateRecordation(e: Engine, writer: Writer, id: number, version: number, input: RecordationInput, image: ImageInput | null): Promise<void> {
  await e.transaction(async (tx) => {
    const before = await forWrite(tx, writer, id, version);
    const holderId = input.holderId ?? before.holderId;
    if (!(await holderExists(tx, holderId))) throw new RecordationFieldError("holderId", "unknown", { value: holderId });
    if (await numberTaken(tx, input.number, id)) throw new RecordationFieldError("number", "number_taken", { number: input.number });
    const beforeParties = await partiesOf(tx, id);
    const set = {
      number: input.number, holderId, kind: input.kind, rightNo: input.rightNo, titleEn: input.titleEn, titleZh: input.titleZh,
      classes: classesToText(input.classes), validFrom: input.validFrom, validTo: input.validTo,
    };
    await bump(tx, id, writer, set);
    await writeParties(tx, id, input.parties);
    if (image) await writeImage(tx, id, image);
    await audit(tx, {
      userId: writer.id, action: "update", entity: "recordation", entityId: id,
      before: snapshot(before, beforeParties), after: { ...snapshot({ ...before, ...set }, input.parties), ...(image ? { image: image.contentType } : {}) },
    });
  });
}

/** The licensees and authorised consignors, replaced (a member: of its own company's recordations). */
export async function setRecordationParties(e: Engine, writer: Writer, id: number, version: number, parties: PartyInput[]): Promise<void> {
  await e.transaction(async (tx) => {
    const before = await forWrite(tx, writer, id, version);
    if (before.status === "revoked") throw new RecordationFieldError("_form", "revoked");
    const beforeParties = await partiesOf(tx, id);
    await bump(tx, id, writer, {});
    await writeParties(tx, id, parties);
    await audit(tx, { userId: writer.id, action: "update", entity: "recordation", entityId: id, before: { parties: beforeParties.map((p) => `${p.kind}: ${p.name}`) }, after: { parties: parties.map((p) => `${p.kind}: ${p.name}`) } });
  });
}

/** A renewal in the 6 months before expiry (Reg. Art. 10): ten more years. */
export async function renewRecordation(e: Engine, writer: Writer, id: number, version: number, today: string): Promise<string> {
  return e.transaction(async (tx) => {
    const before = await forWrite(tx, writer, id, version);
    if (!renewable(before, today)) {
      const code = before.status !== "approved" ? "not_approved" : before.validTo < today ? "expired" : "too_early";
      throw new RecordationFieldError("_form", code, { from: expiringHorizon(today) });
    }
    const validTo = renewedValidTo(before.validTo);
    await bump(tx, id, writer, { validTo });
    await audit(tx, { userId: writer.id, action: "update", entity: "recordation", entityId: id, before: { validTo: before.validTo }, after: { validTo, renewed: true } });
    return validTo;
  });
}

/** An admin's approval of a pending recordation. */
export async function approveRecordation(e: Engine, writer: Writer, id: number, version: number): Promise<void> {
  await e.transaction(async (tx) => {
    const before = await forWrite(tx, writer, id, version);
    if (before.status !== "pending") throw new RecordationFieldError("_form", "not_pending");
    await bump(tx, id, writer, { status: "approved" });
    await audit(tx, { userId: writer.id, action: "update", entity: "recordation", entityId: id, before: { status: before.status }, after: { status: "approved" } });
  });
}

/** An admin's revocation, with its reason (pending or approved ones). */
export async function revokeRecordation(e: Engine, writer: Writer, id: number, version: number, reason: string): Promise<void> {
  const why = reason.trim();
  if (!why) throw new RecordationFieldError("reason", "required");
  await e.transaction(async (tx) => {
    const before = await forWrite(tx, writer, id, version);
    if (before.status === "revoked") throw new RecordationFieldError("_form", "revoked");
    await bump(tx, id, writer, { status: "revoked", revokedReason: why });
    await audit(tx, { userId: writer.id, action: "update", entity: "recordation", entityId: id, before: { status: before.status, revokedReason: before.revokedReason }, after: { status: "revoked", revokedReason: why } });
  });
}

// ---- recordations and cases: the dashboard panel, the case page, the case form -----------------

/** The reader's own company's recordations only (a member), as a condition on `r`. */
function scopeOf(e: Engine, scope: Scope): SQL {
  if (!scope.restrictToHolders) return sql`1 = 1`;
  return e.say.inList(sql`r.holder_id`, scope.restrictToHolders.length ? scope.restrictToHolders : [-1]);
}

export type RecordationCases = { id: number; number: string; titleEn: string; titleZh: string | null; holderId: number; cases: number; pieces: number; valueFen: number };

/**
 * The filtered cases by the recordation they rest on, most cases first (ties: number), top
 * `limit`: the filter of the dashboard (the one planner over the aggregate store, with the
 * member's scope), and for a member only its own company's recordations (a case shared with
 * another company never shows that company's recordation). A case resting on two recordations
 * counts for each. The tallies are kept until the database changes; the recordations' numbers
 * and titles are read afresh (a few rows by key), so a renamed recordation shows at once.
 */
export async function casesByRecordation(e: Engine, filters: Filters, scope: Scope, limit = 10): Promise<RecordationCases[]> {
  const options = scope.restrictToHolders ? { restrictToHolders: scope.restrictToHolders } : {};
  const counted = await keptAnswer(e, "recordationCases", 200, JSON.stringify([filters, options]), async () =>
    [...(await tally(e, filters, options, { dims: [], year: false, office: false, recordation: true })).recordation].map(([id, f]) => [id, f] as const),
  );
  if (!counted.length) return [];
  const meta = await e.all<{ id: number; number: string; titleEn: string; titleZh: string | null; holderId: number }>(sql`
    select r.id as id, r.number as number, r.title_en as "titleEn", r.title_zh as "titleZh", r.holder_id as "holderId"
    from recordations r where ${e.say.inList(sql`r.id`, counted.map(([id]) => id))} and ${scopeOf(e, scope)}`);
  const byId = new Map(meta.map((m) => [Number(m.id), m]));
  const rows: RecordationCases[] = [];
  for (const [id, f] of counted) {
    const m = byId.get(id);
    if (m) rows.push({ ...m, id, holderId: Number(m.holderId), cases: f.cases, pieces: f.pieces, valueFen: f.valueFen });
  }
  rows.sort((a, b) => b.cases - a.cases || (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
  return rows.slice(0, limit);
}

export type ExpiringRecordation = { id: number; number: string; titleEn: string; titleZh: string | null; holderId: number; holderName: string; validTo: string };

/** Approved recordations whose validity ends within 6 months of `today` (soonest first), the reader's own company's for a member. */
export async function expiringRecordations(e: Engine, scope: Scope, today: string, limit = 10): Promise<ExpiringRecordation[]> {
  return e.all<ExpiringRecordation>(sql`
    select r.id as id, r.number as number, r.title_en as "titleEn", r.title_zh as "titleZh", r.holder_id as "holderId", h.name as "holderName", r.valid_to as "validTo"
    from recordations r join right_holders h on h.id = r.holder_id
    where r.status = 'approved' and r.valid_to >= ${today} and r.valid_to <= ${expiringHorizon(today)} and ${scopeOf(e, scope)}
    order by r.valid_to, r.number limit ${limit}`);
}

export type CaseRecordation = { id: number; number: string; titleEn: string; titleZh: string | null; kind: InfringementType; validFrom: string; validTo: string; status: RecordationApproval };

/** The recordations a case rests on, as the reader may see them (a member: its own company's). */
export async function recordationsOfCase(e: Engine, caseId: number, scope: Scope): Promise<CaseRecordation[]> {
  return e.all<CaseRecordation>(sql`
    select r.id as id, r.number as number, r.title_en as "titleEn", r.title_zh as "titleZh", r.kind as kind, r.valid_from as "validFrom", r.valid_to as "validTo", r.status as status
    from case_recordations lr join recordations r on r.id = lr.recordation_id
    where lr.case_id = ${caseId} and ${scopeOf(e, scope)} order by r.number`);
}

export type RecordationChoice = { id: number; number: string; titleEn: string; titleZh: string | null; holderId: number; holderName: string; validFrom: string; validTo: string; status: RecordationApproval };

/** The recordations the case form offers (an admin enters cases): every approved or revoked one, by holder and number. */
export async function recordationChoices(e: Engine): Promise<RecordationChoice[]> {
  return e.all<RecordationChoice>(sql`
    select r.id as id, r.number as number, r.title_en as "titleEn", r.title_zh as "titleZh", r.holder_id as "holderId", h.name as "holderName",
      r.valid_from as "validFrom", r.valid_to as "validTo", r.status as status
    from recordations r join right_holders h on h.id = r.holder_id where r.status <> 'pending' order by h.name, r.number`);
}
