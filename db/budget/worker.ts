// A reader process: one read-only SQLite connection that runs the named reads of
// db/budget/reads.ts for its server process, one at a time. The server kills it when a read
// outlives its budget (better-sqlite3 cannot interrupt a statement, and a worker thread
// cannot be stopped inside one) and starts another.
//
// Started by db/budget/pool.ts with `node --conditions=react-server --import tsx`.
import { databasePath } from "../../lib/env";
import { warmCaseStore } from "../aggregate/store";
import { sqliteEngine } from "../engine";
import { drizzleOf, openSqlite, withServerCache, type Db } from "../sqlite/open";
import { toWire, type FromReader, type ToReader } from "./protocol";
import { READS, STREAMS } from "./reads";

type AnyRead = (db: Db, ...args: unknown[]) => unknown;
type AnyStream = (...args: unknown[]) => Promise<{ rows: AsyncIterator<unknown>; close: () => void }>;

export function serveReads(reads: Record<string, AnyRead>, streams: Record<string, AnyStream>): void {
  const send = (message: FromReader) => process.send!(message);
  let db: Db;
  try {
    db = drizzleOf(withServerCache(openSqlite(databasePath(), { readonly: true })));
  } catch (error) {
    send({ t: "fatal", error: toWire(error) });
    process.disconnect();
    return;
  }
  try {
    // the aggregate store is loaded before the reader says it is ready, so that the first
    // dashboard read does not wait for the load (a failure here shows again on that read)
    warmCaseStore(db);
  } catch {
    // the read that needs the store reports it
  }
  const open = new Map<number, { rows: AsyncIterator<unknown>; close: () => void }>();
  process.on("message", async (message: ToReader) => {
    try {
      if (message.t === "run") {
        const read = reads[message.name];
        if (!read) throw new Error(`No read named "${message.name}".`);
        send({ t: "done", id: message.id, value: await read(db, ...message.args) });
      } else if (message.t === "open") {
        const stream = streams[message.name];
        if (!stream) throw new Error(`No stream named "${message.name}".`);
        open.set(message.id, await stream(sqliteEngine(db), ...message.args));
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
          cursor.close();
          open.delete(message.id);
        }
        // rows of one shape cross as one JSON text of value arrays: a third of the cost of
        // cloning each row object
        const keys = rows.length ? Object.keys(rows[0] as object) : [];
        const values = rows.map((r) => keys.map((k) => (r as Record<string, unknown>)[k]));
        send({ t: "rows", id: message.id, keys, json: JSON.stringify(values), done });
      } else if (message.t === "close") {
        open.get(message.id)?.close();
        open.delete(message.id);
      }
    } catch (error) {
      if (message.t !== "close") send({ t: "fail", id: message.id, error: toWire(error) });
    }
  });
  // the server process is gone (or let this reader go): nothing is left to answer
  process.on("disconnect", () => {
    for (const cursor of open.values()) cursor.close();
    db.$client.close();
    process.exit(0);
  });
  send({ t: "ready" });
}

if (process.argv[1] && /db[\\/]budget[\\/]worker\.ts$/.test(process.argv[1])) {
  serveReads(READS as unknown as Record<string, AnyRead>, STREAMS as unknown as Record<string, AnyStream>);
}
