import { AsyncLocalStorage } from "node:async_hooks";
import { is, SQL, sql } from "drizzle-orm";
import type { PgDb } from "./postgres/open";
import * as pgSchema from "./postgres/schema";
import type { Connection, Db } from "./sqlite/open";
import * as sqliteSchema from "./sqlite/schema";
import { sqliteSays } from "./sqlite/engine";

// THE engine interface: every function of db/ that reads or writes takes an Engine and is
// async, and runs unchanged on SQLite (better-sqlite3, the embedded default) and PostgreSQL
// (node-postgres). What the two engines say differently is said once, in `Engine.say`.
//
// - `e.t` holds the engine's own tables (db/sqlite/schema.ts or db/postgres/schema.ts: the
//   same tables, column for column and name for name, tests/integration/postgres-schema.test.ts).
//   Both are typed as SQLite's, so one query text type-checks for both; at run time each
//   engine's drizzle renders its own SQL and maps its own column types.
// - `e.db` is drizzle's query builder over the engine (typed as SQLite's, like `e.t`). Its
//   queries are always awaited (`await e.db.select()…`); never `.all()`/`.get()`/`.run()`,
//   which PostgreSQL's drizzle does not have. `first(query)` gives one row or undefined.
// - `e.all/get/run` run a `sql` text. Raw SQL quotes every camel-case alias (`as "caseId"`):
//   PostgreSQL folds unquoted names to lower case.
// - `e.transaction(work)` runs `work(tx)` as one write transaction. On SQLite it takes the
//   write lock at its start (BEGIN IMMEDIATE) and, since better-sqlite3 is synchronous but
//   `work` awaits, every other statement of this process on the same connection waits until
//   the transaction ends (nothing of another request can run inside it). Nested: a savepoint.

export type Dialect = "sqlite" | "postgres";
export type Tables = typeof sqliteSchema;

export type RunResult = { changes: number };

export interface Engine {
  readonly dialect: Dialect;
  readonly t: Tables;
  readonly db: Db;
  all<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  get<T = Record<string, unknown>>(query: SQL): Promise<T | undefined>;
  run(query: SQL): Promise<RunResult>;
  transaction<T>(work: (tx: Engine) => Promise<T>): Promise<T>;
  /** whether this engine object is inside a transaction */
  readonly inTransaction: boolean;
  /** the words the engines say differently */
  readonly say: Dialectal;
}

/** One row of a builder query (or undefined): `first(e.db.select()…where(…))`. */
export async function first<T>(query: PromiseLike<T[]> & { limit?: (n: number) => PromiseLike<T[]> }): Promise<T | undefined> {
  const rows = await (query.limit ? query.limit(1) : query);
  return rows[0];
}

// ---- what the engines say differently ---------------------------------------------------------

export type Dialectal = {
  /** a predicate that is never true */
  never: SQL;
  /** a JSON array of objects, aggregated: `jsonArrayOf({ id: sql\`h.id\` }, order?)` → string (SQLite) or value (PostgreSQL); read it with parseJson */
  jsonArrayOf(fields: Record<string, SQL>, orderBy?: SQL): SQL;
  /** `column in (list)` for a list of any length, bound as one parameter */
  inList(column: SQL, values: readonly (number | string)[]): SQL;
  /** a case-insensitive LIKE */
  ilike(column: SQL, pattern: string): SQL;
  /** a boolean literal */
  bool(value: boolean): SQL;
  /** after a select in a write transaction: the rows read stay locked until it ends */
  forUpdate: SQL;
};

/** A JSON value as read from either engine (SQLite gives text, PostgreSQL the parsed value). */
export function parseJson<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

const postgresSays: Dialectal = {
  never: sql`false`,
  jsonArrayOf(fields, orderBy) {
    const pairs = sql.join(Object.entries(fields).map(([k, v]) => sql`'${sql.raw(k)}', ${v}`), sql`, `);
    const order = orderBy ? sql` order by ${orderBy}` : sql``;
    return sql`coalesce(json_agg(json_build_object(${pairs})${order}), '[]'::json)`;
  },
  inList(column, values) {
    if (!values.length) return sql`false`;
    const numeric = values.every((v) => typeof v === "number");
    return numeric
      ? sql`${column} = any(${`{${values.join(",")}}`}::bigint[])`
      : sql`${column} = any(${`{${values.map((v) => `"${String(v).replace(/["\\]/g, "\\$&")}"`).join(",")}}`}::text[])`;
  },
  ilike(column, pattern) {
    return sql`${column} ilike ${pattern}`;
  },
  bool(value) {
    return value ? sql`true` : sql`false`;
  },
  forUpdate: sql` for update`,
};

// ---- SQLite ---------------------------------------------------------------------------------

/** What one SQLite connection's transactions share: who is inside, and who waits. */
type SqliteLock = { held: boolean; queue: (() => void)[]; scope: AsyncLocalStorage<number> };
const sqliteLocks = new WeakMap<Connection, SqliteLock>();

class SqliteEngine implements Engine {
  readonly dialect = "sqlite" as const;
  readonly t = sqliteSchema;
  readonly say = sqliteSays;
  private readonly lock: SqliteLock;

  /** drizzle's builder over the connection, its queries waiting their turn like `all/get/run` */
  readonly db: Db;

  constructor(
    private readonly raw: Db,
    private readonly depth = 0,
  ) {
    let lock = sqliteLocks.get(raw.$client);
    if (!lock) sqliteLocks.set(raw.$client, (lock = { held: false, queue: [], scope: new AsyncLocalStorage<number>() }));
    this.lock = lock;
    this.db = waitingTurn(raw, () => this.turn());
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  /** Waits while another request's transaction holds this connection. */
  private async turn(): Promise<void> {
    while (this.lock.held && this.lock.scope.getStore() === undefined) {
      await new Promise<void>((resolve) => this.lock.queue.push(resolve));
    }
  }

  async all<T>(query: SQL): Promise<T[]> {
    await this.turn();
    return this.raw.all(query) as T[];
  }

  async get<T>(query: SQL): Promise<T | undefined> {
    await this.turn();
    return this.raw.get(query) as T | undefined;
  }

  async run(query: SQL): Promise<RunResult> {
    await this.turn();
    return { changes: this.raw.run(query).changes };
  }

  async transaction<T>(work: (tx: Engine) => Promise<T>): Promise<T> {
    const client = this.raw.$client;
    if (this.lock.scope.getStore() !== undefined) {
      // nested inside this request's own transaction: a savepoint
      const name = `sp${this.depth + 1}`;
      client.exec(`savepoint ${name}`);
      try {
        const result = await work(new SqliteEngine(this.raw, this.depth + 1));
        client.exec(`release ${name}`);
        return result;
      } catch (error) {
        client.exec(`rollback to ${name}`);
        client.exec(`release ${name}`);
        throw error;
      }
    }
    // wait for the lock and take it in the same synchronous step: no await may come between the
    // last check and the taking, or two transactions asked for in the same tick both take it
    // (the second then fails: "cannot start a transaction within a transaction")
    while (this.lock.held) await new Promise<void>((resolve) => this.lock.queue.push(resolve));
    this.lock.held = true;
    try {
      return await this.lock.scope.run(1, async () => {
        client.exec("begin immediate");
        try {
          const result = await work(new SqliteEngine(this.raw, 1));
          client.exec("commit");
          return result;
        } catch (error) {
          if (client.inTransaction) client.exec("rollback");
          throw error;
        }
      });
    } finally {
      this.lock.held = false;
      for (const wake of this.lock.queue.splice(0)) wake();
    }
  }
}

/**
 * drizzle's builder over a SQLite connection whose queries, when awaited, first wait for
 * `turn` (another request's open transaction to end): a builder chain is wrapped link by
 * link, and a link's `then` (what `await` calls, and what runs the query) waits first. SQL
 * fragments and arrays pass through unwrapped; methods run on the real objects.
 */
function waitingTurn<T extends object>(target: T, turn: () => Promise<void>): T {
  const proxy: T = new Proxy(target, {
    get(obj, prop) {
      const value = Reflect.get(obj, prop, obj) as unknown;
      if (typeof value !== "function" || prop === "constructor") return prop === "query" && value && typeof value === "object" ? waitingTurn(value, turn) : value;
      if (prop === "then") {
        return (onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) =>
          turn().then(() => (value as (a?: unknown, b?: unknown) => unknown).call(obj, onFulfilled, onRejected), onRejected);
      }
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(obj, args);
        if (result === obj) return proxy;
        if (result && typeof result === "object" && !Array.isArray(result) && !is(result, SQL) && !(result instanceof Promise)) return waitingTurn(result, turn);
        return result;
      };
    },
  });
  return proxy;
}

/** The engine over a SQLite connection (drizzle over better-sqlite3). */
export function sqliteEngine(db: Db): Engine {
  return new SqliteEngine(db);
}

// ---- PostgreSQL -----------------------------------------------------------------------------

type PgRunner = { execute(query: SQL): Promise<{ rows: unknown[]; rowCount: number | null }> };
type PgTx = PgRunner & { transaction<T>(work: (tx: PgTx) => Promise<T>): Promise<T> };

class PostgresEngine implements Engine {
  readonly dialect = "postgres" as const;
  readonly t = pgSchema as unknown as Tables;
  readonly say = postgresSays;

  constructor(
    private readonly runner: PgTx,
    readonly inTransaction: boolean,
  ) {}

  get db(): Db {
    return this.runner as unknown as Db;
  }

  async all<T>(query: SQL): Promise<T[]> {
    return (await this.runner.execute(query)).rows as T[];
  }

  async get<T>(query: SQL): Promise<T | undefined> {
    return (await this.runner.execute(query)).rows[0] as T | undefined;
  }

  async run(query: SQL): Promise<RunResult> {
    return { changes: (await this.runner.execute(query)).rowCount ?? 0 };
  }

  transaction<T>(work: (tx: Engine) => Promise<T>): Promise<T> {
    // drizzle nests a savepoint when `runner` is already a transaction
    return this.runner.transaction((tx) => work(new PostgresEngine(tx, true)));
  }
}

/** The engine over a PostgreSQL pool (drizzle over node-postgres). */
export function postgresEngine(db: PgDb): Engine {
  return new PostgresEngine(db as unknown as PgTx, false);
}

/** The raw connection of a SQLite engine, for SQLite-only tools (backup, the seed's bulk path); null on PostgreSQL. */
export function sqliteConnectionOf(e: Engine): Connection | null {
  return e.dialect === "sqlite" ? e.db.$client : null;
}

/** The pool of a PostgreSQL engine, for PostgreSQL-only tools (COPY); null on SQLite. */
export function postgresPoolOf(e: Engine): PgDb["$client"] | null {
  return e.dialect === "postgres" ? (e.db as unknown as PgDb).$client : null;
}
