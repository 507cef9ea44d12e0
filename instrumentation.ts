// Next.js calls register() once when a server process starts: the reader processes of the
// time budget (db/budget) start then, so that the first pages do not wait for them; the
// outbox's sender (db/outbox.ts) of this server process; and the scan of time-based
// notifications (db/notification-scanner.ts) and of due digests (db/digest-scanner.ts) every
// minute; the hot-spot refresh (db/hotspot-job.ts) and the daily erasure of expired identity
// numbers (db/erasure-job.ts), off the request path. Reader processes and scripts are
// not Next servers: they never call this, so they never send mail nor scan.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { readerPool } = await import("./db/budget/shared");
  readerPool().warm();
  const [{ getEngine }, { startOutboxSender }, { startNotificationScanner }, { startDigestScanner }, { startHotspotJob }, { startErasureJob }] = await Promise.all([
    import("./db/client"), import("./db/outbox"), import("./db/notification-scanner"), import("./db/digest-scanner"), import("./db/hotspot-job"),
    import("./db/erasure-job"),
  ]);
  startOutboxSender(getEngine());
  startNotificationScanner(getEngine);
  startDigestScanner(getEngine);
  startHotspotJob(getEngine);
  startErasureJob(getEngine);
}
