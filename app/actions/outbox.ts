"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { OutboxNotFoundError, retryOutboxMail } from "@/db/repo/outbox";
import { FieldProblem, defineAction, type ActionResult } from "./wrapper";

// An admin's retry of an e-mail the outbox waits on or gave up (/admin/outbox): due at once,
// its attempts counted from 0 again, with an audit entry in the same transaction.

const retry = defineAction({
  permission: "write",
  schema: z.object({ id: z.coerce.number({ error: "required" }).int("required").positive("required") }),
  revalidate: ["/admin/outbox"],
  run: async (input, { user }) => {
    try {
      return await retryOutboxMail(input.id, user.id);
    } catch (error) {
      if (error instanceof OutboxNotFoundError) throw new FieldProblem("id", { code: "not_found" });
      throw error;
    }
  },
});

export async function retryMailAction(previous: ActionResult<{ id: number }> | null, input: FormData | Record<string, unknown>): Promise<ActionResult<{ id: number }>> {
  const result = await retry(previous, input);
  if (result.ok) redirect(`/admin/outbox?retried=${result.data.id}`);
  return result;
}
