import type { CaseStatus, Disposal, ProtectionMode, ReleaseGround } from "../lib/enums";
import { PERIODS, requiredBondFen, statusOf, type ProcedureStep } from "../lib/procedure";
import { createRandom, type Random } from "../lib/prng";
import { addWorkingDays, endOfBeijingDay } from "../lib/working-days";
import { KUNMING } from "./reference";

// The demo cases' procedure steps (issue 16, item 2): for the cases of the data's last two years
// and for all of Kunming's, a history the state machine (lib/procedure.ts) accepts, whose latest
// step gives the status the case was generated with — and agrees with its outcome fields
// (hearing, penalty, referral, disposal) — so that every published figure stays as it was.
// Pure: each case's steps come from its own PRNG, seeded by the seed and the case's id, so they
// neither draw from the cases' PRNG nor depend on which other cases get steps. Older cases keep
// their status only; a case whose stored outcome no history can give (e.g. a case on application
// "under investigation": customs does not investigate those) keeps its status only too.

/** Who recorded the demo steps: no account, shown as customs staff. */
export const SEED_STEP_USER = "seed";

/** The years whose cases get steps (besides Kunming's): the data's last two. */
export const STEP_YEARS = [2024, 2025] as const;

export type CaseForSteps = {
  id: number;
  caseNo: string;
  seizedOn: string;
  status: CaseStatus;
  protectionMode: ProtectionMode;
  valueFen: number;
  penaltyFen?: number | null;
  disposal?: Disposal | null;
  hearingHeld?: boolean;
  referredToPolice?: boolean;
};

export function getsSteps(c: Pick<CaseForSteps, "caseNo" | "seizedOn">): boolean {
  return c.caseNo.startsWith(`${KUNMING}-`) || (STEP_YEARS as readonly number[]).includes(Number(c.seizedOn.slice(0, 4)));
}

/** 09:00–17:59 Beijing time of a date, as an instant. */
function officeHour(random: Random, date: string): Date {
  const midnight = endOfBeijingDay(date).getTime() - 86_400_000;
  return new Date(midnight + (9 + random.int(0, 8)) * 3600_000 + random.int(0, 59) * 60_000);
}

function docNo(random: Random, prefix: string, year: string): string {
  return `${prefix}${year}-${String(random.int(1, 99_999)).padStart(5, "0")}`;
}

/**
 * The steps of one case, or [] when it keeps its status only. The caller checks nothing: a
 * unit test runs every history through lib/procedure.ts checkHistory.
 */
export function stepsForCase(input: CaseForSteps, seed: number): ProcedureStep[] {
  const c = {
    ...input, penaltyFen: input.penaltyFen ?? null, disposal: input.disposal ?? null,
    hearingHeld: input.hearingHeld ?? false, referredToPolice: input.referredToPolice ?? false,
  };
  const random = createRandom(((seed >>> 0) ^ Math.imul(c.id, 0x9e3779b1)) >>> 0);
  const year = c.seizedOn.slice(0, 4);
  const by = SEED_STEP_USER;
  const steps: ProcedureStep[] = [];
  let day = c.seizedOn;
  const at = () => {
    const t = officeHour(random, day);
    const last = steps.at(-1)?.at.getTime() ?? 0;
    return t.getTime() > last ? t : new Date(last + 3600_000);
  };
  const after = (workingDays: number) => {
    day = addWorkingDays(day, workingDays);
  };
  const s = c.status;
  const release = (ground: ReleaseGround) => steps.push({ kind: "released", at: at(), by, ground });

  if (c.protectionMode === "on_application") {
    // the right holder applies with a bond; customs detains; the court order, or a release
    if (!["detained", "released", "closed"].includes(s) || c.hearingHeld || c.referredToPolice || c.penaltyFen !== null) return [];
    steps.push({ kind: "application_filed", at: at(), by, bondFen: Math.max(100, Math.round(c.valueFen / 2 / 100)) * 100, bondKind: random.chance(0.7) ? "deposit" : "bank_guarantee" });
    if (s === "detained" && random.chance(0.3)) return steps;
    steps.push({ kind: "detained", at: at(), by, documentNo: docNo(random, "KL", year) });
    if (s === "detained") return steps;
    if (s === "released") {
      if (random.chance(0.6)) {
        after(PERIODS.courtOrderOnApplication + 1);
        release("no_court_order_in_time");
      } else {
        after(random.int(2, 10));
        release(random.chance(0.5) ? "consignee_evidence" : "application_withdrawn");
      }
      return steps;
    }
    if (!c.disposal) return [];
    after(random.int(5, PERIODS.courtOrderOnApplication - 1));
    steps.push({ kind: "court_order", at: at(), by, documentNo: docNo(random, "FY", year), court: "Intermediate People's Court" });
    after(random.int(10, 40));
    steps.push({ kind: "disposal", at: at(), by, disposal: c.disposal });
    return steps;
  }

  // ex officio: release suspended, notice to the right holder, its answer within 3 working days
  steps.push({ kind: "suspected", at: at(), by });
  if (s === "released" && random.chance(0.1)) {
    after(1);
    release("consignee_evidence");
    return steps;
  }
  if (s === "detained" && random.chance(0.1)) return steps;
  steps.push({ kind: "notice_sent", at: at(), by, documentNo: docNo(random, "TZ", year) });
  if (s === "detained" && random.chance(0.1)) return steps;
  if (s === "released" && random.chance(0.5)) {
    // the right holder declines, or does not answer in time
    if (random.chance(0.5)) {
      after(random.int(1, PERIODS.answer));
      steps.push({ kind: "holder_answered", at: at(), by, answer: "declines" });
      release("holder_declined");
    } else {
      after(PERIODS.answer + 1);
      steps.push({ kind: "no_answer", at: at(), by });
      release("no_answer");
    }
    return steps;
  }
  after(random.int(1, PERIODS.answer));
  const general = random.chance(0.2);
  steps.push({
    kind: "holder_answered", at: at(), by, answer: "requests_detention",
    bondKind: general ? "general_bond" : random.chance(0.6) ? "deposit" : "bank_guarantee",
    bondFen: general ? 0 : requiredBondFen(c.valueFen),
  });
  if (s === "detained" && random.chance(0.2)) return steps;
  steps.push({ kind: "detained", at: at(), by, documentNo: docNo(random, "KL", year) });
  if (s === "detained") return steps;
  if (random.chance(0.6)) {
    after(random.int(1, 3));
    steps.push({ kind: "investigation_started", at: at(), by });
  }
  if (s === "under_investigation") {
    if (random.chance(0.3)) {
      after(random.int(10, PERIODS.determination - 1));
      steps.push({ kind: "determination", at: at(), by, documentNo: docNo(random, "RD", year), decision: "not_determinable" });
    } else if (steps.at(-1)!.kind !== "investigation_started") {
      after(1);
      steps.push({ kind: "investigation_started", at: at(), by });
    }
    return steps;
  }
  if (s === "released") {
    after(random.int(5, PERIODS.determination - 1));
    steps.push({ kind: "determination", at: at(), by, documentNo: docNo(random, "RD", year), decision: "not_infringing" });
    after(random.int(1, 3));
    release("not_infringing");
    return steps;
  }
  // infringing: then a hearing, a penalty, a referral, a disposal as the case's outcome says
  after(random.int(5, PERIODS.determination - 1));
  steps.push({ kind: "determination", at: at(), by, documentNo: docNo(random, "RD", year), decision: "infringing" });
  if (c.hearingHeld) {
    after(random.int(5, 15));
    steps.push({ kind: "hearing", at: at(), by, documentNo: docNo(random, "TZ", year) });
  }
  if (s === "infringement_confirmed") return c.penaltyFen === null && !c.referredToPolice ? steps : [];
  if (c.penaltyFen !== null || s === "penalised" || s === "closed") {
    after(random.int(3, 20));
    steps.push({ kind: "penalty", at: at(), by, documentNo: docNo(random, "CF", year), fineFen: c.penaltyFen ?? 0 });
  }
  // a penalised case's disposal (if the generator gave one) stays a field of the case: a disposal step would close it
  if (s === "penalised") return c.referredToPolice ? [] : steps;
  if (s === "referred_to_police") {
    after(random.int(3, 20));
    steps.push({ kind: "referral_to_police", at: at(), by, documentNo: docNo(random, "YS", year) });
    return steps;
  }
  if (s === "closed") {
    if (c.referredToPolice || !c.disposal) return [];
    after(random.int(10, 60));
    steps.push({ kind: "disposal", at: at(), by, disposal: c.disposal });
    return steps;
  }
  return [];
}

/** The steps of the cases that get them, as rows to insert: each history ends in the case's own status. */
export function* seedSteps(cases: Iterable<CaseForSteps>, seed: number): Generator<{ caseId: number; step: ProcedureStep }> {
  for (const c of cases) {
    if (!getsSteps(c)) continue;
    const steps = stepsForCase(c, seed);
    if (steps.length && statusOf(steps) !== c.status) continue; // never a history that says otherwise
    for (const step of steps) yield { caseId: c.id, step };
  }
}
