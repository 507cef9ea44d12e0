import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { redactPassword } from "../../lib/env";
import { BackupError, knownMigrations, type BackupResult } from "../sqlite/backup";
import { migratePostgres, POSTGRES_MIGRATIONS } from "./open";

// Backup and restore of a PostgreSQL database with the engine's own tools: a backup is
// `pg_dump -Fc` (the custom format, one file) taken in a snapshot whose case count it
// reports; a restore checks the dump is one of this application, then `pg_restore`s it in
// one transaction into an EMPTY database (never over live data) and applies newer migrations.

/** The first bytes of a dump in pg_dump's custom format (-Fc). */
const PGDUMP_HEADER = "PGDMP";
const SQLITE_HEADER = "SQLite format 3\0";

/** The tables every database of this application has (checked in a dump's table of contents). */
const APP_TABLES = ["cases", "customs_offices", "right_holders", "campaigns", "case_right_holders", "audit_log", "app_meta"];

export type BackupFileKind = "sqlite" | "pg_dump" | "other";

/** What a backup file is, by its first bytes: a SQLite file, a pg_dump custom-format dump, or neither. */
export function backupFileKind(file: string): BackupFileKind {
  if (!fs.existsSync(file)) throw new BackupError(`The file ${file} does not exist.`);
  if (!fs.statSync(file).isFile()) throw new BackupError(`The path ${file} is not a file.`);
  const buffer = Buffer.alloc(16);
  let read = 0;
  try {
    const fd = fs.openSync(file, "r");
    try {
      read = fs.readSync(fd, buffer, 0, 16, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    throw new BackupError(`Cannot read the file ${file}: ${reason(error)}.`);
  }
  const text = buffer.subarray(0, read).toString("latin1");
  if (text === SQLITE_HEADER) return "sqlite";
  if (text.startsWith(PGDUMP_HEADER)) return "pg_dump";
  return "other";
}

// ---- the tools ------------------------------------------------------------------------------

/**
 * PostgreSQL's client program `name` (pg_dump, pg_restore): on PATH, else the newest of
 * Debian's /usr/lib/postgresql/<version>/bin; null when neither has it.
 */
export function findPgTool(name: "pg_dump" | "pg_restore"): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  const root = "/usr/lib/postgresql";
  let versions: string[] = [];
  try {
    versions = fs.readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a));
  } catch {
    versions = [];
  }
  for (const version of versions) {
    const candidate = path.join(root, version, "bin", name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/** The command to run by hand where pg_dump is missing here: what the admin page and the CLI say. */
export function dumpCommand(url: string, file = "ipr-backup.dump"): string {
  return `pg_dump -Fc -f ${file} '${redactPassword(url)}'`;
}

function requireTool(name: "pg_dump" | "pg_restore", instead: string): string {
  const tool = findPgTool(name);
  if (!tool) {
    throw new BackupError(`${name} was not found on this machine (install PostgreSQL's client programs: apt-get install postgresql-client); where it is installed, run: ${instead}`);
  }
  return tool;
}

/** The URL without its password, and the environment that passes the password to libpq instead (never on a command line). */
function connectionFor(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) {
    env.PGPASSWORD = decodeURIComponent(u.password);
    u.password = "";
  }
  return { dbname: u.toString(), env };
}

/** Runs a PostgreSQL program; resolves with its output, or rejects with the first line of its error output. */
function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (error) => reject(new BackupError(`Cannot run ${path.basename(tool)}: ${reason(error)}.`)));
    child.on("close", (code, signal) => {
      if (code === 0) return resolve({ stdout, stderr });
      const first = stderr.split("\n").map((l) => l.trim()).find(Boolean) ?? (signal ? `stopped by ${signal}` : `exit code ${code}`);
      reject(Object.assign(new Error(first.replace(/\.$/, "")), { tool: path.basename(tool) }));
    });
  });
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new BackupError(`Cannot connect to the PostgreSQL database ${redactPassword(url)}: ${reason(error)}.`);
  }
  client.on("error", () => {});
  return client;
}

// ---- backup ---------------------------------------------------------------------------------

/**
 * `pg_dump -Fc` of the database at `url` into `destination`: into a temporary file next to it,
 * then moved into place (an existing destination is refused unless `force`). The dump reads
 * a snapshot that this function exports and counts the cases in, so the count it reports is
 * exactly what the dump holds; writers go on meanwhile.
 */
export async function backupPostgres(url: string, destination: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  const started = performance.now();
  const file = path.resolve(destination);
  const dir = path.dirname(file);
  if (!isDirectory(dir)) throw new BackupError(`The folder ${dir} does not exist.`);
  if (fs.existsSync(file)) {
    if (!options.force) throw new BackupError(`The file ${file} exists already; add --force to overwrite it.`);
    if (!fs.statSync(file).isFile()) throw new BackupError(`The path ${file} is not a file.`);
  }
  const tool = requireTool("pg_dump", dumpCommand(url, file));
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}-${crypto.randomBytes(4).toString("hex")}.tmp`);
  const client = await connect(url);
  try {
    let cases: number;
    try {
      await client.query("begin isolation level repeatable read read only");
      const snapshot = (await client.query<{ id: string }>("select pg_export_snapshot() as id")).rows[0]!.id;
      cases = Number((await client.query<{ n: string }>("select count(*) as n from cases")).rows[0]!.n);
      const { dbname, env } = connectionFor(url);
      await runTool(tool, ["--format=custom", `--snapshot=${snapshot}`, `--file=${temp}`, `--dbname=${dbname}`], env);
      await client.query("commit");
    } catch (error) {
      if (error instanceof BackupError) throw error;
      throw new BackupError(`Cannot back up the PostgreSQL database ${redactPassword(url)}: ${reason(error)}.`);
    }
    fsyncFile(temp);
    if (options.force) fs.renameSync(temp, file);
    else {
      try {
        fs.linkSync(temp, file); // fails if the file appeared meanwhile: never overwrites
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new BackupError(`The file ${file} exists already; add --force to overwrite it.`);
        throw new BackupError(`Cannot write the backup ${file}: ${reason(error)}.`);
      }
    }
    return { file, bytes: fs.statSync(file).size, cases, milliseconds: performance.now() - started };
  } finally {
    await client.end().catch(() => {});
    fs.rmSync(temp, { force: true });
  }
}

/** A dump into a new temporary folder under `tempDir` (for the admin's download); the caller deletes it. */
export async function backupPostgresToTemp(url: string, tempDir: string): Promise<BackupResult> {
  const dir = fs.mkdtempSync(path.join(tempDir, "ipr-backup-"));
  try {
    return await backupPostgres(url, path.join(dir, "ipr-backup.dump"));
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

// ---- checking a dump before a restore -------------------------------------------------------

export type DumpCheck = { migrations: number; pending: number };

/**
 * Checks that `file` is a pg_dump (custom format) of this application's database: pg_restore
 * can read its table of contents, it has the application's tables and drizzle's migrations
 * table, and the migrations it records are the first (or all) of this code's PostgreSQL ones.
 */
export async function checkPostgresDump(file: string): Promise<DumpCheck> {
  const kind = backupFileKind(file);
  if (kind !== "pg_dump") throw new BackupError(`The file ${file} is not a dump in pg_dump's custom format (pg_dump -Fc).`);
  const tool = requireTool("pg_restore", `pg_restore --list ${file}`);
  let list: string;
  try {
    list = (await runTool(tool, ["--list", file], process.env)).stdout;
  } catch (error) {
    throw new BackupError(`The file ${file} is a damaged PostgreSQL dump (${reason(error)}).`);
  }
  const tables = new Set([...list.matchAll(/^\d+;\s+\d+\s+\d+\s+TABLE\s+(\S+)\s+(\S+)\s/gm)].map((m) => `${m[1]}.${m[2]}`));
  if (!tables.has("drizzle.__drizzle_migrations")) {
    throw new BackupError(`The file ${file} is a PostgreSQL dump, but not one of this application: it has no migrations table.`);
  }
  const missing = APP_TABLES.filter((t) => !tables.has(`public.${t}`));
  if (missing.length) {
    throw new BackupError(`The file ${file} is a PostgreSQL dump, but not one of this application: it lacks the table${missing.length === 1 ? "" : "s"} ${missing.join(", ")}.`);
  }
  let data: string;
  try {
    data = (await runTool(tool, ["--data-only", "--schema=drizzle", "--table=__drizzle_migrations", "--file=-", file], process.env)).stdout;
  } catch (error) {
    throw new BackupError(`The file ${file} is a damaged PostgreSQL dump (${reason(error)}).`);
  }
  // COPY drizzle.__drizzle_migrations (id, hash, created_at) FROM stdin; then one tab-separated row per line, up to \.
  const copy = /^COPY drizzle\.__drizzle_migrations \(([^)]*)\) FROM stdin;\n([\s\S]*?)^\\\.$/m.exec(data);
  const columns = copy ? copy[1]!.split(",").map((c) => c.trim()) : [];
  const rows = copy ? copy[2]!.split("\n").filter(Boolean).map((line) => line.split("\t")) : [];
  const at = (name: string) => columns.indexOf(name);
  const applied = rows
    .map((r) => ({ hash: r[at("hash")] ?? "", createdAt: Number(r[at("created_at")]) }))
    .sort((a, b) => a.createdAt - b.createdAt);
  const known = knownMigrations(POSTGRES_MIGRATIONS);
  for (let i = 0; i < applied.length; i++) {
    const entry = applied[i]!;
    const mine = known[i];
    if (!mine) {
      throw new BackupError(`The file ${file} was made by a newer version of this application (${applied.length} migrations, this one knows ${known.length}); update the application first.`);
    }
    if (entry.createdAt !== mine.createdAt || entry.hash !== mine.hash) {
      if (entry.createdAt > known[known.length - 1]!.createdAt) {
        throw new BackupError(`The file ${file} was made by a newer version of this application (a migration this one does not know); update the application first.`);
      }
      throw new BackupError(`The file ${file} is not a database of this application: its migration ${i + 1} differs from ${mine.tag}.`);
    }
  }
  if (applied.length === 0) throw new BackupError(`The file ${file} is a PostgreSQL dump, but not one of this application: its migrations table is empty.`);
  return { migrations: applied.length, pending: known.length - applied.length };
}

// ---- restore --------------------------------------------------------------------------------

export type PostgresRestorePlan = { source: string; target: string; check: DumpCheck };
export type PostgresRestoreResult = { target: string; cases: number; migrated: number; milliseconds: number };

/** Refuses unless the database at `url` is empty: no table, view or sequence outside PostgreSQL's own schemas. */
async function requireEmptyDatabase(url: string): Promise<void> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ n: string; example: string | null }>(
      `select count(*) as n, min(n.nspname || '.' || c.relname) as example
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
          and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'`,
    );
    const n = Number(rows[0]!.n);
    if (n > 0) {
      throw new BackupError(
        `The PostgreSQL database ${redactPassword(url)} is not empty (it has ${n} table${n === 1 ? "" : "s"} or sequence${n === 1 ? "" : "s"}, such as ${rows[0]!.example}); a dump is restored only into an empty database: create one (createdb) and point DATABASE_URL at it.`,
      );
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/** Checks the dump and the target without changing anything. */
export async function planPostgresRestore(source: string, url: string): Promise<PostgresRestorePlan> {
  const check = await checkPostgresDump(source);
  await requireEmptyDatabase(url);
  return { source: path.resolve(source), target: redactPassword(url), check };
}

/**
 * Restores the dump `source` into the empty database at `url`: checked first, then
 * `pg_restore --single-transaction --exit-on-error` (all of it, or nothing), without the
 * dump's owners and grants (the restoring role owns what it creates), then this code's newer
 * migrations are applied (under the migrations' advisory lock).
 */
export async function restorePostgres(source: string, url: string): Promise<PostgresRestoreResult> {
  const started = performance.now();
  const check = await checkPostgresDump(source);
  await requireEmptyDatabase(url);
  const tool = requireTool("pg_restore", `pg_restore --no-owner --no-acl --single-transaction --exit-on-error -d '${redactPassword(url)}' ${source}`);
  const { dbname, env } = connectionFor(url);
  try {
    await runTool(tool, ["--no-owner", "--no-acl", "--single-transaction", "--exit-on-error", `--dbname=${dbname}`, source], env);
  } catch (error) {
    throw new BackupError(`Cannot restore ${source} into ${redactPassword(url)} (nothing was restored): ${reason(error)}.`);
  }
  await migratePostgres(url);
  const client = await connect(url);
  try {
    const cases = Number((await client.query<{ n: string }>("select count(*) as n from cases")).rows[0]!.n);
    return { target: redactPassword(url), cases, migrated: check.pending, milliseconds: performance.now() - started };
  } finally {
    await client.end().catch(() => {});
  }
}

// ---- helpers --------------------------------------------------------------------------------

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, "r+");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function reason(error: unknown): string {
  const e = error as { message?: string };
  const text = (e?.message ?? String(error)).replace(/\s+/g, " ").trim();
  if (/ENOSPC|No space left/i.test(text)) return "the disk is full";
  if (/EACCES|EPERM|Permission denied/i.test(text)) return "permission denied";
  return text.replace(/^(pg_dump|pg_restore): (error: )?/, "").replace(/\.$/, "");
}
