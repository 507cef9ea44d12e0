import { sql } from "drizzle-orm";
import { postgresPoolOf, sqliteConnectionOf, type Engine } from "./engine";
import { postgresChangeCounter } from "./postgres/change-counter";
import { changeCounter as sqliteChangeCounter } from "./sqlite/engine";

// Answers kept until the database changes: every reader of the same question gets the same
// answer until something is committed, so answers are kept per connection (SQLite) or pool
// (PostgreSQL) and per kind, keyed by the question, and thrown away the moment the database
// changes (the engine's change counter: on SQLite another connection's commit or this one's
// write, db/sqlite/engine.ts; on PostgreSQL any server's commit to the cases, their links or
// the reference data, db/postgres/change-counter.ts — so several app servers on one database
// agree at each one's next read). Never inside a transaction (it may roll back). Least
// recently used answers go first once a kind holds `limit` of them.

type Store = { version: string; answers: Map<string, unknown> };
type PerConnection = { stores: Map<string, Store> };
const perConnection = new WeakMap<object, PerConnection>();

const sqlOne = sql`select 1`;

/** A value that moves whenever data whose answers are kept may have changed (compare it between reads). */
export async function changeCounter(e: Engine): Promise<string> {
  const sqlite = sqliteConnectionOf(e);
  if (sqlite) {
    // outside a transaction, wait while another request's transaction holds the connection
    if (!e.inTransaction) await e.get(sqlOne);
    return sqliteChangeCounter(sqlite);
  }
  return postgresChangeCounter(e);
}
/** What answers are kept under: the SQLite connection or the PostgreSQL pool; null inside a transaction. */
function keyOf(e: Engine): object | null {
  if (e.inTransaction) return null;
  const sqlite = sqliteConnectionOf(e);
  if (sqlite) return sqlite.inTransaction ? null : sqlite;
  return postgresPoolOf(e);
}

function connection(key: object): PerConnection {
  let found = perConnection.get(key);
  if (!found) {
    found = { stores: new Map() };
    perConnection.set(key, found);
  }
  return found;
}

/** The kept answer of `kind`/`key` on this connection while the data is unchanged, else `compute()`'s (then kept). */
export async function keptAnswer<T>(e: Engine, kind: string, limit: number, key: string, compute: () => T | Promise<T>): Promise<T> {
  const at = keyOf(e);
  if (!at) return compute();
  const version = await changeCounter(e);
  // a transaction of another request may have begun on the connection meanwhile (SQLite)
  if (!keyOf(e)) return compute();
  const conn = connection(at);
  let store = conn.stores.get(kind);
  if (!store) conn.stores.set(kind, (store = { version: "", answers: new Map() }));
  if (version !== store.version) {
    store.answers.clear();
    store.version = version;
  }
  if (store.answers.has(key)) {
    const found = store.answers.get(key) as T;
    // most recently used last
    store.answers.delete(key);
    store.answers.set(key, found);
    return found;
  }
  const answer = await compute();
  // kept only under the version it was asked at (a newer one has cleared the kind meanwhile)
  if (store.version === version && conn.stores.get(kind) === store) {
    store.answers.set(key, answer);
    if (store.answers.size > limit) store.answers.delete(store.answers.keys().next().value!);
  }
  return answer;
}

/** Forgets this connection's kept answers of `kind` (the bench measures the work itself with it). */
export function forgetKept(e: Engine, kind: string): void {
  const at = sqliteConnectionOf(e) ?? postgresPoolOf(e);
  if (at) perConnection.get(at)?.stores.get(kind)?.answers.clear();
}
