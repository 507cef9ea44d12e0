import { noErasure } from "../lib/env";
import type { Engine } from "./engine";
import { dailyErasureDone, runDailyErasure } from "./party-erasure";

// The daily PIPL erasure of natural persons' identity numbers (db/party-erasure.ts
// runDailyErasure) off the request path: each server process, started by instrumentation.ts,
// looks every CHECK_MS and, when today (Beijing's date) is not done yet, erases what the
// admin's retention no longer allows, as the system, with its audit entry. The day's mark is
// written in the erasure's transaction, so of several servers one erases and the others find
// the day done; a run that fails is logged, rolled back whole, and the next look tries again.
// Looks never overlap within a process; a look that finds the day done only reads one row.
// NO_ERASURE=1 switches it off in this process.

const CHECK_MS = 10 * 60_000;
const state = globalThis as unknown as { iprErasureJob?: NodeJS.Timeout };

export function startErasureJob(engine: () => Engine, now: () => Date = () => new Date()): void {
  if (state.iprErasureJob || noErasure()) return;
  let running = false;
  const look = async () => {
    if (running) return;
    running = true;
    try {
      const e = engine();
      const at = now();
      if (await dailyErasureDone(e, at)) return;
      const run = await runDailyErasure(e, at);
      if (!run) return; // another server did today's
      if (run.retentionMonths === null) console.log(`[erasure] ${run.date}: no retention period is set; no identity number erased`);
      else console.log(`[erasure] ${run.date}: ${run.erased} person(s)' identity numbers erased (last case before ${run.cutoff}, retention ${run.retentionMonths} months)`);
    } catch (error) {
      console.error("[erasure] the daily erasure failed; the next look tries again:", error);
    } finally {
      running = false;
    }
  };
  state.iprErasureJob = setInterval(() => void look(), CHECK_MS);
  state.iprErasureJob.unref();
  // the first look soon after start, not in the way of the first requests
  setTimeout(() => void look(), 9_000).unref();
}
