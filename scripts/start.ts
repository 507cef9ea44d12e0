import { spawn } from "node:child_process";
import path from "node:path";
import { ConfigError, databasePathFromUrl, exportBudgetMs, portFromEnv, queryBudgetMs, queryReaders } from "../lib/env";
import { buildIfNeeded } from "./build-if-needed";
import { prepareDatabase } from "./prepare-db";

// `npm start`: check the environment, create/migrate/seed the database, build if needed, serve.

async function main(): Promise<void> {
  let port: number;
  let databaseFile: string;
  try {
    port = portFromEnv(process.env.PORT);
    queryBudgetMs();
    exportBudgetMs();
    queryReaders();
    databaseFile = databasePathFromUrl(process.env.DATABASE_URL);
    process.env.DATABASE_URL = `file:${databaseFile}`;
    await prepareDatabase({ seed: true });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  try {
    buildIfNeeded();
  } catch (error) {
    console.error(`Cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
  console.log(`Serving ${databaseFile} at http://localhost:${port}`);
  // one server process per core (scripts/serve.mjs), restarted if one dies
  const server = spawn(process.execPath, [path.join(process.cwd(), "scripts", "serve.mjs")], {
    stdio: "inherit",
    env: { ...process.env, PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

void main();
