"use server";

import { z } from "zod";
import { AnswerRefusedError, NotDueError, answerNotice, releaseDue } from "@/db/repo/inbox";
import { TransitionRefusedError } from "@/db/repo/procedure";
import { bondKinds, holderAnswers } from "@/lib/enums";
import { parseYuanToFen } from "@/lib/format";
import { FieldProblem, defineAction } from "./wrapper";

// The right holder's answer to a detention notice in the app, and customs' one action for a
// release that is due (issue 16, cut 3). Both go through the one wrapper and record steps through
// THE writer (db/inbox.ts), against the version the member or officer saw. A refusal comes back as
// the form's message (`inbox.refusal.*`, `procedure.refusal.*`) in the reader's language.

const id = z.coerce.number({ error: "required" }).int("required").positive("required").max(2_147_483_647, "not_found");
const version = z.coerce.number({ error: "required" }).int("required").positive("required").max(2_147_483_647, "conflict");

const answerSchema = z.object({
  caseId: id,
  version,
  answer: z.enum(holderAnswers.values, { error: "required" }),
  bondKind: z.union([z.literal(""), z.enum(bondKinds.values, { error: "invalid" })]).optional().transform((v) => (v ? v : null)),
  bondYuan: z.string().max(40, "invalid").optional(),
  confirm: z.string().optional(),
});

const answer = defineAction({
  permission: "answerNotices",
  schema: answerSchema,
  revalidate: ["/inbox", "/cases", "/procedure"],
  run: async (input, { user }) => {
    let bondKind = null;
    let bondFen: number | null = null;
    if (input.answer === "requests_detention") {
      if (!input.bondKind) throw new FieldProblem("bondKind", { code: "required" });
      bondKind = input.bondKind;
      const typed = input.bondYuan?.trim() ?? "";
      if (typed === "") {
        // a general bond lodged with GACC covers the request (Measures Art. 24)
        if (bondKind !== "general_bond") throw new FieldProblem("bondYuan", { code: "required" });
        bondFen = 0;
      } else {
        bondFen = parseYuanToFen(typed);
        if (bondFen === null || bondFen < 0) throw new FieldProblem("bondYuan", { code: "invalid" });
      }
    } else if (input.confirm !== "yes") {
      // declining lets the goods go (Reg. Art. 16): only when the member confirms it
      throw new FieldProblem("confirm", { code: "confirm" });
    }
    try {
      return await answerNotice({
        holderId: user.holderId ?? -1, caseId: input.caseId, expectedVersion: input.version, userId: user.id,
        answer: input.answer, bondKind, bondFen,
      });
    } catch (error) {
      if (error instanceof AnswerRefusedError) throw new FieldProblem("_form", { code: `inbox.${error.code}`, params: error.params });
      throw error;
    }
  },
});

export async function answerNoticeAction(...args: Parameters<typeof answer>) {
  return answer(...args);
}

const release = defineAction({
  permission: "write",
  schema: z.object({ caseId: id, version, confirm: z.string().optional() }),
  revalidate: ["/procedure", "/cases", "/inbox"],
  run: async (input, { user }) => {
    if (input.confirm !== "yes") throw new FieldProblem("confirm", { code: "confirm" });
    try {
      return await releaseDue(input.caseId, input.version, user.id);
    } catch (error) {
      if (error instanceof NotDueError) throw new FieldProblem("_form", { code: "inbox.not_due" });
      if (error instanceof TransitionRefusedError) throw new FieldProblem("_form", { code: `refusal.${error.code}`, params: error.params });
      throw error;
    }
  },
});

export async function releaseDueAction(...args: Parameters<typeof release>) {
  return release(...args);
}
