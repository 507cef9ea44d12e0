// The production server: the existing build (`next build`) served by several Node processes
// on one port, so that page rendering (CPU-bound, one event loop per process) uses every
// core. SQLite in WAL mode lets each process read while another writes; writes queue on the
// database's lock (busy_timeout, then a retry: lib/db-errors.ts).
//
//   node scripts/serve.mjs            (npm start imports it after preparing the database)
//
// PORT (3000; every interface), WEB_CONCURRENCY (processes: one per core, at most
// 4), TRUST_PROXY=1 when a reverse proxy in front appends the client's address to
// X-Forwarded-For. A process that dies is replaced.
//
// Stopping: SIGTERM or SIGINT (Ctrl-C) to the primary process stops them all. Each server
// process stops accepting connections, finishes the requests in flight, closes the
// database and exits; one still busy after STOP_GRACE_MS is cut off, and the primary kills
// what remains after STOP_LIMIT_MS and exits, so a stop never takes longer than that.
//
// The client's address: every request reaches the app with X-Forwarded-For set to one
// address, the socket's peer (or, with TRUST_PROXY=1, the last address the proxy appended),
// and X-Real-IP removed, so a client cannot choose the key its sign-in failures are counted
// under (db/auth.ts signInKeys) or better-auth's rate limit.
import cluster from "node:cluster";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
/** A process that could not start (no build, the port taken) exits so; the others stop too, without restarts. */
const CANNOT_START = 78;
const STOP_GRACE_MS = 8000;
const STOP_LIMIT_MS = 10_000;

/** Reads an environment number, or says which variable is wrong and stops. */
function envNumber(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`Cannot start: ${name} must be a whole number from ${min} to ${max}, not "${raw}".`);
    process.exit(1);
  }
  return n;
}

const port = envNumber("PORT", 3000, 1, 65535);
const processes = envNumber("WEB_CONCURRENCY", Math.min(os.availableParallelism(), 4), 1, 64);
const trustProxy = process.env.TRUST_PROXY === "1";
// read by each process's reader pool (lib/env.ts); checked here so that a bad value stops the start
envNumber("QUERY_BUDGET_MS", 5000, 1, 3_600_000);
envNumber("EXPORT_BUDGET_MS", 900_000, 1, 86_400_000);
envNumber("QUERY_READERS", 2, 1, 32);

// ---- long addresses (issue 13) --------------------------------------------------------------
// An address longer than this is answered 414 at once and its connection closed: the page it
// leads to would send it again as Referer on every request it makes, past Node's 16 KB limit
// for request headers. Filters and searches need a small fraction of it.
const MAX_URL_BYTES = 8 * 1024;
function refuseLongUrl(req, res) {
  if (Buffer.byteLength(req.url ?? "") <= MAX_URL_BYTES) return false;
  res.writeHead(414, { "content-type": "text/plain; charset=utf-8", connection: "close", "cache-control": "no-store" });
  res.end(`The address is longer than ${MAX_URL_BYTES / 1024} KB; shorten the filters or the search.\n`);
  return true;
}
// ---------------------------------------------------------------------------------------------

/** The one address a request is counted under (see the header comment). */
function clientAddress(socketAddress, forwardedFor, trust) {
  if (trust && forwardedFor) {
    const hops = String(forwardedFor).split(",").map((s) => s.trim()).filter(Boolean);
    if (hops.length) return hops[hops.length - 1];
  }
  // an IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d
  return (socketAddress || "unknown").replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
}

/**
 * Stops this process's reader processes (db/budget keeps their pool as globalThis.iprReaders),
 * then closes its own database connection (db/client.ts keeps it as globalThis.iprDb), so that
 * it is the last connection and SQLite checkpoints and removes its WAL, and exits.
 */
async function exit(code) {
  try {
    await globalThis.iprReaders?.close();
  } catch (error) {
    console.error(`Server process ${process.pid}: stopping the reader processes failed: ${error instanceof Error ? error.message : error}`);
  }
  try {
    const sqlite = globalThis.iprDb?.$client;
    if (sqlite?.open) sqlite.close();
  } catch (error) {
    console.error(`Server process ${process.pid}: closing the database failed: ${error instanceof Error ? error.message : error}`);
    code = 1;
  }
  process.exit(code);
}

async function worker() {
  process.env.NODE_ENV = "production";
  const nextModule = require("next");
  const createNext = nextModule.default ?? nextModule;
  const app = createNext({ dev: false, dir: process.cwd(), hostname: "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = http.createServer((req, res) => {
    if (refuseLongUrl(req, res)) return; // issue 13: see MAX_URL_BYTES
    const forwarded = req.headers["x-forwarded-for"];
    req.headers["x-forwarded-for"] = clientAddress(req.socket.remoteAddress, Array.isArray(forwarded) ? forwarded.join(",") : forwarded, trustProxy);
    delete req.headers["x-real-ip"];
    handle(req, res).catch((error) => {
      console.error(error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader("content-type", "text/plain; charset=utf-8");
      }
      res.end("Internal Server Error");
    });
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // no new connections; the callback runs once every open connection has ended
    server.close(() => exit(0));
    // a kept-alive connection is closed as soon as it has no request in flight
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 100).unref();
    setTimeout(() => {
      console.error(`Server process ${process.pid}: requests still in flight after ${STOP_GRACE_MS / 1000} s; cutting them off.`);
      server.closeAllConnections();
      exit(1);
    }, STOP_GRACE_MS).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  server.on("error", (error) => {
    console.error(error.code === "EADDRINUSE" ? `Cannot start: port ${port} is in use.` : `Cannot start: ${error.message}`);
    process.exit(CANNOT_START);
  });
  server.listen(port);
}

function primary() {
  let stopping = false;
  let listening = 0;
  // the workers run this file, also when the primary is scripts/start.mjs (npm start)
  cluster.setupPrimary({ exec: fileURLToPath(import.meta.url) });
  const fork = () => cluster.fork();
  for (let i = 0; i < processes; i++) fork();
  cluster.on("listening", (w) => {
    listening++;
    if (listening === processes) console.log(`Ready on port ${port}: ${processes} ${processes === 1 ? "process" : "processes"}`);
    else if (listening > processes) console.log(`Server process ${w.process.pid} is serving in place of one that ended.`);
  });
  const recentDeaths = [];
  cluster.on("exit", (w, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        if (process.exitCode === undefined) console.log("Stopped.");
        process.exit(process.exitCode ?? 0);
      }
      return;
    }
    if (code === CANNOT_START) {
      // it said why; the others would fail alike
      stopping = true;
      process.exitCode = 1;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill("SIGTERM");
      setTimeout(() => process.exit(1), 8000).unref();
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    // a process that keeps dying (a broken database, say) is not restarted forever
    const now = Date.now();
    recentDeaths.push(now);
    while (recentDeaths.length && now - recentDeaths[0] > 60_000) recentDeaths.shift();
    if (recentDeaths.length > 5) {
      console.error("Server processes keep ending (6 within a minute); stopping.");
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill("SIGTERM");
      process.exitCode = 1;
      setTimeout(() => process.exit(1), 8000).unref();
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    console.error(`Server process ${w.process.pid} ended (${signal ?? `exit code ${code}`}); starting another.`);
    fork();
  });
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`Stopping (${signal}): finishing the requests in flight…`);
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
    setTimeout(() => {
      console.error(`Server processes still running after ${STOP_LIMIT_MS / 1000} s; killing them.`);
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGKILL");
      process.exit(1);
    }, STOP_LIMIT_MS).unref();
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

if (cluster.isPrimary) primary();
else
  worker().catch((error) => {
    console.error(`Cannot start: ${error instanceof Error ? error.message : error}`);
    process.exit(CANNOT_START);
  });
