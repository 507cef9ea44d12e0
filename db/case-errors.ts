// The refusals of the one writer (db/writer.ts), each with a message an admin can read.

export class CaseNotFoundError extends Error {
  override name = "CaseNotFoundError";
}

/** The write was made against an older version; `current` names who changed the case and when. */
export class VersionConflictError extends Error {
  override name = "VersionConflictError";
  constructor(readonly current: { version: number; updatedBy: string | null; updatedAt: number }) {
    super(`The case was changed by ${current.updatedBy ?? "another user"} at ${new Date(current.updatedAt).toISOString()} (now version ${current.version}); nothing was saved.`);
  }
}

/** Another case, live or deleted, already has this case number. */
export class DuplicateCaseNoError extends Error {
  override name = "DuplicateCaseNoError";
  constructor(readonly caseNo: string) {
    super(`Another case already has the number ${caseNo}.`);
  }
}

export type ReferenceField = "officeId" | "rightHolderIds" | "campaignId" | "recordationIds";

/**
 * The input names an office, right holder or campaign that does not exist, or no right holder
 * at all (field 'rightHolderIds', value []). For right holders `value` lists the unknown ids.
 */
export class UnknownReferenceError extends Error {
  override name = "UnknownReferenceError";
  constructor(readonly field: ReferenceField, readonly value: number | number[]) {
    super(
      field === "rightHolderIds" && Array.isArray(value) && value.length === 0
        ? "A case names at least one right holder."
        : `Unknown ${field === "officeId" ? "customs office" : field === "campaignId" ? "campaign" : field === "recordationIds" ? "recordation" : "right holder"}: ${Array.isArray(value) ? value.join(", ") : value}.`,
    );
  }
}


/**
 * The procedure's state machine (lib/procedure.ts checkTransition) refuses the step: `code` is a
 * transitionRefusals value (labels in both languages), `params` fill a translated message.
 */
export class TransitionRefusedError extends Error {
  override name = "TransitionRefusedError";
  constructor(
    readonly code: string,
    message: string,
    readonly params: Record<string, string | number>,
  ) {
    super(message);
  }
}

/** An edit changed the status of a case that has procedure steps: its status follows its latest step. */
export class StatusFollowsStepsError extends Error {
  override name = "StatusFollowsStepsError";
  constructor(readonly status: string) {
    super(`The status of this case follows its procedure steps (now ${status}): record a step instead of editing the status.`);
  }
}

/**
 * The recordations a case names break a rule (lib/recordations.ts, docs/procedure.md):
 * - "recordation_required": a newly entered ex-officio case names no recordation valid on its
 *   seizure date (customs protect ex officio only a right recorded with GACC, Reg. Art. 16);
 * - "recordation_holder": a named recordation belongs to none of the case's right holders.
 */
export class RecordationLinkError extends Error {
  override name = "RecordationLinkError";
  readonly field = "recordationIds";
  constructor(readonly code: "recordation_required" | "recordation_holder", readonly params: { seizedOn?: string; number?: string } = {}) {
    super(
      code === "recordation_required"
        ? `An ex-officio case must name a customs recordation of one of its right holders that is valid on the seizure date${params.seizedOn ? ` (${params.seizedOn})` : ""}.`
        : `Recordation ${params.number ?? ""} belongs to none of the case's right holders.`,
    );
  }
}
