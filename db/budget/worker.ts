// A reader process: its own read-only engine (a read-only SQLite connection, or a small
// PostgreSQL pool), opened from DATABASE_URL (db/open.ts), that runs the named reads of
// db/budget/reads.ts for its server process, one at a time. The server kills it when a read
// outlives its budget (better-sqlite3 cannot interrupt a statement, and a worker thread
// cannot be stopped inside one) and starts another; on PostgreSQL the reader's server process
// then stops its statement within a quarter of a second (it checks that its client is still
// there; statement_timeout a second past the budget is the backstop), so that a killed reader
// leaves no server process working on (db/postgres/statement-limit.ts), and its sessions are
// read-only.
//
// Started by db/budget/pool.ts with `node --conditions=react-server --import tsx`.
import { sql } from "drizzle-orm";
import { ConfigError, queryBudgetMs } from "../../lib/env";
import { warmCaseStore } from "../aggregate/store";
import { postgresPoolOf, type Engine } from "../engine";
import { closeEngine, openEngine } from "../open";
import { isPostgresUrl, redactUrl } from "../postgres/open";
import { readerSessions } from "../postgres/statement-limit";
import { toWire, type FromReader, type ToReader } from "./protocol";
import { READS, STREAMS, type Cursor } from "./reads";

type AnyRead = (e: Engine, ...args: unknown[]) => unknown;
type AnyStream = (e: Engine, ...args: unknown[]) => Cursor | Promise<Cursor>;

export async function serveReads(reads: Record<string, AnyRead>, streams: Record<string, AnyStream>): Promise<void> {
  const send = (message: FromReader) => process.send!(message);
  let e: Engine;
  try {
    e = openEngine(process.env.DATABASE_URL, { readonly: true, server: true, poolSize: 2 });
    const pool = postgresPoolOf(e);
    if (pool) readerSessions(pool, queryBudgetMs());
    // a database that cannot be reached says so now, not at the first read
    await e.get(sql`select 1`);
  } catch (error) {
    send({ t: "fatal", error: toWire(cannotOpen(error)) });
    process.disconnect();
    return;
  }
  // connected: the server stops waiting for a start that failed; the store's load that follows
  // may take long on a busy machine (a million rows), and is not cut short by the start timeout
  send({ t: "started" });
  try {
    // the aggregate store is loaded before the reader says it is ready, so that the first
    // dashboard read does not wait for the load (a failure here shows again on that read)
    await warmCaseStore(e);
  } catch {
    // the read that needs the store reports it
  }
  const open = new Map<number, Cursor>();
  const handle = async (message: ToReader) => {
    try {
      if (message.t === "run") {
        const read = reads[message.name];
        if (!read) throw new Error(`No read named "${message.name}".`);
        send({ t: "done", id: message.id, value: await read(e, ...message.args) });
      } else if (message.t === "open") {
        const stream = streams[message.name];
        if (!stream) throw new Error(`No stream named "${message.name}".`);
        open.set(message.id, await stream(e, ...message.args));
        send({ t: "rows", id: message.id, keys: [], json: "[]", done: false });
      } else if (message.t === "pull") {
        const cursor = open.get(message.id);
        if (!cursor) throw new Error(`No open stream ${message.id}.`);
        const rows: unknown[] = [];
        let done = false;
        while (rows.length < message.rows) {
          const next = await cursor.rows.next();
          if (next.done) {
            done = true;
            break;
          }
          rows.push(next.value);
        }
        if (done) {
          open.delete(message.id);
          await cursor.close();
        }
        // rows of one shape cross as one JSON text of value arrays: a third of the cost of
        // cloning each row object
        const keys = rows.length ? Object.keys(rows[0] as object) : [];
        const values = rows.map((r) => keys.map((k) => (r as Record<string, unknown>)[k]));
        send({ t: "rows", id: message.id, keys, json: JSON.stringify(values), done });
      } else if (message.t === "close") {
        const cursor = open.get(message.id);
        open.delete(message.id);
        await cursor?.close();
      }
    } catch (error) {
      if (message.t !== "close") send({ t: "fail", id: message.id, error: toWire(error) });
    }
  };
  // one message at a time, in the order they came
  let tail = Promise.resolve();
  process.on("message", (message: ToReader) => {
    tail = tail.then(() => handle(message));
  });
  // the server process is gone (or let this reader go): nothing is left to answer
  process.on("disconnect", () => {
    void (async () => {
      for (const cursor of open.values()) await Promise.resolve(cursor.close()).catch(() => {});
      await closeEngine(e).catch(() => {});
      process.exit(0);
    })();
  });
  send({ t: "ready" });
}

/** A database that cannot be reached is a configuration fault (503 unavailable), said in one sentence. */
function cannotOpen(error: unknown): unknown {
  const url = process.env.DATABASE_URL ?? "";
  if (error instanceof ConfigError || !isPostgresUrl(url)) return error;
  const cause = (error as { cause?: { message?: string } }).cause;
  const reason = (cause?.message ?? (error as Error).message ?? String(error)).replace(/\.$/, "");
  return new ConfigError(`Cannot connect to the PostgreSQL database ${redactUrl(url)}: ${reason}.`);
}

if (process.argv[1] && /db[\\/]budget[\\/]worker\.ts$/.test(process.argv[1])) {
  void serveReads(READS as unknown as Record<string, AnyRead>, STREAMS as unknown as Record<string, AnyStream>);
}
