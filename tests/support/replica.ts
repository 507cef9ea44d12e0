import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

// A PostgreSQL primary and a streaming replica of a test's own (issue 15, item 4), made from
// nothing in a temporary folder: `initdb` makes the primary, `pg_basebackup -R` copies it into
// a standby that streams the primary's WAL, each on a free port of 127.0.0.1 (and a socket in
// the folder). The servers refuse to run as root, and the tests run as root: every server
// command runs as the `postgres` user (runuser), in a folder that user owns.
//
// No leftovers: `close()` stops both servers and removes the folder; a failure while making
// them stops what had started; the process's exit, or the signal a test runner ends its worker
// with, stops them too (SIGQUIT to the postmaster: PostgreSQL's immediate shutdown); and a later run stops the servers and removes the folders
// that a killed run (a process that no longer lives) left in the temporary folder.

const BIN = "/usr/lib/postgresql/15/bin";
const PREFIX = "ipr-replica-";
const run = promisify(execFile);

export type ReplicaPair = {
  primaryUrl: string;
  replicaUrl: string;
  primaryPort: number;
  replicaPort: number;
  /** the temporary folder of both servers (gone after close) */
  folder: string;
  /** Stops the primary (fast shutdown): the replica keeps answering reads. */
  stopPrimary(): Promise<void>;
  /** Waits until the replica has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  /** Stops both servers and removes their folder. */
  close(): Promise<void>;
};

/** Runs a PostgreSQL program as the postgres user, in `cwd`; a failure says what the program said. */
async function asPostgres(program: string, args: string[], cwd: string): Promise<void> {
  try {
    await run("runuser", ["-u", "postgres", "--", path.join(BIN, program), ...args], { cwd, timeout: 60_000 });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${program} ${args.join(" ")} failed: ${(e.stderr || e.stdout || e.message).trim()}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function postgresUser(): { uid: number; gid: number } {
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  if (!line) throw new Error("There is no postgres user on this machine: install PostgreSQL 15 (apt-get install postgresql-15).");
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/** The postmaster's pid of a data folder, when it runs. */
function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return pid > 0 && alive(pid) ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Immediate shutdown of whatever server runs in `dataDir` (synchronous: usable in an exit handler). */
function killServer(dataDir: string): void {
  const pid = postmasterPid(dataDir);
  if (pid) {
    try {
      process.kill(pid, "SIGQUIT");
    } catch {
      // gone already
    }
  }
}

/** Stops the servers and removes the folders that runs no longer alive left behind. */
export function removeLeftovers(): void {
  const tmp = os.tmpdir();
  for (const name of fs.readdirSync(tmp)) {
    const owner = Number(new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!owner || owner === process.pid || alive(owner)) continue;
    const base = path.join(tmp, name);
    for (const sub of ["primary", "replica"]) killServer(path.join(base, sub));
    fs.rmSync(base, { recursive: true, force: true });
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what} after ${ms / 1000} s${last ? `: ${(last as Error).message}` : ""}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A primary and its streaming replica, both running and the replica streaming. */
export async function startReplicaPair(): Promise<ReplicaPair> {
  removeLeftovers();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
  const { uid, gid } = postgresUser();
  fs.chownSync(base, uid, gid);
  const primaryDir = path.join(base, "primary");
  const replicaDir = path.join(base, "replica");
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const urlOf = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;

  const onExit = () => {
    killServer(replicaDir);
    killServer(primaryDir);
    fs.rmSync(base, { recursive: true, force: true });
  };
  // a test runner ends its workers with a signal rather than exit: stop the servers then too
  const onSignal = (signal: NodeJS.Signals) => {
    onExit();
    process.off(signal, onSignal);
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.on("exit", onExit);
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, onSignal);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const dir of [replicaDir, primaryDir]) {
      if (postmasterPid(dir)) await asPostgres("pg_ctl", ["-D", dir, "-m", "immediate", "-w", "stop"], base).catch(() => killServer(dir));
    }
    onExit();
    process.off("exit", onExit);
    for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.off(signal, onSignal);
    fs.rmSync(base, { recursive: true, force: true });
  };

  try {
    await asPostgres("initdb", ["-D", primaryDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"], base);
    // initdb's pg_hba.conf with -A trust lets local and 127.0.0.1 connections replicate
    fs.appendFileSync(
      path.join(primaryDir, "postgresql.conf"),
      [
        "",
        "# tests/support/replica.ts",
        `port = ${primaryPort}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${base}'`,
        "wal_level = replica",
        "max_wal_senders = 4",
        "hot_standby = on",
        "fsync = off",
        "shared_buffers = 16MB",
        "max_connections = 40",
        "",
      ].join("\n"),
    );
    await asPostgres("pg_ctl", ["-D", primaryDir, "-l", path.join(base, "primary.log"), "-w", "-t", "60", "start"], base);
    await asPostgres("pg_basebackup", ["-h", "127.0.0.1", "-p", String(primaryPort), "-U", "postgres", "-D", replicaDir, "-R", "-X", "stream", "-c", "fast", "--no-sync"], base);
    // the copy carries the primary's settings: only its port differs (the last setting wins)
    fs.appendFileSync(path.join(replicaDir, "postgresql.conf"), `\nport = ${replicaPort}\n`);
    await asPostgres("pg_ctl", ["-D", replicaDir, "-l", path.join(base, "replica.log"), "-w", "-t", "60", "start"], base);
    await waitFor("the replica to stream from the primary", async () => {
      const rows = await query<{ n: number }>(urlOf(primaryPort), "select count(*)::int as n from pg_stat_replication where state = 'streaming'");
      return rows[0]!.n > 0;
    });
    const recovering = await query<{ r: boolean }>(urlOf(replicaPort), "select pg_is_in_recovery() as r");
    if (!recovering[0]!.r) throw new Error("The replica is not in recovery: it is not a standby.");
  } catch (error) {
    const logs = ["primary.log", "replica.log"]
      .map((log) => path.join(base, log))
      .filter((log) => fs.existsSync(log))
      .map((log) => `${path.basename(log)}:\n${fs.readFileSync(log, "utf8").split("\n").slice(-15).join("\n")}`)
      .join("\n");
    await close();
    throw new Error(`Could not make the primary and its streaming replica: ${(error as Error).message}${logs ? `\n${logs}` : ""}`);
  }

  return {
    primaryUrl: urlOf(primaryPort),
    replicaUrl: urlOf(replicaPort),
    primaryPort,
    replicaPort,
    folder: base,
    async stopPrimary() {
      await asPostgres("pg_ctl", ["-D", primaryDir, "-m", "fast", "-w", "stop"], base);
    },
    async caughtUp() {
      const [{ lsn }] = (await query<{ lsn: string }>(urlOf(primaryPort), "select pg_current_wal_lsn()::text as lsn")) as [{ lsn: string }];
      await waitFor("the replica to replay the primary's writes", async () => {
        const rows = await query<{ done: boolean }>(urlOf(replicaPort), "select pg_last_wal_replay_lsn() >= $1::pg_lsn as done", [lsn]);
        return rows[0]!.done;
      });
    },
    close,
  };
}
