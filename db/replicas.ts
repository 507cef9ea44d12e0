import { AsyncLocalStorage } from "node:async_hooks";
import { redactUrl } from "./postgres/open";

// Read replicas on PostgreSQL (issue 15, item 4; DATABASE_READ_URLS in lib/env.ts): an Engine
// over a primary and its streaming replicas (db/postgres/replicas.ts: the pools and drizzle;
// here: where each query goes, the request context, and the faults).
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
//   Name the reader at every entry point or at none: a write in a reader's context does not pin
//   the context-less reads of (4). Today the app names none, so (3) and (4) apply.
// - The builder's insert/update/delete outside a transaction go to the primary (withReplicas)
//   but do not pin reads nor turn a dead primary into PrimaryUnavailableError: writes belong
//   in `e.transaction`.
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
    if (typeof code === "string" && typeof message === "string" && message) return message.includes(code) ? message : `${code}: ${message}`;
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
export async function unwrapped<T>(work: Promise<T>): Promise<T> {
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

// ---- where each query goes ------------------------------------------------------------------

/** One database server: the primary or a replica, with its client (a pool). */
export type Server<C> = { url: string; client: C; replica: boolean; downUntil: number };

/** The routing of one replicated engine: its servers, and its writers' `primaryUntil`. */
export class Routing<C> {
  private readonly primaryUntil = new Map<string, number>();
  private turn = 0;

  constructor(
    readonly primary: Server<C>,
    readonly replicas: readonly Server<C>[],
  ) {
    if (!replicas.length) throw new Error("Read routing needs at least one replica.");
  }

  /** Runs a write on the primary; a primary that does not answer is a PrimaryUnavailableError. */
  async write<T>(work: (client: C) => Promise<T>): Promise<T> {
    this.noteWrite();
    try {
      const result = await work(this.primary.client);
      this.primary.downUntil = 0;
      return result;
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      this.primary.downUntil = Date.now() + DOWN_FOR_MS;
      throw new PrimaryUnavailableError(redactUrl(this.primary.url), error);
    }
  }

  /** Runs one read on the first server of the read order that answers. */
  async read<R>(query: (client: C) => Promise<R>): Promise<R> {
    let last: unknown = null;
    for (const server of this.readOrder()) {
      try {
        const result = await query(server.client);
        server.downUntil = 0;
        return result;
      } catch (error) {
        // a statement that writes (say, a CTE that inserts) belongs to the primary
        if (server.replica && isReadOnlyRefusal(error)) return this.write(query);
        if (!isConnectionError(error)) throw error;
        server.downUntil = Date.now() + DOWN_FOR_MS;
        last = error;
      }
    }
    throw new NoDatabaseAnswersError([this.primary, ...this.replicas].map((s) => redactUrl(s.url)), last);
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

  /** The servers a read tries, in order (replicas in turn): those not left aside first, the others last. */
  private readOrder(): Server<C>[] {
    const now = Date.now();
    const n = this.replicas.length;
    const start = this.turn++ % n;
    const replicas = this.replicas.map((_, i) => this.replicas[(start + i) % n]!);
    const servers = this.readsOwnWrites() ? [this.primary, ...replicas] : [...replicas, this.primary];
    return [...servers.filter((s) => s.downUntil <= now), ...servers.filter((s) => s.downUntil > now)];
  }
}
