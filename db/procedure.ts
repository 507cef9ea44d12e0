import { asc, eq, sql } from "drizzle-orm";
import type { ProcedureStep } from "../lib/procedure";
import type { DayOverride, IsoDate } from "../lib/working-days";
import type { Engine } from "./engine";
import { copyRows, pgClientOf } from "./postgres/case-store";

// The detention procedure's rows (issue 16, item 2; docs/procedure.md): a case's steps in
// `case_steps` and the calendar table `working_day_overrides`. The rules are lib/procedure.ts's;
// here only what goes in and out of the rows, on either engine. Steps are written only by the
// one writer (db/writer.ts, op "step"), which keeps the case's status from the latest step.

/** A step as stored: the state machine's step with its row id and when it was recorded. */
export type StoredStep = ProcedureStep & { id: number; caseId: number; recordedAt: number };

type StepRow = {
  id: number; caseId: number; kind: string; at: number | string; byUser: string; documentNo: string | null;
  servedOn: string | null; answer: string | null; bondFen: number | string | null; bondKind: string | null;
  decision: string | null; court: string | null; fineFen: number | string | null; ground: string | null;
  disposal: string | null; note: string | null; recordedAt: number | string;
};

const num = (v: number | string | null) => (v === null ? null : Number(v));

/** The state machine's step of a row (only the fields of its kind). */
export function stepOfRow(r: StepRow): StoredStep {
  const base = {
    id: Number(r.id), caseId: Number(r.caseId), recordedAt: Number(r.recordedAt),
    at: new Date(Number(r.at)), by: r.byUser, documentNo: r.documentNo, note: r.note,
  };
  switch (r.kind) {
    case "application_filed": return { ...base, kind: "application_filed", bondFen: num(r.bondFen) ?? 0, bondKind: r.bondKind as never };
    case "notice_sent": return { ...base, kind: "notice_sent", servedOn: r.servedOn };
    case "holder_answered": return { ...base, kind: "holder_answered", answer: r.answer as never, bondFen: num(r.bondFen), bondKind: r.bondKind as never };
    case "determination": return { ...base, kind: "determination", decision: r.decision as never };
    case "court_order": return { ...base, kind: "court_order", court: r.court ?? "" };
    case "penalty": return { ...base, kind: "penalty", fineFen: num(r.fineFen) ?? 0 };
    case "released": return { ...base, kind: "released", ground: r.ground as never };
    case "disposal": return { ...base, kind: "disposal", disposal: r.disposal as never };
    default: return { ...base, kind: r.kind as never } as StoredStep;
  }
}

/** The row of a step: its kind's fields, the others null. */
type StepInsert = typeof import("./sqlite/schema").caseSteps.$inferInsert;
/** The columns of a step row, in the order rowOfStep fills them (COPY names them). */
const STEP_KEYS = ["caseId", "kind", "at", "byUser", "documentNo", "servedOn", "answer", "bondFen", "bondKind", "decision", "court", "fineFen", "ground", "disposal", "note", "recordedAt"] as const satisfies readonly (keyof StepInsert)[];

export function rowOfStep(caseId: number, step: ProcedureStep, recordedAt: number): StepInsert {
  const s = step as ProcedureStep & Record<string, unknown>;
  const pick = <T>(v: unknown) => (v === undefined ? null : (v as T | null));
  return {
    caseId,
    kind: step.kind,
    at: step.at.getTime(),
    byUser: step.by,
    documentNo: step.documentNo?.trim() || null,
    servedOn: step.kind === "notice_sent" ? pick<string>(s.servedOn) : null,
    answer: step.kind === "holder_answered" ? step.answer : null,
    bondFen: step.kind === "holder_answered" || step.kind === "application_filed" ? pick<number>(s.bondFen) : null,
    bondKind: step.kind === "holder_answered" || step.kind === "application_filed" ? pick<StepInsert["bondKind"]>(s.bondKind) : null,
    decision: step.kind === "determination" ? step.decision : null,
    court: step.kind === "court_order" ? step.court.trim() : null,
    fineFen: step.kind === "penalty" ? step.fineFen : null,
    ground: step.kind === "released" ? step.ground : null,
    disposal: step.kind === "disposal" ? step.disposal : null,
    note: step.note?.trim() || null,
    recordedAt,
  };
}

/** A case's steps in the order recorded (inside a transaction: as that transaction sees them). */
export async function readHistory(e: Engine, caseId: number): Promise<StoredStep[]> {
  const { caseSteps } = e.t;
  const rows = await e.db.select().from(caseSteps).where(eq(caseSteps.caseId, caseId)).orderBy(asc(caseSteps.id));
  return (rows as unknown as StepRow[]).map(stepOfRow);
}

export type OverrideRow = { date: IsoDate; kind: DayOverride; note: string | null; updatedAt: number; updatedBy: string | null };

/** The calendar table, in date order. */
export async function readOverrideRows(e: Engine): Promise<OverrideRow[]> {
  const { workingDayOverrides: o } = e.t;
  const rows = await e.db.select().from(o).orderBy(asc(o.date));
  return rows.map((r) => ({ date: r.date, kind: r.kind as DayOverride, note: r.note, updatedAt: Number(r.updatedAt), updatedBy: r.updatedBy }));
}

/** The calendar table as lib/working-days.ts reads it. */
export async function readOverrides(e: Engine): Promise<Map<IsoDate, DayOverride>> {
  return new Map((await readOverrideRows(e)).map((r) => [r.date, r.kind]));
}

/** Inserts a step row inside the writer's transaction; returns its id. */
export async function insertStep(tx: Engine, caseId: number, step: ProcedureStep, recordedAt: number): Promise<number> {
  if (!tx.inTransaction) throw new Error("A step is written inside the transaction of the one writer.");
  const { caseSteps } = tx.t;
  const [row] = await tx.db.insert(caseSteps).values(rowOfStep(caseId, step, recordedAt)).returning({ id: caseSteps.id });
  return Number(row!.id);
}

// ---- the officers' list of open deadlines -------------------------------------------------------

/** A live case whose procedure has not ended, with its steps (the caller computes the deadline at its `now`). */
export type OpenProcedure = { caseId: number; caseNo: string; version: number; valueFen: number; steps: StoredStep[] };

const ENDED = ["released", "disposal", "referral_to_police"] as const;

/** Every live case whose latest step does not end the procedure, with its history, in case-number order. */
export async function openProcedures(e: Engine): Promise<OpenProcedure[]> {
  const heads = await e.all<{ caseId: number; caseNo: string; version: number; valueFen: number }>(sql`
    select c.id as "caseId", c.case_no as "caseNo", c.version as "version", c.value_fen as "valueFen"
    from case_steps s join cases c on c.id = s.case_id
    where c.deleted_at is null
      and s.id = (select max(l.id) from case_steps l where l.case_id = s.case_id)
      and not ${e.say.inList(sql`s.kind`, ENDED)}
    order by c.case_no`);
  if (heads.length === 0) return [];
  const ids = heads.map((h) => Number(h.caseId));
  const { caseSteps } = e.t;
  const rows = await e.db.select().from(caseSteps).where(e.say.inList(sql`${caseSteps.caseId}`, ids)).orderBy(asc(caseSteps.caseId), asc(caseSteps.id));
  const byCase = new Map<number, StoredStep[]>();
  for (const row of rows as unknown as StepRow[]) {
    const step = stepOfRow(row);
    const list = byCase.get(step.caseId) ?? [];
    list.push(step);
    byCase.set(step.caseId, list);
  }
  return heads.map((h) => ({
    caseId: Number(h.caseId), caseNo: h.caseNo, version: Number(h.version), valueFen: Number(h.valueFen), steps: byCase.get(Number(h.caseId)) ?? [],
  }));
}

// ---- the calendar table's writes ---------------------------------------------------------------

/** Enters or replaces the arrangement of one date. */
export async function setOverride(e: Engine, date: IsoDate, kind: DayOverride, note: string | null, userId: string | null): Promise<void> {
  await e.transaction(async (tx) => {
    const { workingDayOverrides: o } = tx.t;
    const values = { date, kind, note, updatedAt: Date.now(), updatedBy: userId };
    await tx.db.insert(o).values(values).onConflictDoUpdate({ target: o.date, set: { kind, note, updatedAt: values.updatedAt, updatedBy: userId } });
  });
}

/** Removes the entry of one date; false when there was none. */
export async function removeOverride(e: Engine, date: IsoDate): Promise<boolean> {
  return e.transaction(async (tx) => {
    const { changes } = await tx.run(sql`delete from working_day_overrides where date = ${date}`);
    return changes > 0;
  });
}

/** Many steps at once (the demo seed, inside its transaction): rows of 500; `recordedAt` is each step's own time. */
export async function insertSteps(tx: Engine, rows: Iterable<{ caseId: number; step: ProcedureStep }>): Promise<number> {
  if (!tx.inTransaction) throw new Error("Steps are written inside a transaction.");
  const { caseSteps } = tx.t;
  let chunk: StepInsert[] = [];
  let count = 0;
  // PostgreSQL: by COPY (a million cases' steps by multi-row inserts took 4½ minutes of the seed)
  const columns = STEP_KEYS.map((k) => (caseSteps as unknown as Record<string, { name: string }>)[k]!.name);
  const flush = async () => {
    if (chunk.length && tx.dialect === "postgres") await copyRows(pgClientOf(tx), "case_steps", columns, chunk.map((r) => STEP_KEYS.map((k) => (r[k] ?? null) as string | number | null)));
    else if (chunk.length) await tx.db.insert(caseSteps).values(chunk);
    count += chunk.length;
    chunk = [];
  };
  for (const { caseId, step } of rows) {
    chunk.push(rowOfStep(caseId, step, step.at.getTime()));
    if (chunk.length === (tx.dialect === "postgres" ? 20_000 : 500)) await flush();
  }
  await flush();
  return count;
}
