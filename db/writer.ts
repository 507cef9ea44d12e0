import { sql } from "drizzle-orm";
import type { HolderNames } from "../lib/redact";
import { CASE_INPUT_KEYS, withBlanks, type CaseInput, type CaseValues } from "../lib/case-definition";
import type { AuditEntry } from "./audit";
import { checkTransition, statusOf, type ProcedureStep } from "../lib/procedure";
import {
  CaseNotFoundError, DuplicateCaseNoError, RecordationLinkError, StatusFollowsStepsError, TransitionRefusedError, UnknownReferenceError, VersionConflictError,
} from "./case-errors";
import type { Engine } from "./engine";
import { notifyDetentionNotice } from "./notifications";
import { auditSafe, partyKey } from "./parties";
import { partiesOfValues, type PartyIndexEntry } from "./search-document";
import { insertStep, readHistory, readOverrides } from "./procedure";
import { matchProfiles } from "./risk-profiles";
import { postgresCaseStore, postgresHolderCases } from "./postgres/case-store";
import { sqliteCaseStore, sqliteHolderCases } from "./sqlite/case-store";

// THE writer of cases. Every change to cases goes through writeCases — create, edit, delete,
// restore (the admin's forms, db/mutations/cases.ts), the import (db/import.ts), the merge of
// right holders (db/mutations/reference.ts) and the demo seed (seed/run.ts) — as a batch (a
// single edit is a batch of one), in ONE transaction (`e.transaction`; on SQLite BEGIN
// IMMEDIATE): the cases, their right-holder and party links, the search documents (SQLite's FTS5
// tables cases_fts and cases_redacted_fts, PostgreSQL's cases_search) and the audit rows are
// written together, or nothing is (any error rolls the whole batch back).
//
// What each engine says differently is its case store (db/sqlite/case-store.ts: prepared
// statements run synchronously, as fast as the seed always was; db/postgres/case-store.ts:
// new cases, links, search documents and audit rows gathered and sent with COPY, a chunk at
// a time); the rules — what is checked, what is refused, what the audit entries hold — are
// written once, here.
//
// Derived figures: the aggregate store (db/aggregate) of every connection learns of the
// batch from the change log `case_changes`, which triggers on cases and their links fill
// (SQLite's migration 0011, PostgreSQL's change_log), so by default the writer has nothing of
// its own to write for them. With `derived: "rebuild"` (the seed, a large import) the log is
// paused for the batch and one "everything changed" row is appended at its end
// (db/sqlite/change-log.ts, db/postgres/change-log.ts): every store loads again once instead
// of reading one log row per case and link; and when `cases` held no row at the start (the
// seed), the secondary indexes are dropped during the batch and built again after it (one
// sort per index; on a full table that would sort every existing row again).
//
// The columns written and read are those of the case definition (lib/case-definition.ts).

export type { CaseInput };

/** One write of a batch. */
export type CaseWrite =
  /** a new case; `id` and `createdAt` only for the seed, which assigns them */
  | { op: "create"; input: CaseInput; id?: number; createdAt?: number }
  /** an edit of a live case made against `expectedVersion` */
  | { op: "update"; id: number; expectedVersion: number; input: CaseInput }
  /** a soft delete; refused when the case changed since `expectedVersion` (when given) */
  | { op: "delete"; id: number; expectedVersion?: number }
  | { op: "restore"; id: number }
  /**
   * a step of the detention procedure (lib/procedure.ts) recorded against `expectedVersion`: the
   * step row, the case's status from its latest step (and the outcome fields the step sets), the
   * version bump and the audit entry; refused with TransitionRefusedError when the state machine
   * refuses it (the case's history and the calendar table read in this transaction)
   */
  | { op: "step"; id: number; expectedVersion: number; step: ProcedureStep }
  /** every case naming right holder `fromHolderId` names `toHolderId` instead (once, when it named both) */
  | { op: "moveHolderLinks"; fromHolderId: number; toHolderId: number };

export type WriteOptions = {
  userId: string | null;
  /** the audit action of creates and edits ("import" for the import); false: no audit rows (the demo seed) */
  audit?: "import" | false;
  /** "delta" (default): the change log names each case written; "rebuild": the log is paused and every store loads again (a bulk load) */
  derived?: "delta" | "rebuild";
  /** the caller checked numbers and references under this same write lock (the import, the seed) */
  validated?: boolean;
  /**
   * the cases are entered by hand (the admin's form): a new ex-officio case must name a
   * recordation valid on its seizure date. Imports, the seed and other writers may lack one.
   */
  entered?: boolean;
};

export type WriteResult = { id: number; version: number; stepId?: number };
export type BatchResult = { cases: WriteResult[]; relinked: number };

// ---- errors (db/case-errors.ts) ---------------------------------------------------------------

export {
  CaseNotFoundError, DuplicateCaseNoError, RecordationLinkError, StatusFollowsStepsError, TransitionRefusedError, UnknownReferenceError, VersionConflictError,
  type ReferenceField,
} from "./case-errors";

// ---- the engines' case stores ------------------------------------------------------------------

type Awaitable<T> = T | Promise<T>;

/** A case's search documents as written: its number, goods, right holders' names and parties (never a person's identity number). */
export type CaseDocument = { caseId: number; caseNo: string; goods: string; holders: HolderNames[]; parties: PartyIndexEntry[] };

/**
 * What the writer asks of an engine, inside the batch's transaction. SQLite's store answers
 * synchronously (a plain value); PostgreSQL's may gather writes and send them at `flush`,
 * and flushes by itself before it reads.
 */
export interface CaseStore {
  stored(id: number): Awaitable<StoredCase | undefined>;
  holder(id: number): Awaitable<HolderNames | undefined>;
  anyCase(): Awaitable<boolean>;
  caseNoTaken(caseNo: string, exceptId: number): Awaitable<boolean>;
  officeExists(id: number): Awaitable<boolean>;
  campaignExists(id: number): Awaitable<boolean>;
  /** the ids of the list without a right holder, in order */
  unknownHolders(ids: number[]): Awaitable<number[]>;
  /** the recordations of the list that exist, with what the writer checks of them */
  recordations(ids: number[]): Awaitable<LinkedRecordation[]>;
  /** inserts a new case with its links (its id: `id`, or the next of the table's); returns the id */
  insert(id: number | null, values: CaseValues, createdAt: number, userId: string | null): Awaitable<number>;
  /** updates a live case of version `expectedVersion`, its links replaced; returns the rows changed */
  update(id: number, expectedVersion: number, values: CaseValues, now: number, userId: string | null): Awaitable<number>;
  /** deletes (a time) or restores (null) the case of version `version`; returns the rows changed */
  setDeleted(id: number, version: number, deletedAt: number | null, now: number, userId: string | null): Awaitable<number>;
  /** writes a case's search documents; `fresh`: a new case, no document to replace */
  index(doc: CaseDocument, fresh: boolean): Awaitable<void>;
  unindex(caseId: number): Awaitable<void>;
  audit(entry: Required<AuditEntry>): Awaitable<void>;
  /** every case naming `from` names `to` instead (once); returns the live cases whose documents were written again */
  moveHolderLinks(from: number, to: number): Awaitable<number>;
  /** runs the batch with the change log paused (and, when `emptyAtStart`, the case indexes built after it) */
  bulk<T>(emptyAtStart: boolean, work: () => Promise<T>): Promise<T>;
  /** sends what is gathered */
  flush(): Promise<void>;
  /** the engine's refusal of a second case number as DuplicateCaseNoError (else the error itself) */
  asDuplicate(error: unknown, caseNo: string): unknown;
}

function storeOf(tx: Engine, options: { bulk: boolean; partyKey: Buffer | null }): CaseStore {
  return tx.dialect === "sqlite" ? sqliteCaseStore(tx, options.partyKey) : postgresCaseStore(tx, options);
}

/** What the writer checks of a recordation a case names. */
export type LinkedRecordation = { id: number; number: string; holderId: number; validFrom: string; validTo: string; status: string };

/** A case as stored: its values, version, who changed it last and when, and whether it is deleted. */
export type StoredCase = CaseValues & { version: number; updatedBy: string | null; updatedAt: number; deletedAt: number | null };

/** Every field of a case (deleted or not) with its right holders, or undefined. */
export async function loadStoredCase(e: Engine, id: number): Promise<StoredCase | undefined> {
  const key = await partyKey(e);
  if (e.inTransaction) return storeOf(e, { bulk: false, partyKey: key }).stored(id);
  if (e.dialect === "postgres") return e.transaction(async (tx) => storeOf(tx, { bulk: false, partyKey: key }).stored(id));
  // SQLite: wait out another request's open transaction (db/engine.ts), then read at once
  await e.get(sql`select 1`);
  return sqliteCaseStore(e, key).stored(id);
}

const safe = (v: unknown) => (v && typeof v === "object" ? auditSafe(v as Record<string, unknown>) : v);

// ---- the batch ------------------------------------------------------------------------------

/** The input with its blanks filled and its right holders listed once each, in id order (how links and audit entries hold them). */
function normalized(input: CaseInput): CaseValues {
  const values = withBlanks(input); // a copy
  const ids = input.rightHolderIds;
  let ordered = true;
  for (let i = 1; i < ids.length; i++) if (ids[i]! <= ids[i - 1]!) ordered = false;
  values.rightHolderIds = ordered ? [...ids] : [...new Set(ids)].sort((a, b) => a - b);
  values.recordationIds = [...new Set(values.recordationIds)].sort((a, b) => a - b);
  return values;
}

/** The fields that differ between the stored case and the new values (audit entries hold only those). */
function changes(was: CaseValues, now: CaseValues): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const field of CASE_INPUT_KEYS) {
    const a = was[field];
    const b = now[field];
    const same = Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b;
    if (!same) {
      before[field] = a;
      after[field] = b;
    }
  }
  return { before, after };
}

/**
 * Writes a batch of changes to cases, all or nothing (see the top of this file). Throws
 * CaseNotFoundError, VersionConflictError, DuplicateCaseNoError or UnknownReferenceError for
 * the first write that cannot be made, having written nothing of the batch. Inside a
 * transaction of the caller's (the import, a merge) it is a savepoint of it.
 */
export async function writeCases(e: Engine, writes: Iterable<CaseWrite> | AsyncIterable<CaseWrite>, options: WriteOptions): Promise<BatchResult> {
  const key = await partyKey(e);
  return e.transaction(async (tx): Promise<BatchResult> => {
    const rebuild = options.derived === "rebuild";
    const result: BatchResult = { cases: [], relinked: 0 };
    const st = storeOf(tx, { bulk: rebuild && options.validated === true, partyKey: key });
    const { userId } = options;
    const now = Date.now();
    // the cases that risk profiles are matched against at the end of the batch (db/risk-profiles.ts)
    const toMatch: number[] = [];

    // reference data met by this batch, looked up once each
    const holders = new Map<number, HolderNames>();
    const holderOf = async (id: number): Promise<HolderNames> => {
      let h = holders.get(id);
      if (!h) {
        h = await st.holder(id);
        if (!h) throw new UnknownReferenceError("rightHolderIds", [id]);
        holders.set(id, h);
      }
      return h;
    };
    const index = async (id: number, c: CaseValues, fresh: boolean) => {
      const hs: HolderNames[] = [];
      for (const holderId of c.rightHolderIds) hs.push(holders.get(holderId) ?? (await holderOf(holderId)));
      // the parties as the case names them (a person's number never: db/search-document.ts)
      await st.index({ caseId: id, caseNo: c.caseNo, goods: c.goodsDescription, holders: hs, parties: partiesOfValues(c) }, fresh);
    };
    const audit = async (action: string, entityId: number, before: unknown, after: unknown) => {
      // a natural person's identity number is never written to the audit log in clear (db/parties.ts)
      if (options.audit !== false) await st.audit({ userId, action, entity: "case", entityId, before: safe(before), after: safe(after), at: now });
    };

    const checkInput = async (input: CaseValues, caseId: number, created: boolean) => {
      if (options.validated) return;
      if (await st.caseNoTaken(input.caseNo, caseId)) throw new DuplicateCaseNoError(input.caseNo);
      if (!(await st.officeExists(input.officeId))) throw new UnknownReferenceError("officeId", input.officeId);
      if (input.campaignId !== null && !(await st.campaignExists(input.campaignId))) throw new UnknownReferenceError("campaignId", input.campaignId);
      if (input.rightHolderIds.length === 0) throw new UnknownReferenceError("rightHolderIds", []);
      const unknown = await st.unknownHolders(input.rightHolderIds);
      if (unknown.length) throw new UnknownReferenceError("rightHolderIds", unknown);
      await checkRecordations(input, created);
    };
    // The recordations a case names: each exists and belongs to one of the case's right holders;
    // a case newly entered by hand (options.entered: the form; an import warns instead, lib/import)
    // under ex-officio protection names one that is approved and valid on the seizure date.
    const checkRecordations = async (input: CaseValues, created: boolean) => {
      const found = input.recordationIds.length ? await st.recordations(input.recordationIds) : [];
      if (found.length < input.recordationIds.length) {
        const known = new Set(found.map((r) => r.id));
        throw new UnknownReferenceError("recordationIds", input.recordationIds.filter((id) => !known.has(id)));
      }
      for (const r of found) if (!input.rightHolderIds.includes(r.holderId)) throw new RecordationLinkError("recordation_holder", { number: r.number });
      if (created && options.entered === true && input.protectionMode === "ex_officio") {
        const valid = found.some((r) => r.status === "approved" && r.validFrom <= input.seizedOn && input.seizedOn <= r.validTo);
        if (!valid) throw new RecordationLinkError("recordation_required", { seizedOn: input.seizedOn });
      }
    };
    const live = async (id: number): Promise<StoredCase> => {
      const stored = await st.stored(id);
      if (!stored || stored.deletedAt !== null) throw new CaseNotFoundError(`No live case with id ${id}.`);
      return stored;
    };
    const checkVersion = (stored: StoredCase, expected: number | undefined) => {
      if (expected !== undefined && stored.version !== expected) {
        throw new VersionConflictError({ version: stored.version, updatedBy: stored.updatedBy, updatedAt: stored.updatedAt });
      }
    };

    // The row was read above in this transaction: on SQLite under the write lock, so it is still
    // the same; on PostgreSQL another transaction may have changed it since (its update commits
    // first, and this one then finds no row of the version read), refused as a conflict naming
    // who changed it and when.
    const changedOnce = async (id: number, changed: number, expected: number | undefined) => {
      if (changed === 1) return;
      await st.flush();
      const current = await st.stored(id);
      if (current) checkVersion(current, expected ?? -1);
      throw new CaseNotFoundError(`Case ${id} changed while it was written; nothing was saved.`);
    };

    const apply = async (w: CaseWrite): Promise<void> => {
      switch (w.op) {
        case "create": {
          const data = normalized(w.input);
          await checkInput(data, 0, true);
          let id: number;
          try {
            id = await st.insert(w.id ?? null, data, w.createdAt ?? now, userId);
          } catch (error) {
            throw st.asDuplicate(error, data.caseNo);
          }
          await index(id, data, true);
          await audit(options.audit || "create", id, null, data);
          result.cases.push({ id, version: 1 });
          toMatch.push(id);
          return;
        }
        case "update": {
          const data = normalized(w.input);
          const stored = await live(w.id);
          checkVersion(stored, w.expectedVersion);
          await checkInput(data, w.id, false);
          if (data.status !== stored.status) {
            await st.flush();
            const steps = await readHistory(tx, w.id);
            if (steps.length) throw new StatusFollowsStepsError(statusOf(steps)!);
          }
          const { before, after } = changes(stored, data);
          let changed: number;
          try {
            changed = await st.update(w.id, w.expectedVersion, data, now, userId);
          } catch (error) {
            throw st.asDuplicate(error, data.caseNo);
          }
          await changedOnce(w.id, changed, w.expectedVersion);
          await index(w.id, data, false);
          const version = stored.version + 1;
          await audit(options.audit || "update", w.id, { ...before, version: stored.version }, { ...after, version });
          result.cases.push({ id: w.id, version });
          toMatch.push(w.id);
          return;
        }
        case "delete": {
          const stored = await live(w.id);
          checkVersion(stored, w.expectedVersion);
          await changedOnce(w.id, await st.setDeleted(w.id, stored.version, now, now, userId), w.expectedVersion);
          await st.unindex(w.id);
          await audit("delete", w.id, { deletedAt: null, version: stored.version }, { deletedAt: now, version: stored.version + 1 });
          result.cases.push({ id: w.id, version: stored.version + 1 });
          return;
        }
        case "restore": {
          const stored = await st.stored(w.id);
          if (!stored || stored.deletedAt === null) throw new CaseNotFoundError(`No deleted case with id ${w.id}.`);
          await changedOnce(w.id, await st.setDeleted(w.id, stored.version, null, now, userId), undefined);
          await index(w.id, stored, false);
          await audit("restore", w.id, { deletedAt: stored.deletedAt, version: stored.version }, { deletedAt: null, version: stored.version + 1 });
          result.cases.push({ id: w.id, version: stored.version + 1 });
          toMatch.push(w.id);
          return;
        }
        case "step": {
          const stored = await live(w.id);
          checkVersion(stored, w.expectedVersion);
          await st.flush();
          const history = await readHistory(tx, w.id);
          const overrides = await readOverrides(tx);
          const check = checkTransition(history, w.step, overrides, { goodsValueFen: stored.valueFen });
          if (!check.ok) throw new TransitionRefusedError(check.code, check.message, check.params);
          const stepId = await insertStep(tx, w.id, w.step, now);
          // the right holders' members hear of a detention notice in this same transaction (db/notifications.ts)
          if (w.step.kind === "notice_sent") {
            await notifyDetentionNotice(tx, { caseId: w.id, caseNo: stored.caseNo, holderIds: stored.rightHolderIds }, stepId, [...history, w.step], overrides, now);
          }
          // the outcome fields a step sets, so the case's record says what its procedure says
          const data: CaseValues = { ...stored, status: check.status };
          const s = w.step;
          if (s.kind === "hearing") data.hearingHeld = true;
          if (s.kind === "referral_to_police") data.referredToPolice = true;
          if (s.kind === "penalty") data.penaltyFen = s.fineFen;
          if (s.kind === "disposal") data.disposal = s.disposal;
          const { before, after } = changes(stored, data);
          await changedOnce(w.id, await st.update(w.id, stored.version, data, now, userId), w.expectedVersion);
          const version = stored.version + 1;
          const { at, by: _by, ...fields } = s;
          await audit("update", w.id, { ...before, version: stored.version }, { ...after, version, step: { ...fields, at: at.toISOString(), id: stepId } });
          result.cases.push({ id: w.id, version, stepId });
          toMatch.push(w.id);
          return;
        }
        case "moveHolderLinks": {
          // set-based (the change log's triggers name each case whose links move)
          holders.clear();
          result.relinked += await st.moveHolderLinks(w.fromHolderId, w.toHolderId);
          return;
        }
      }
    };

    const all = async () => {
      // a plain iterable without for-await's promise per item (the seed yields a million)
      if (Symbol.iterator in writes) for (const w of writes as Iterable<CaseWrite>) await apply(w);
      else for await (const w of writes) await apply(w);
      await st.flush();
    };
    if (rebuild) await st.bulk(!(await st.anyCase()), all);
    else await all();
    // risk profiles: the active ones' hits among the cases written, in this same transaction
    // (a hit exists iff the batch commits); one statement per profile, through the case
    // table's own filter → SQL
    await matchProfiles(tx, toMatch, now);
    return result;
  });
}

// ---- the cases of a right holder ------------------------------------------------------------

/**
 * The live cases naming right holder `holderId` (a rename, a new industry): their search
 * documents written again when `reindex` (its names changed), else only counted; set-based,
 * inside the caller's transaction. Returns how many.
 */
export async function holderCases(tx: Engine, holderId: number, reindex: boolean): Promise<number> {
  if (!tx.inTransaction) throw new Error("A right holder's cases are written again inside the transaction that changed it.");
  return tx.dialect === "sqlite" ? sqliteHolderCases(tx, holderId, reindex) : postgresHolderCases(tx, holderId, reindex);
}
