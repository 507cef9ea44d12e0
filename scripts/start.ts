import { spawn } from "node:child_process";
import { checkEnv, ConfigError, redactPassword, type Env } from "../lib/env";
import { buildIsStale, nextBuildCommand } from "./build-if-needed";
import { prepareDatabase } from "./prepare-db";

// `npm start`, before serving (scripts/start.mjs): check the environment, prepare the
// database (scripts/prepare-db.ts: migrate it — PostgreSQL under an advisory lock — and only
// the default SQLite one is created and seeded), build if needed. A bad value, or a
// PostgreSQL server that does not answer, stops here with one sentence.

function cannotStart(message: string): never {
  console.error(`Cannot start: ${message}`);
  process.exit(1);
}

/** Runs `next build` as a child that a SIGTERM or SIGINT to this process stops too. */
function build(): Promise<void> {
  console.log("Building the application (next build)…");
  const { command, args, options } = nextBuildCommand();
  const child = spawn(command, args, options);
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGTERM", forward);
  process.on("SIGINT", forward);
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      process.off("SIGTERM", forward);
      process.off("SIGINT", forward);
      if (signal) process.exit(1); // stopped on request
      if (code !== 0) cannotStart(`next build failed (exit code ${code}).`);
      resolve();
    });
  });
}

/** What several servers on one PostgreSQL database should set and this one has not (README, Deployment). */
export function severalServersUnset(env: Pick<Env, "BETTER_AUTH_SECRET" | "BETTER_AUTH_URL">): string[] {
  const unset: string[] = [];
  // unset, the secret is made once and kept in the database: shared, but in every backup
  if (!env.BETTER_AUTH_SECRET) unset.push("BETTER_AUTH_SECRET");
  // unset, each request's own host is taken, which behind a load balancer is not the public address
  if (!env.BETTER_AUTH_URL) unset.push("BETTER_AUTH_URL");
  return unset;
}

/** Everything `npm start` does before it serves; on return the environment is checked and set for scripts/serve.mjs. */
export async function prepareToServe(): Promise<void> {
  let port: number;
  let database: string;
  try {
    // every variable of the README's table, with its default; the first bad one stops the start
    const env = checkEnv();
    port = env.PORT;
    const target = env.DATABASE_URL;
    // a SQLite file by its absolute path; PostgreSQL: migrated under an advisory lock, never seeded here
    process.env.DATABASE_URL = target.engine === "sqlite" ? `file:${target.file}` : target.url;
    database = target.engine === "sqlite" ? target.file : `the PostgreSQL database ${redactPassword(target.url)}`;
    await prepareDatabase({ seed: true });
    if (target.engine === "postgres") {
      const unset = severalServersUnset(env);
      if (unset.length) console.log(`On PostgreSQL, with several servers on one database, set ${unset.join(" and ")} alike on every server (README, Deployment).`);
    }
  } catch (error) {
    if (error instanceof ConfigError) cannotStart(error.message);
    throw error;
  }
  if (buildIsStale()) await build();
  process.env.PORT = String(port);
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  console.log(`Serving ${database} at http://localhost:${port} (Ctrl-C or SIGTERM stops it)`);
}
