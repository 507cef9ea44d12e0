import "server-only";
import { ConfigError } from "../lib/env";
import { authSecret, createAuth, type Auth } from "./auth";
import type { Engine } from "./engine";
import { openEngine } from "./open";
import type { Db } from "./sqlite/open";

// One engine per server process (kept across hot reloads in development): SQLite or
// PostgreSQL as DATABASE_URL says (db/open.ts), and the authentication on top of it.
// scripts/serve.mjs closes it (globalThis.iprEngine) when the process stops.
const globalForDb = globalThis as unknown as { iprEngine?: Engine; iprAuth?: Auth; iprAuthSecret?: string };

/** This process's engine: every repository function (db/repo) reads and writes through it. */
export function getEngine(): Engine {
  globalForDb.iprEngine ??= openEngine(process.env.DATABASE_URL, { server: true });
  return globalForDb.iprEngine;
}

/**
 * @deprecated SQLite only, while db/ moves to getEngine(): the SQLite connection of this
 * process's engine (the same connection, so that its transactions' lock covers it too).
 */
export function getDb(): Db {
  const e = getEngine();
  if (e.dialect !== "sqlite") throw new ConfigError("This part of the application still reads the database through getDb(), which runs on SQLite only.");
  return e.db;
}

/** better-auth and its secret, made once per process on first use (they read the secret from the database). */
const authOnce = globalThis as unknown as { iprAuthMade?: Promise<Auth>; iprAuthSecretRead?: Promise<string> };

/** better-auth over this process's engine. */
export function getAuth(): Promise<Auth> {
  // a failure (the database unreachable) is not kept: the next request tries again
  authOnce.iprAuthMade ??= createAuth(getEngine()).catch((error: unknown) => {
    authOnce.iprAuthMade = undefined;
    throw error;
  });
  return authOnce.iprAuthMade;
}

/** The secret that signs session and device cookies (read once per process). */
export function getAuthSecret(): Promise<string> {
  authOnce.iprAuthSecretRead ??= authSecret(getEngine()).catch((error: unknown) => {
    authOnce.iprAuthSecretRead = undefined;
    throw error;
  });
  return authOnce.iprAuthSecretRead;
}
