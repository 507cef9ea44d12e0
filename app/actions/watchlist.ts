"use server";

import { z } from "zod";
import { saveWatchRule, watchHits, type WatchHit } from "@/db/repo/watchlist";
import { MAX_WATCH_CASES, MAX_WATCH_MONTHS, type WatchRule } from "@/lib/watchlist";
import { partyKinds } from "@/lib/enums";
import { defineAction, type ActionResult } from "./wrapper";

// The watch-list of parties (issue 18, item 2): the admin's rule (minimum cases within a window
// of months), audited; and the check the case form makes when a party's name or code is typed
// (customs staff only: a member is refused by the wrapper before anything is read).

const rule = defineAction({
  permission: "write",
  schema: z.object({
    minCases: z.coerce.number({ error: "format" }).int("integer").min(1, "min_cases").max(MAX_WATCH_CASES, "too_large"),
    months: z.coerce.number({ error: "format" }).int("integer").min(1, "min_months").max(MAX_WATCH_MONTHS, "too_large"),
  }),
  revalidate: ["/risk"],
  run: (input, { user }) => saveWatchRule(input, user.id),
});

export async function setWatchRuleAction(previous: ActionResult<WatchRule> | null, input: FormData | Record<string, unknown>): Promise<ActionResult<WatchRule>> {
  return rule(previous, input);
}

const probe = z.object({
  kind: z.enum(partyKinds.values as unknown as [string, ...string[]]).nullish(),
  name: z.string().max(500).nullish(),
  code: z.string().max(100).nullish(),
});

const check = defineAction({
  permission: "readRisk",
  schema: z.object({ parties: z.array(probe).max(3) }),
  revalidate: [],
  run: (input, { user }) => watchHits(user, input.parties),
});

/** Which of the typed parties (at most the case's three) are on the watch-list. A read: nothing is written. */
export async function checkWatchListAction(input: { parties: { kind?: string | null; name?: string | null; code?: string | null }[] }): Promise<ActionResult<{ start: string; hits: WatchHit[] }>> {
  return check(null, input);
}
