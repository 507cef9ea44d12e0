import { noDigests } from "../lib/env";
import type { Engine } from "./engine";
import { scanDigests } from "./subscriptions";

// The scan of due digests (db/subscriptions.ts scanDigests) every minute in each server process,
// started by instrumentation.ts beside the notification scanner (the same pattern: not reader
// processes, not scripts). Two servers scanning at once write each digest once (the
// subscription's period moves in the transaction of its mail, whose dedupe key is unique). A
// scan that fails is logged and the next minute's tries again; scans never overlap within a
// process. NO_DIGESTS=1 switches it off in this process.

const INTERVAL_MS = 60_000;
const state = globalThis as unknown as { iprDigestScanner?: NodeJS.Timeout };

export function startDigestScanner(engine: () => Engine, now: () => Date = () => new Date()): void {
  if (state.iprDigestScanner || noDigests()) return;
  let running = false;
  const scan = async () => {
    if (running) return;
    running = true;
    try {
      await scanDigests(engine(), now());
    } catch (error) {
      console.error("[digests] the scan failed; the next one runs in a minute:", error);
    } finally {
      running = false;
    }
  };
  state.iprDigestScanner = setInterval(() => void scan(), INTERVAL_MS);
  state.iprDigestScanner.unref();
  setTimeout(() => void scan(), 7_000).unref();
}
