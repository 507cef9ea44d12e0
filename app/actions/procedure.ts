"use server";

import { z } from "zod";
import { TransitionRefusedError, recordStep, removeOverride, setOverride } from "@/db/repo/procedure";
import {
  bondKinds, determinations, disposals, holderAnswers, procedureSteps, releaseGrounds, type ProcedureStepKind,
} from "@/lib/enums";
import { parseYuanToFen } from "@/lib/format";
import type { ProcedureStep } from "@/lib/procedure";
import { isIsoDate } from "@/lib/working-days";
import { FieldProblem, defineAction } from "./wrapper";

// The detention procedure's writes (issue 16, item 2): an officer (admin) records the next step
// of a case through THE writer (db/writer.ts op "step", against the version shown), and edits the
// holiday calendar. The state machine's refusals come back as the form's message, in the
// reader's language (the code of lib/enums.ts transitionRefusals with its params).

/** Steps that end the procedure or release the goods: recorded only when the officer confirms. */
const CONFIRMED: ReadonlySet<ProcedureStepKind> = new Set(["released", "disposal", "referral_to_police", "no_answer"]);

const id = z.coerce.number({ error: "required" }).int("required").positive("required").max(2_147_483_647, "not_found");
const version = z.coerce.number({ error: "required" }).int("required").positive("required").max(2_147_483_647, "conflict");
const text = (max: number) => z.string().trim().max(max, "too_long").optional().transform((v) => (v ? v : null));
const optionalEnum = <T extends string>(values: readonly [T, ...T[]]) =>
  z.union([z.literal(""), z.enum(values, { error: "invalid" })]).optional().transform((v) => (v ? v : null));
/** 'YYYY-MM-DDTHH:mm' as a datetime-local input sends it, meaning Beijing time. */
const beijingLocal = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/;

const stepSchema = z.object({
  caseId: id,
  version,
  kind: z.enum(procedureSteps.values, { error: "required" }),
  at: z.string({ error: "required" }).regex(beijingLocal, "invalid"),
  documentNo: text(60),
  servedOn: z.string().optional().transform((v) => (v ? v : null)),
  answer: optionalEnum(holderAnswers.values),
  bondKind: optionalEnum(bondKinds.values),
  bondYuan: z.string().optional(),
  decision: optionalEnum(determinations.values),
  court: text(200),
  fineYuan: z.string().optional(),
  ground: optionalEnum(releaseGrounds.values),
  disposal: optionalEnum(disposals.values),
  note: text(2000),
  confirm: z.string().optional(),
});

function instantOf(local: string): Date {
  const m = beijingLocal.exec(local)!;
  if (!isIsoDate(m[1])) throw new FieldProblem("at", { code: "invalid" });
  const t = new Date(`${m[1]}T${m[2]}:${m[3]}:00+08:00`);
  if (!Number.isFinite(t.getTime())) throw new FieldProblem("at", { code: "invalid" });
  // a step is recorded when it happened: never in the future (a minute's grace for the clocks)
  if (t.getTime() > Date.now() + 60_000) throw new FieldProblem("at", { code: "future" });
  return t;
}

function fenOf(field: string, value: string | undefined, required: boolean): number | null {
  if (value === undefined || value.trim() === "") {
    if (required) throw new FieldProblem(field, { code: "required" });
    return null;
  }
  const fen = parseYuanToFen(value);
  if (fen === null || fen < 0) throw new FieldProblem(field, { code: "invalid" });
  return fen;
}

type StepInput = z.infer<typeof stepSchema>;

/** The form's fields as the state machine's step (only the fields of its kind). */
function stepOf(input: StepInput, by: string): ProcedureStep {
  const base = { at: instantOf(input.at), by, documentNo: input.documentNo, note: input.note };
  const need = <T>(field: string, v: T | null): T => {
    if (v === null) throw new FieldProblem(field, { code: "required" });
    return v;
  };
  switch (input.kind) {
    case "application_filed":
      return { ...base, kind: "application_filed", bondKind: need("bondKind", input.bondKind), bondFen: fenOf("bondYuan", input.bondYuan, true)! };
    case "notice_sent":
      if (input.servedOn !== null && !isIsoDate(input.servedOn)) throw new FieldProblem("servedOn", { code: "invalid" });
      return { ...base, kind: "notice_sent", servedOn: input.servedOn };
    case "holder_answered": {
      const answer = need("answer", input.answer);
      return answer === "requests_detention"
        ? { ...base, kind: "holder_answered", answer, bondKind: need("bondKind", input.bondKind), bondFen: fenOf("bondYuan", input.bondYuan, input.bondKind !== "general_bond") ?? 0 }
        : { ...base, kind: "holder_answered", answer };
    }
    case "determination":
      return { ...base, kind: "determination", decision: need("decision", input.decision) };
    case "court_order":
      return { ...base, kind: "court_order", court: need("court", input.court) };
    case "penalty":
      return { ...base, kind: "penalty", fineFen: fenOf("fineYuan", input.fineYuan, true)! };
    case "released":
      return { ...base, kind: "released", ground: need("ground", input.ground) };
    case "disposal":
      return { ...base, kind: "disposal", disposal: need("disposal", input.disposal) };
    default:
      return { ...base, kind: input.kind } as ProcedureStep;
  }
}

const record = defineAction({
  permission: "write",
  schema: stepSchema,
  revalidate: ["/cases", "/procedure"],
  run: async (input, { user }) => {
    const step = stepOf(input, user.id);
    if (CONFIRMED.has(step.kind) && input.confirm !== "yes") throw new FieldProblem("confirm", { code: "confirm" });
    try {
      return await recordStep(input.caseId, input.version, step, user.id);
    } catch (error) {
      if (error instanceof TransitionRefusedError) {
        throw new FieldProblem("_form", { code: `refusal.${error.code}`, params: error.params });
      }
      throw error;
    }
  },
});

export async function recordStepAction(...args: Parameters<typeof record>) {
  return record(...args);
}

const overrideSchema = z.object({
  date: z.string({ error: "required" }).refine(isIsoDate, "invalid"),
  kind: z.enum(["work", "holiday"], { error: "required" }),
  note: text(200),
});

const setDay = defineAction({
  permission: "write",
  schema: overrideSchema,
  revalidate: ["/procedure", "/cases"],
  run: async (input, { user }) => {
    await setOverride(input.date, input.kind, input.note, user.id);
    return { date: input.date };
  },
});

export async function setOverrideAction(...args: Parameters<typeof setDay>) {
  return setDay(...args);
}

const removeDay = defineAction({
  permission: "write",
  schema: z.object({ date: z.string({ error: "required" }).refine(isIsoDate, "invalid") }),
  revalidate: ["/procedure", "/cases"],
  run: async (input) => {
    if (!(await removeOverride(input.date))) throw new FieldProblem("date", { code: "not_found" });
    return { date: input.date };
  },
});

export async function removeOverrideAction(...args: Parameters<typeof removeDay>) {
  return removeDay(...args);
}
