// The production server: the existing build (`next build`) served by several Node processes
// on one port, so that page rendering (CPU-bound, one event loop per process) uses every
// core. SQLite in WAL mode lets each process read while another writes; writes queue on the
// database's lock (busy_timeout, then a retry: lib/db-errors.ts). On PostgreSQL
// (DATABASE_URL=postgres://…) each process has a pool of connections, and several machines
// may serve the same database (README, Deployment).
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
import { AsyncLocalStorage } from "node:async_hooks";
import cluster from "node:cluster";
import crypto from "node:crypto";
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
const readSlots = envNumber("READ_CONCURRENCY", 2, 1, 1024);

// ---- admission: readers must not starve writers (issue 15, item 6) --------------------------
// Rendering a page costs this process's one event loop 12–20 ms; with dozens of page and read
// requests in flight at once, every step of a write (its action, its commit, its answer) waits
// its turn behind all of them, and a 1 ms write took 2.4 s at the median under npm run load.
// So reads — GET and HEAD, which includes pages, RSC fetches and the JSON API's reads — pass
// through a limiter: at most READ_CONCURRENCY in flight per process, the rest wait in arrival
// order. Writes (any other method: server actions, which Next sends as POST with a Next-Action
// header, and the API's POST/PUT/PATCH/DELETE) and /api/health are not queued: they start at
// once and share the event loop with at most READ_CONCURRENCY renders. A read that has waited
// QUEUE_WAIT_MS, or finds QUEUE_LIMIT already waiting, is answered 503 with Retry-After rather
// than piling up; one whose client hangs up while it waits leaves the queue.
const QUEUE_WAIT_MS = 10_000;
const QUEUE_LIMIT = 1000;

// A server action that redirects (createCaseAction → /cases/<id>) has Next fetch the target
// page over HTTP from this same server (port and all, so possibly from the other process) and
// send it in the action's answer: that GET belongs to the write and must not queue behind
// the readers either. The server marks each action request with a header holding a secret the
// primary gives every process (Next copies the action's request headers into that fetch); a
// GET carrying it is served at once. A client's own copy of the header is removed, so no one
// outside can jump the queue.
const AFTER_WRITE_HEADER = "x-ipr-after-write";
let afterWriteSecret = "";

/** True for a GET that Next makes on behalf of a server action (see AFTER_WRITE_HEADER), after removing the header from what the client sent. */
function markWrites(req) {
  const mark = req.headers[AFTER_WRITE_HEADER];
  delete req.headers[AFTER_WRITE_HEADER];
  if (!afterWriteSecret) return false;
  if (req.headers["next-action"] !== undefined && req.method === "POST") req.headers[AFTER_WRITE_HEADER] = afterWriteSecret;
  return mark === afterWriteSecret;
}

function isQueued(req) {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  return !/^\/api\/health(?:[/?]|$)/.test(req.url ?? "");
}

function refuseBusy(res, why) {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "2", "cache-control": "no-store" });
  res.end(`The server is busy (${why}); try again in a moment.\n`);
}

/** The limiter: run(req, res, start) calls start() now or once a slot is free. */
function createAdmission(slots) {
  let running = 0;
  /** @type {{ res: import("node:http").ServerResponse, start: () => void, timer: NodeJS.Timeout, gone: () => void }[]} */
  const waiting = [];
  let draining = false;
  const release = () => {
    running--;
    next();
  };
  const launch = (res, start) => {
    running++;
    res.once("close", release);
    start();
  };
  const next = () => {
    while (running < slots && waiting.length) {
      const entry = waiting.shift();
      clearTimeout(entry.timer);
      entry.res.off("close", entry.gone);
      launch(entry.res, entry.start);
    }
  };
  return {
    run(res, start) {
      if (draining) return refuseBusy(res, "stopping");
      if (running < slots) return launch(res, start);
      if (waiting.length >= QUEUE_LIMIT) return refuseBusy(res, "too many requests waiting");
      const entry = { res, start, timer: undefined, gone: undefined };
      const leave = () => {
        const i = waiting.indexOf(entry);
        if (i >= 0) waiting.splice(i, 1);
        clearTimeout(entry.timer);
        res.off("close", entry.gone);
      };
      entry.gone = leave; // the client hung up while waiting
      entry.timer = setTimeout(() => {
        leave();
        refuseBusy(res, `waited ${QUEUE_WAIT_MS / 1000} s for a turn`);
      }, QUEUE_WAIT_MS);
      res.once("close", entry.gone);
      waiting.push(entry);
    },
    /** On stop: whatever still waits is refused with 503 (and its connection closed), so that it neither hangs nor holds the stop up. */
    refuseWaiting() {
      draining = true;
      for (const entry of waiting.splice(0)) {
        clearTimeout(entry.timer);
        entry.res.off("close", entry.gone);
        entry.res.setHeader("connection", "close");
        refuseBusy(entry.res, "stopping");
      }
    },
  };
}

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
 * then closes its own database engine (db/client.ts keeps it as globalThis.iprEngine): on
 * SQLite the connection, so that it is the last one and SQLite checkpoints and removes its
 * WAL; on PostgreSQL the pool, so that the server sees its connections end. Then exits.
 */
async function exit(code) {
  try {
    await globalThis.iprReaders?.close();
  } catch (error) {
    console.error(`Server process ${process.pid}: stopping the reader processes failed: ${error instanceof Error ? error.message : error}`);
  }
  try {
    // the outbox's sender finishes the mail it is sending (its lease would otherwise pass to another server)
    await Promise.race([globalThis.iprOutboxSender?.stop(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  } catch (error) {
    console.error(`Server process ${process.pid}: stopping the outbox sender failed: ${error instanceof Error ? error.message : error}`);
  }
  try {
    const engine = globalThis.iprEngine;
    const client = engine?.db?.$client;
    if (engine?.dialect === "postgres") {
      // a pool whose server is gone must not hold the stop up
      await Promise.race([client?.end(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    } else if (client?.open) client.close();
  } catch (error) {
    console.error(`Server process ${process.pid}: closing the database failed: ${error instanceof Error ? error.message : error}`);
    code = 1;
  }
  process.exit(code);
}

async function worker() {
  process.on("message", (message) => {
    if (message && typeof message.afterWriteSecret === "string") afterWriteSecret = message.afterWriteSecret;
  });
  process.send?.({ wantAfterWriteSecret: true });
  process.env.NODE_ENV = "production";
  const nextModule = require("next");
  const createNext = nextModule.default ?? nextModule;
  const app = createNext({ dev: false, dir: process.cwd(), hostname: "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const admission = createAdmission(readSlots);
  // a write's reads in the reader processes go ahead of the readers' (db/budget/pool.ts writeFirst)
  const writeFirst = new AsyncLocalStorage();
  globalThis.iprWriteFirst = writeFirst;
  const serve = (req, res) =>
    handle(req, res).catch((error) => {
      console.error(error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader("content-type", "text/plain; charset=utf-8");
      }
      res.end("Internal Server Error");
    });
  const server = http.createServer((req, res) => {
    if (refuseLongUrl(req, res)) return; // issue 13: see MAX_URL_BYTES
    const forwarded = req.headers["x-forwarded-for"];
    req.headers["x-forwarded-for"] = clientAddress(req.socket.remoteAddress, Array.isArray(forwarded) ? forwarded.join(",") : forwarded, trustProxy);
    delete req.headers["x-real-ip"];
    const afterWrite = markWrites(req);
    if (!afterWrite && isQueued(req)) admission.run(res, () => serve(req, res));
    else if (afterWrite || (req.method !== "GET" && req.method !== "HEAD")) writeFirst.run(true, () => serve(req, res));
    else serve(req, res);
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // no new connections; the callback runs once every open connection has ended
    server.close(() => exit(0));
    // reads still waiting for a turn are refused (503, connection closed); those in flight finish
    admission.refuseWaiting();
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
  const secret = crypto.randomBytes(24).toString("base64url"); // see AFTER_WRITE_HEADER
  const fork = () => cluster.fork();
  // asked for by each process once it listens for it (a message sent at fork may come before that)
  cluster.on("message", (w, message) => {
    if (message?.wantAfterWriteSecret) w.send({ afterWriteSecret: secret });
  });
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
