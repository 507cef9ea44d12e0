import { changeCounter } from "./sqlite/engine";
import type { Db } from "./sqlite/open";

// Answers kept until the database changes: every reader of the same question gets the same
// answer until something is committed, so answers are kept per connection and per kind,
// keyed by the question, and thrown away the moment the database changes (the engine's
// change counter, db/sqlite/engine.ts: another connection's commit or this one's write).
// Never inside a transaction (it may roll back). Least recently used answers go first once a kind holds `limit` of them.

type Store = { version: string; answers: Map<string, unknown> };
type PerConnection = { stores: Map<string, Store> };
const perConnection = new WeakMap<object, PerConnection>();

function connection(db: Db): PerConnection {
  let found = perConnection.get(db.$client);
  if (!found) {
    found = { stores: new Map() };
    perConnection.set(db.$client, found);
  }
  return found;
}

/** The kept answer of `kind`/`key` on this connection while the data is unchanged, else `compute()`'s (then kept). */
export function keptAnswer<T>(db: Db, kind: string, limit: number, key: string, compute: () => T): T {
  if (db.$client.inTransaction) return compute();
  const conn = connection(db);
  let store = conn.stores.get(kind);
  if (!store) conn.stores.set(kind, (store = { version: "", answers: new Map() }));
  const version = changeCounter(db.$client);
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
  const answer = compute();
  store.answers.set(key, answer);
  if (store.answers.size > limit) store.answers.delete(store.answers.keys().next().value!);
  return answer;
}

/** Forgets this connection's kept answers of `kind` (the bench measures the work itself with it). */
export function forgetKept(db: Db, kind: string): void {
  perConnection.get(db.$client)?.stores.get(kind)?.answers.clear();
}
