import "server-only";
import { budgetedRead } from "../budget";
import type { MarketView } from "../../lib/suppression";
import type { Scope } from "../../lib/roles";
import { started } from "./started";

// The market section's published tables about all cases (the confidentiality rules live in
// lib/suppression.ts), within the time budget.

export type { MarketView };

/**
 * The tables of the whole years fromYear … toYear (null: from the first, to the last). A
 * member's scope names its company, whose cases count for the dominance rule; analysts and
 * admins have none.
 */
export function marketView(scope: Scope, period: { fromYear: number | null; toYear: number | null }): Promise<MarketView> {
  const holderId = scope.restrictToHolders?.[0] ?? null;
  return started(budgetedRead("marketView", holderId, period.fromYear ?? 0, period.toYear ?? 9999));
}
