// Next.js calls register() once when a server process starts: the reader processes of the
// time budget (db/budget) start then, so that the first pages do not wait for them; and the
// scan of time-based notifications (db/notification-scanner.ts) every minute. Reader
// processes and scripts do not run this hook, so they never scan.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { readerPool } = await import("./db/budget/shared");
  readerPool().warm();
  const [{ startNotificationScanner }, { getEngine }] = await Promise.all([import("./db/notification-scanner"), import("./db/client")]);
  startNotificationScanner(getEngine);
}
