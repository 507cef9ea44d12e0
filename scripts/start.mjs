// `npm start` runs `exec node scripts/start.mjs`: `exec` replaces npm's `sh -c`, so that this
// process is npm's own child and gets the SIGTERM or SIGINT that npm passes on (a `sh` in
// between would die of it and leave the server running). It prepares (scripts/start.ts,
// TypeScript through tsx's loader, in this process), then becomes the server's primary
// process itself (scripts/serve.mjs): no further layer that a signal must cross.
import { register } from "tsx/esm/api";

// If npm itself is killed outright (SIGKILL), nobody passes a signal on: a process whose
// parent has gone stops as if it had been asked to.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, "SIGTERM");
}, 1000).unref();

register();
const { prepareToServe } = await import("./start.ts");
await prepareToServe();
await import("./serve.mjs");
