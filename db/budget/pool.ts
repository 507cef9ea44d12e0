import { fork, type ChildProcess } from "node:child_process";
import os from "node:os";
import Database from "better-sqlite3";
import { ConfigError } from "../../lib/env";
import { QueryTimeoutError } from "../../lib/query-budget";
import type { FromReader, ToReader, WireError } from "./protocol";

// Reader processes with a time budget per read. better-sqlite3 cannot interrupt a statement
// and a worker thread cannot be stopped inside one, so the heavy reads run in child
// processes, each with its own read-only connection: a read that outlives its budget is
// answered with a QueryTimeoutError at once and its process is killed — which truly stops
// the work — and replaced. The server's own event loop never runs a heavy read.

export type PoolOptions = {
  /** the reader script (db/budget/worker.ts or a test's own) */
  workerFile: string;
  /** reader processes kept warm */
  size: number;
  /** how long one read may work, and how long it may wait for a free reader */
  budgetMs: number;
  /** how long a reader may take to start (load the code, open the database) */
  startMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
};

/** The same error class on this side as on the reader's: SQLite faults stay SQLite faults. */
export function fromWire(wire: WireError): Error {
  let error: Error;
  if (wire.kind === "sqlite") error = new Database.SqliteError(wire.message, wire.code!);
  else if (wire.kind === "config") error = new ConfigError(wire.message);
  else {
    error = new Error(wire.message);
    error.name = wire.name;
    if (wire.code) (error as { code?: string }).code = wire.code;
  }
  if (wire.stack) error.stack = `${wire.stack}\n    (in a reader process)`;
  return error;
}

/** How much lower (in nice steps) a reader process's CPU priority is than its server's. */
const READER_NICENESS = 5;

class ReaderStopped extends Error {
  override name = "ReaderStopped";
}

/** One reader process and the requests in flight to it. */
class Reader {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  busy = false;
  dead = false;
  started = false;
  private waiting = new Map<number, { resolve: (m: FromReader) => void; reject: (e: Error) => void }>();

  constructor(options: PoolOptions, onExit: (reader: Reader) => void) {
    this.child = fork(options.workerFile, [], {
      execArgv: ["--conditions=react-server", "--import", "tsx"],
      serialization: "advanced",
      cwd: options.cwd ?? process.cwd(),
      // the reader's own statements stop at the same budget (PostgreSQL: statement_timeout)
      env: { ...(options.env ?? process.env), QUERY_BUDGET_MS: String(Math.ceil(options.budgetMs)) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    // readers run at a lower CPU priority than the server process: on busy cores the short
    // work of the server (writes, rendering, the health check) goes first, the long reads after
    if (this.child.pid !== undefined) {
      try {
        os.setPriority(this.child.pid, Math.min(19, os.getPriority(process.pid) + READER_NICENESS));
      } catch {
        // not permitted here: the reader keeps the server's priority
      }
    }
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`A reader process did not start within ${options.startMs ?? 60_000} ms.`));
        this.kill();
      }, options.startMs ?? 60_000);
      this.child.on("message", (message: FromReader) => {
        if (message.t === "started") {
          // connected within the start time: its store's load is not cut short (a reader killed
          // mid-load would be replaced by one that starts the same load over, for ever); reads
          // wait for it within their own queue time
          clearTimeout(timer);
        } else if (message.t === "ready") {
          clearTimeout(timer);
          this.started = true;
          resolve();
        } else if (message.t === "fatal") {
          clearTimeout(timer);
          reject(fromWire(message.error));
        } else {
          const w = this.waiting.get(message.id);
          if (!w) return;
          this.waiting.delete(message.id);
          if (message.t === "fail") w.reject(fromWire(message.error));
          else w.resolve(message);
        }
      });
      this.child.on("exit", (code, signal) => {
        clearTimeout(timer);
        this.dead = true;
        const stopped = new ReaderStopped(`A reader process stopped (${signal ?? `exit code ${code}`}).`);
        reject(stopped);
        for (const w of this.waiting.values()) w.reject(stopped);
        this.waiting.clear();
        onExit(this);
      });
      this.child.on("error", () => this.kill());
    });
    this.ready.catch(() => {}); // observed by whoever waits for it
  }

  /** Sends a request and waits for its answer at most `budgetMs`; past it the process is killed. */
  request(message: ToReader, budgetMs: number, onTimeout: () => Error): Promise<FromReader> {
    return new Promise<FromReader>((resolve, reject) => {
      if (this.dead) return reject(new ReaderStopped("The reader process has stopped."));
      const timer = setTimeout(() => {
        this.waiting.delete(message.id);
        reject(onTimeout());
        this.kill();
      }, budgetMs);
      this.waiting.set(message.id, {
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child.send(message);
    });
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    this.dead = true; // no new request goes to it while its exit is on the way
  }
}

type Job = {
  /** a read made for a write (see writeFirst): it goes ahead of the readers' */
  first?: boolean;
  name: string;
  args: unknown[];
  budgetMs: number;
  /** a hash of the question: the same question goes to the same reader when it is free */
  key: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
};

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h >>> 0;
}

export type Stream<R> = { next: () => Promise<{ rows: R[]; done: boolean }>; close: () => void };

/**
 * Whether the code running now serves a write: scripts/serve.mjs runs server actions, the API's
 * writes and the page Next fetches for an action's redirect inside globalThis.iprWriteFirst (an
 * AsyncLocalStorage) with the value true. Their reads (the new case's page, say) go ahead of the
 * queued page reads, so that readers cannot starve a writer here either (issue 15, item 6).
 */
function writeFirst(): boolean {
  const store = (globalThis as { iprWriteFirst?: { getStore(): unknown } }).iprWriteFirst;
  return store?.getStore() === true;
}

export class ReaderPool {
  private readers: Reader[] = [];
  private queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** readers started and killed for a timeout, since the pool was made (tests read them) */
  readonly counts = { started: 0, killed: 0 };

  constructor(readonly options: PoolOptions) {}

  /** The process ids of the readers alive now (tests watch them). */
  pids(): number[] {
    return this.readers.filter((r) => !r.dead).map((r) => r.child.pid!);
  }

  /** Starts the readers that are missing, so that the next reads find them warm. */
  warm(): void {
    while (!this.closed && this.readers.filter((r) => !r.dead).length < this.options.size) this.readers.push(this.spawn());
  }

  private spawn(): Reader {
    this.counts.started++;
    const reader = new Reader(this.options, (r) => {
      this.readers = this.readers.filter((x) => x !== r);
      // a reader that ran (and was killed, or died) is replaced at once; one that could not
      // start is tried again by the next read, not in a loop
      if (r.started || this.queue.length) this.warm();
    });
    reader.ready.then(
      () => this.dispatch(),
      (error: Error) => {
        // a reader that cannot start (a bad DATABASE_URL, a missing file): the waiting reads
        // get its reason; the next read tries again
        if (!(error instanceof ReaderStopped)) for (const job of this.queue.splice(0)) this.fail(job, error);
        this.readers = this.readers.filter((x) => x !== reader);
      },
    );
    return reader;
  }

  /** Runs the read `name` in a reader within the budget; rejects with QueryTimeoutError past it. */
  run(name: string, args: unknown[], budgetMs = this.options.budgetMs): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error("The reader pool is closed."));
    return new Promise((resolve, reject) => {
      const job: Job = { first: writeFirst(), name, args, budgetMs, key: hash(name + JSON.stringify(args)), resolve, reject };
      // waiting for a free reader has the same limit as the work, and the time to start one
      // while none has started yet
      const cold = !this.readers.some((r) => r.started && !r.dead);
      job.timer = setTimeout(() => {
        this.queue = this.queue.filter((j) => j !== job);
        reject(new QueryTimeoutError(name, budgetMs, "queued"));
      }, budgetMs + (cold ? (this.options.startMs ?? 60_000) : 0));
      if (job.first) {
        // behind the other writes' reads, ahead of every reader's
        const at = this.queue.findIndex((j) => !j.first);
        this.queue.splice(at < 0 ? this.queue.length : at, 0, job);
      } else this.queue.push(job);
      this.warm();
      this.dispatch();
    });
  }

  private fail(job: Job, error: Error) {
    clearTimeout(job.timer);
    job.reject(error);
  }

  private dispatch(): void {
    while (this.queue.length) {
      const idle = this.readers.filter((r) => r.started && !r.busy && !r.dead);
      if (!idle.length) return;
      const job = this.queue.shift()!;
      // the same question goes to the same reader when it is free: its kept answers are there
      const preferred = this.readers[job.key % this.readers.length];
      const reader = preferred && idle.includes(preferred) ? preferred : idle[0]!;
      clearTimeout(job.timer);
      reader.busy = true;
      const budgetMs = job.budgetMs;
      const id = this.nextId++;
      reader
        .request({ t: "run", id, name: job.name, args: job.args }, budgetMs, () => {
          this.counts.killed++;
          return new QueryTimeoutError(job.name, budgetMs, "running");
        })
        .then(
          (m) => this.settle(reader, () => job.resolve((m as { value: unknown }).value)),
          (e: Error) => this.settle(reader, () => job.reject(e)),
        );
    }
  }

  /** The reader is free again before the caller hears back, so that its next read can go there. */
  private settle(reader: Reader, answer: () => void) {
    reader.busy = false;
    if (reader.dead) this.warm();
    answer();
    this.dispatch();
  }

  /**
   * Opens a streamed read in a reader process of its own: each chunk must come within
   * `budgetMs`, and the whole stream within `totalMs`; past either the process is killed and
   * the next chunk rejects with QueryTimeoutError.
   */
  async openStream<R>(name: string, args: unknown[], limits: { budgetMs?: number; totalMs: number; rowsPerChunk?: number }): Promise<Stream<R>> {
    const budgetMs = limits.budgetMs ?? this.options.budgetMs;
    const reader = new Reader(this.options, () => {});
    this.counts.started++;
    const total = setTimeout(() => reader.kill(), limits.totalMs);
    total.unref?.();
    let overall = false;
    setTimeout(() => (overall = true), limits.totalMs).unref?.();
    const timeout = () => new QueryTimeoutError(name, overall ? limits.totalMs : budgetMs, "running");
    try {
      await reader.ready;
      const id = this.nextId++;
      await reader.request({ t: "open", id, name, args }, budgetMs, timeout);
      const pull = async (): Promise<{ rows: R[]; done: boolean }> => {
        try {
          const m = (await reader.request({ t: "pull", id, rows: limits.rowsPerChunk ?? 2000 }, budgetMs, timeout)) as Extract<FromReader, { t: "rows" }>;
          const rows = (JSON.parse(m.json) as unknown[][]).map((values) => Object.fromEntries(m.keys.map((k, i) => [k, values[i]])) as R);
          return { rows, done: m.done };
        } catch (error) {
          throw error instanceof ReaderStopped && overall ? timeout() : error;
        }
      };
      // one chunk is read ahead while the caller writes the one before
      let ahead: Promise<{ rows: R[]; done: boolean }> | null = null;
      let finished = false;
      const close = () => {
        clearTimeout(total);
        reader.kill();
      };
      return {
        next: async () => {
          if (finished) return { rows: [], done: true };
          const chunk = await (ahead ?? pull());
          ahead = null;
          if (chunk.done) {
            finished = true;
            close();
          } else {
            ahead = pull();
            ahead.catch(() => {}); // observed by the next call
          }
          return chunk;
        },
        close,
      };
    } catch (error) {
      clearTimeout(total);
      reader.kill();
      throw error;
    }
  }

  /** Stops every reader (tests; a server process stops them by ending). */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.fail(job, new Error("The reader pool is closed."));
    const exits = this.readers.map((r) => (r.dead ? Promise.resolve() : new Promise<void>((resolve) => r.child.once("exit", () => resolve()))));
    for (const r of this.readers) r.kill();
    await Promise.all(exits);
    this.readers = [];
  }
}
