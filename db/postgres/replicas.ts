import type { SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { withReplicas } from "drizzle-orm/pg-core";
import pg from "pg";
import { ConfigError } from "../../lib/env";
import { postgresEngine, type Engine, type RunResult } from "../engine";
import { CONNECT_TIMEOUT_MS, Routing, unwrapped } from "../replicas";
import type { Db } from "../sqlite/open";
import { isPostgresUrl, redactUrl, type PgDb } from "./open";
import * as schema from "./schema";

// The replicated engine's PostgreSQL side: a pool per server, drizzle over the primary's pool
// for writes, and over a read router for reads, joined by drizzle's `withReplicas`. Where each
// query goes (and why) is db/replicas.ts.

function pool(url: string, max: number): pg.Pool {
  if (!isPostgresUrl(url)) throw new ConfigError(`"${redactUrl(url)}" is not a PostgreSQL URL: use postgres://user@host:5432/database.`);
  const p = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // a connection that the server drops must not crash the process, idle in the pool or in a
  // transaction's hands (between two statements): the next query on it says so
  p.on("error", () => {});
  p.on("connect", (client) => client.on("error", () => {}));
  return p;
}

type QueryConfig = { text: string; name?: string; rowMode?: string; types?: unknown };

/** What drizzle's node-postgres session sees as its client for reads: each query goes where the routing says. */
class ReadRouter {
  constructor(private readonly routing: Routing<pg.Pool>) {}

  query(config: QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    return this.routing.read((p) => p.query(config as pg.QueryConfig, values));
  }
}

class ReplicatedEngine implements Engine {
  readonly dialect = "postgres" as const;
  readonly inTransaction = false;
  readonly db: Db;
  private readonly routing: Routing<pg.Pool>;
  private readonly primaryEngine: Engine;
  private readonly readDb: PgDb;

  constructor(primaryUrl: string, readUrls: readonly string[], poolSize: number) {
    this.routing = new Routing(
      { url: primaryUrl, client: pool(primaryUrl, poolSize), replica: false, downUntil: 0 },
      readUrls.map((url) => ({ url, client: pool(url, poolSize), replica: true, downUntil: 0 })),
    );
    const primaryDb = drizzle(this.routing.primary.client, { schema }) as PgDb;
    this.primaryEngine = postgresEngine(primaryDb);
    this.readDb = drizzle({ client: new ReadRouter(this.routing) as unknown as pg.Pool, schema }) as unknown as PgDb;
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
    return this.routing.write(() => this.primaryEngine.run(query));
  }

  transaction<T>(work: (tx: Engine) => Promise<T>): Promise<T> {
    // the transaction's `tx` is a plain engine over one primary connection: all inside it is the primary's
    return this.routing.write(() => this.primaryEngine.transaction(work));
  }

  async close(): Promise<void> {
    await Promise.all([this.routing.primary, ...this.routing.replicas].map((s) => s.client.end()));
  }
}

/**
 * The engine over a PostgreSQL primary and its read replicas (DATABASE_READ_URLS): reads on
 * the replicas, writes and a writer's own next reads on the primary (db/replicas.ts).
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
