"use server";

import { z } from "zod";
import { setRetention } from "@/db/repo/parties";
import { MAX_RETENTION_MONTHS } from "@/db/repo/parties";
import { defineAction } from "./wrapper";

// The retention of natural persons' identity numbers (PIPL, issue 18): an admin sets it in
// months; what it no longer allows is erased at once, with its audit entry (db/party-erasure.ts).

const retention = defineAction({
  permission: "write",
  schema: z.object({
    months: z.coerce.number({ error: "format" }).int("integer").min(1, "min_months").max(MAX_RETENTION_MONTHS, "too_large"),
  }),
  revalidate: ["/admin"],
  run: (input, { user }) => setRetention(input.months, user.id),
});

export async function setRetentionAction(...args: Parameters<typeof retention>) {
  return retention(...args);
}
