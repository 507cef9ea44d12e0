import type { Engine } from "./engine";
import { scanNotifications } from "./notifications";

// The scan of time-based notifications (db/notifications.ts scanNotifications) every minute in
// each server process, started by instrumentation.ts (not by reader processes or scripts). Two
// servers scanning at once write nothing twice (each notification's key is unique). A scan that
// fails is logged and the next minute's tries again; scans never overlap within a process.

const INTERVAL_MS = 60_000;
const state = globalThis as unknown as { iprNotificationScanner?: NodeJS.Timeout };

export function startNotificationScanner(engine: () => Engine): void {
  if (state.iprNotificationScanner) return;
  let running = false;
  const scan = async () => {
    if (running) return;
    running = true;
    try {
      await scanNotifications(engine(), new Date());
    } catch (error) {
      console.error("[notifications] the scan failed; the next one runs in a minute:", error);
    } finally {
      running = false;
    }
  };
  state.iprNotificationScanner = setInterval(() => void scan(), INTERVAL_MS);
  state.iprNotificationScanner.unref();
  // the first scan soon after start, not in the way of the first requests
  setTimeout(() => void scan(), 5_000).unref();
}
