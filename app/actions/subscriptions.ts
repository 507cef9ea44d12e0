"use server";

import { z } from "zod";
import { subscribe, SubscriptionError } from "@/db/repo/subscriptions";
import { FieldProblem, defineAction } from "./wrapper";

// Digest subscriptions (issue 20, item 3): the session's user sets its own digest of a view it
// may see — weekly, monthly or off — through the one wrapper (one transaction with its audit
// entry, db/subscriptions.ts). Whose subscription it is comes from the session, never the form.

const set = defineAction({
  permission: "keepViews",
  schema: z.object({
    id: z.coerce.number({ error: "not_found" }).int("not_found").positive("not_found").max(2_147_483_647, "not_found"),
    frequency: z.enum(["off", "weekly", "monthly"], { error: "invalid" }),
  }),
  revalidate: ["/views"],
  run: async (input, { user }) => {
    try {
      const { id } = await subscribe(user, input.id, input.frequency);
      return { id, frequency: input.frequency };
    } catch (error) {
      if (error instanceof SubscriptionError) throw new FieldProblem(error.field, { code: error.code });
      throw error;
    }
  },
});

export async function setSubscriptionAction(...args: Parameters<typeof set>) {
  return set(...args);
}
