import os from "node:os";
import { randomUUID } from "node:crypto";
import type { Engine } from "./engine";
import { refreshHotspotsIfDue } from "./hotspots";

// The hot-spot refresh (db/hotspots.ts refreshHotspotsIfDue) off the request path: each server
// process, started by instrumentation.ts, looks every CHECK_MS and refreshes when the data
// changed, or the last run is an hour old; the lease lets one server of several compute. A
// refresh that fails is logged and the next look tries again; looks never overlap within a
// process. Pages only read the stored run.

const CHECK_MS = 2 * 60_000;
const state = globalThis as unknown as { iprHotspotJob?: NodeJS.Timeout };

export function startHotspotJob(engine: () => Engine): void {
  if (state.iprHotspotJob) return;
  const owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let running = false;
  const look = async () => {
    if (running) return;
    running = true;
    try {
      const run = await refreshHotspotsIfDue(engine(), owner, new Date());
      if (run) console.log(`[hotspots] ${run.flagCount} flags over ${run.seriesCount} series for ${run.evaluationMonth} in ${run.tookMs} ms`);
    } catch (error) {
      console.error("[hotspots] the refresh failed; the next look tries again:", error);
    } finally {
      running = false;
    }
  };
  state.iprHotspotJob = setInterval(() => void look(), CHECK_MS);
  state.iprHotspotJob.unref();
  // the first look soon after start, not in the way of the first requests
  setTimeout(() => void look(), 8_000).unref();
}
