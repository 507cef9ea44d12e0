import { AsyncLocalStorage } from "node:async_hooks";
import type { SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { withReplicas } from "drizzle-orm/pg-core";
import pg from "pg";
import { ConfigError } from "../lib/env";
import { postgresEngine, type Engine, type RunResult } from "./engine";
import { isPostgresUrl, redactUrl, type PgDb } from "./postgres/open";
import * as schema from "./postgres/schema";
import type { Db } from "./sqlite/open";

// Read replicas on PostgreSQL (issue 15, item 4; DATABASE_READ_URLS in lib/env.ts): an Engine
// over a primary and its streaming replicas.
//
// - Reads go to a replica: `e.all`, `e.get` and the builder's selects (`e.db.select()…`, through
//   drizzle's `withReplicas`) outside a transaction. Replicas are taken in turn.
// - Writes go to the primary: `e.run`, `e.transaction` and everything inside it (the
//   transaction's `tx` is a plain engine over a primary connection), and the builder's
//   insert/update/delete. A statement a replica refuses as a write (SQLSTATE 25006) is sent to
//   the primary.
// - Read-your-writes. A replica replays the primary's WAL a little later (milliseconds on a
//   LAN, more under load), so a user who has just written is served by the primary for
//   PRIMARY_AFTER_WRITE_MS. We chose a per-reader `primaryUntil` timestamp, kept by this server
//   process, over an LSN handshake (no extra round trip per read, no replica to ask) and over
//   a per-request flag alone (the user's *next* request, after a write's redirect, is another
//   request). The reader is named by the request context `asReader(userId, work)` (an
//   AsyncLocalStorage); the primary serves:
//     1. every read of a request context that has written (the context's `wrote`);
//     2. every read of a reader who wrote in the last PRIMARY_AFTER_WRITE_MS on this server;
//     3. the requests scripts/serve.mjs marks as writes (globalThis.iprWriteFirst: server
//        actions, the API's writes and the page Next renders for an action's redirect);
//     4. outside any reader context (scripts, and requests the app does not name a reader
//        for), every read of this process for PRIMARY_AFTER_WRITE_MS after any write of it
//        that was made outside a reader context: coarse but never stale.
//   The timestamps live in this process: with several servers, a user's next request should
//   reach the server of their write (sticky sessions) for (2) to hold; (1) and (3) hold anywhere.
// - Faults: a replica that does not answer is left aside for DOWN_FOR_MS and its reads go to
//   the next replica, then to the primary. When the primary does not answer, a write fails
//   with PrimaryUnavailableError (lib/db-errors.ts classifies it as the "unavailable" fault: a
//   503 with Retry-After from the API and the forms' fault sentence), while reads — even a
//   recent writer's — are answered by the replicas. Only when no server answers does a read
//   fail (NoDatabaseAnswersError, the same fault).

/** How long a writer's reads go to the primary after their write. */
export const PRIMARY_AFTER_WRITE_MS = 5000;
/** How long a server that did not answer is left aside before reads try it again. */
export const DOWN_FOR_MS = 5000;
/** How long a read or write waits for a connection to a server that does not answer at all. */
export const CONNECT_TIMEOUT_MS = 5000;

/** A write found the primary not answering: nothing can be written until it is back; reads still work. */
export class PrimaryUnavailableError extends Error {
  override name = "PrimaryUnavailableError";
  readonly code = "PRIMARY_UNAVAILABLE";
  /** the fault the API and the forms answer (lib/db-errors.ts classifyDbError) */
  readonly dbFault = "unavailable" as const;
  constructor(
    readonly primary: string,
    cause: unknown,
  ) {
    super(
      `The primary database (${primary}) does not answer, so nothing can be written now (${reasonOf(cause)}); reads are still served by the read replicas. Try the write again once the primary is back.`,
      { cause },
    );
  }
}

/** A read found neither a replica nor the primary answering. */
export class NoDatabaseAnswersError extends Error {
  override name = "NoDatabaseAnswersError";
  readonly code = "NO_DATABASE_ANSWERS";
  readonly dbFault = "unavailable" as const;
  constructor(servers: string[], cause: unknown) {
    super(`No database server answers: neither the read replicas nor the primary (${servers.join(", ")}; ${reasonOf(cause)}).`, { cause });
  }
}

function reasonOf(error: unknown): string {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && typeof message === "string" && message) return `${code}: ${message}`;
    if (!(e as { cause?: unknown }).cause && typeof message === "string" && message) return message;
  }
  return String(error);
}

const CONNECTION_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"]);
/** SQLSTATE: admin_shutdown, crash_shutdown, cannot_connect_now (starting or stopping), and class 08 (connection exception) */
const CONNECTION_STATES = /^(08...|57P0[123])$/;
const CONNECTION_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed/i;

/** Whether an error means the server did not answer (as opposed to an answer that refuses the query). */
export function isConnectionError(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (CONNECTION_ERRNOS.has(code) || CONNECTION_STATES.test(code))) return true;
    if (typeof message === "string" && CONNECTION_MESSAGES.test(message)) return true;
  }
  return false;
}

/** A write sent to a replica: "cannot execute … in a read-only transaction". */
function isReadOnlyRefusal(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "25006") return true;
  }
  return false;
}

/**
 * drizzle wraps what the read router throws in a "Failed query: …" error; our own errors say
 * more, so raw reads throw them as they are (a builder select keeps drizzle's wrapper, with
 * ours as its `cause`, which lib/db-errors.ts follows).
 */
async function unwrapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    throw cause instanceof PrimaryUnavailableError || cause instanceof NoDatabaseAnswersError ? cause : error;
  }
}

// ---- the request context ----------------------------------------------------------------

type ReaderContext = { reader: string | undefined; wrote: boolean };
const readerContext = new AsyncLocalStorage<ReaderContext>();

/**
 * Runs `work` as one request of `reader` (a user's or session's id; null for nobody signed in):
 * its reads after its own write, and the reader's reads for PRIMARY_AFTER_WRITE_MS after, go to
 * the primary. Nested calls start a new context.
 */
export function asReader<T>(reader: string | null | undefined, work: () => T): T {
  return readerContext.run({ reader: reader ?? undefined, wrote: false }, work);
}

/** Whether scripts/serve.mjs runs the code now for a write (see db/budget/pool.ts writeFirst). */
function servingAWrite(): boolean {
  const store = (globalThis as { iprWriteFirst?: { getStore(): unknown } }).iprWriteFirst;
  return store?.getStore() === true;
}

/** The key of reads outside any reader context (scripts; requests without a named reader). */
const NOBODY = "\u0000process";

// ---- the servers ----------------------------------------------------------------------------

type Server = { url: string; pool: pg.Pool; replica: boolean; downUntil: number };

function pool(url: string, max: number): pg.Pool {
  if (!isPostgresUrl(url)) throw new ConfigError(`"${redactUrl(url)}" is not a PostgreSQL URL: use postgres://user@host:5432/database.`);
  const p = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // an idle connection that the server drops must not crash the process: the next query says so
  p.on("error", () => {});
  return p;
}

type QueryConfig = { text: string; name?: string; rowMode?: string; types?: unknown };

/**
 * What drizzle's node-postgres session sees as its client for reads: each query goes to the
 * first server of the engine's read order that answers.
 */
class ReadRouter {
  constructor(private readonly engine: ReplicatedEngine) {}

  query(config: QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    return this.engine.read((p) => p.query(config as pg.QueryConfig, values));
  }
}

class ReplicatedEngine implements Engine {
  readonly dialect = "postgres" as const;
  readonly inTransaction = false;
  readonly db: Db;
  private readonly primary: Server;
  private readonly replicas: Server[];
  private readonly primaryEngine: Engine;
  private readonly readDb: PgDb;
  private readonly primaryUntil = new Map<string, number>();
  private turn = 0;

  constructor(primaryUrl: string, readUrls: readonly string[], poolSize: number) {
    this.primary = { url: primaryUrl, pool: pool(primaryUrl, poolSize), replica: false, downUntil: 0 };
    this.replicas = readUrls.map((url) => ({ url, pool: pool(url, poolSize), replica: true, downUntil: 0 }));
    const primaryDb = drizzle(this.primary.pool, { schema }) as PgDb;
    this.primaryEngine = postgresEngine(primaryDb);
    this.readDb = drizzle({ client: new ReadRouter(this) as unknown as pg.Pool, schema }) as unknown as PgDb;
    // selects (and the relational `query`) through the read router; insert/update/delete/execute/transaction on the primary
    this.db = withReplicas(primaryDb, [this.readDb], () => this.readDb) as unknown as Db;
  }

  get t() {
    return this.primaryEngine.t;
  }

  get say() {
    return this.primaryEngine.say;
  }

  async all<T>(query: SQL): Promise<T[]> {
    return (await unwrapped(this.readDb.execute(query))).rows as T[];
  }

  async get<T>(query: SQL): Promise<T | undefined> {
    return (await unwrapped(this.readDb.execute(query))).rows[0] as T | undefined;
  }

  run(query: SQL): Promise<RunResult> {
    return this.write(() => this.primaryEngine.run(query));
  }

  transaction<T>(work: (tx: Engine) => Promise<T>): Promise<T> {
    return this.write(() => this.primaryEngine.transaction(work));
  }

  /** Runs a write on the primary; a primary that does not answer is a PrimaryUnavailableError. */
  private async write<T>(work: () => Promise<T>): Promise<T> {
    this.noteWrite();
    try {
      const result = await work();
      this.primary.downUntil = 0;
      return result;
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      this.primary.downUntil = Date.now() + DOWN_FOR_MS;
      throw new PrimaryUnavailableError(redactUrl(this.primary.url), error);
    }
  }

  /** The reader's (or, outside a context, this process's) next reads go to the primary. */
  private noteWrite(): void {
    const context = readerContext.getStore();
    if (context) context.wrote = true;
    const now = Date.now();
    if (this.primaryUntil.size > 10_000) {
      for (const [key, until] of this.primaryUntil) if (until <= now) this.primaryUntil.delete(key);
    }
    // a context without a reader (nobody signed in) has only its own `wrote`
    const key = context ? context.reader : NOBODY;
    if (key !== undefined) this.primaryUntil.set(key, now + PRIMARY_AFTER_WRITE_MS);
  }

  /** Whether the read running now must see this reader's own writes. */
  private readsOwnWrites(): boolean {
    const context = readerContext.getStore();
    if (context?.wrote || servingAWrite()) return true;
    const key = context ? context.reader : NOBODY;
    return key !== undefined && (this.primaryUntil.get(key) ?? 0) > Date.now();
  }

  /** The servers a read tries, in order: those that answered lately first, the others last. */
  private readOrder(): Server[] {
    const now = Date.now();
    const n = this.replicas.length;
    const start = this.turn++ % n;
    const replicas = this.replicas.map((_, i) => this.replicas[(start + i) % n]!);
    const servers = this.readsOwnWrites() ? [this.primary, ...replicas] : [...replicas, this.primary];
    return [...servers.filter((s) => s.downUntil <= now), ...servers.filter((s) => s.downUntil > now)];
  }

  /** Runs one read on the first server that answers. */
  async read<R>(query: (pool: pg.Pool) => Promise<R>): Promise<R> {
    let last: unknown = null;
    for (const server of this.readOrder()) {
      try {
        const result = await query(server.pool);
        server.downUntil = 0;
        return result;
      } catch (error) {
        // a statement that writes (say, a CTE that inserts) belongs to the primary
        if (server.replica && isReadOnlyRefusal(error)) {
          return this.write(() => query(this.primary.pool));
        }
        if (!isConnectionError(error)) throw error;
        server.downUntil = Date.now() + DOWN_FOR_MS;
        last = error;
      }
    }
    throw new NoDatabaseAnswersError([this.primary, ...this.replicas].map((s) => redactUrl(s.url)), last);
  }

  async close(): Promise<void> {
    await Promise.all([this.primary, ...this.replicas].map((s) => s.pool.end()));
  }
}

/**
 * The engine over a PostgreSQL primary and its read replicas (DATABASE_READ_URLS): reads on
 * the replicas, writes and a writer's own next reads on the primary (see above).
 */
export function replicatedEngine(primaryUrl: string, readUrls: readonly string[], options: { poolSize?: number } = {}): Engine {
  if (!readUrls.length) throw new ConfigError("A replicated engine needs at least one read replica URL (DATABASE_READ_URLS).");
  return new ReplicatedEngine(primaryUrl, readUrls, options.poolSize ?? 4);
}

/** Closes a replicated engine's pools (the primary's and every replica's); false for any other engine. */
export async function closeReplicated(e: Engine): Promise<boolean> {
  if (!(e instanceof ReplicatedEngine)) return false;
  await e.close();
  return true;
}
