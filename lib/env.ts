import os from "node:os";
import path from "node:path";
import { z } from "zod";

// The environment: one schema of every variable the README's configuration table lists, with
// its default and a one-sentence error. `npm start` checks all of it before anything else
// (scripts/start.ts prepareToServe → checkEnv), so a bad value stops the start with that
// sentence; the code reads configuration only through the accessors below, each of which
// reads the current process.env (scripts and tests set it) and checks its own variable.

export class ConfigError extends Error {
  override name = "ConfigError";
}

export const DEFAULT_DATABASE_URL = "file:data/ipr.db";
/** The PostgreSQL server of the tests when TEST_DATABASE_URL is unset (the development and CI machines run one). */
export const DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * Turns DATABASE_URL (`file:data/ipr.db`, `file:///abs/x.db` or a plain path) into an absolute
 * file path: for what works on a SQLite file alone. A PostgreSQL URL is refused with a sentence
 * (the app and its scripts take either engine through databaseTargetFromUrl).
 */
export function databasePathFromUrl(url: string | undefined, cwd = process.cwd()): string {
  const raw = (url ?? "").trim() || DEFAULT_DATABASE_URL;
  let file = raw;
  if (raw.startsWith("file://")) file = raw.slice("file://".length);
  else if (raw.startsWith("file:")) file = raw.slice("file:".length);
  else if (POSTGRES_SCHEME.test(raw)) {
    throw new ConfigError(`DATABASE_URL names a PostgreSQL database, but this needs a SQLite file (file:path/to/ipr.db).`);
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new ConfigError(`DATABASE_URL "${raw}" is neither a SQLite file nor a PostgreSQL URL: use file:path/to/ipr.db or postgres://user@host:5432/database.`);
  }
  file = file.split("?")[0]!;
  if (!file || file === ":memory:") {
    throw new ConfigError(`DATABASE_URL "${raw}" names no file: use file:path/to/ipr.db.`);
  }
  return path.resolve(cwd, file);
}

const POSTGRES_SCHEME = /^postgres(ql)?:/i;
/** A whole postgres:// or postgresql:// URL (the form DATABASE_READ_URLS takes). */
const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/i;

export type DatabaseTarget = { engine: "sqlite"; file: string } | { engine: "postgres"; url: string };

/**
 * DATABASE_URL as the engine it names: a SQLite file (file:…, a plain path, or unset: data/ipr.db)
 * or a PostgreSQL database (postgres://user:password@host:5432/database or postgresql://…).
 * A URL that is neither, or a PostgreSQL URL that does not parse, is refused with one sentence.
 */
export function databaseTargetFromUrl(url: string | undefined, cwd = process.cwd()): DatabaseTarget {
  const raw = (url ?? "").trim();
  if (POSTGRES_SCHEME.test(raw)) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(raw);
    } catch {
      parsed = null;
    }
    if (!parsed || !/^\/\//.test(raw.replace(POSTGRES_SCHEME, "")) || /\s/.test(raw)) {
      throw new ConfigError(`DATABASE_URL "${redactPassword(raw)}" is not a valid PostgreSQL URL: use postgres://user:password@host:5432/database.`);
    }
    return { engine: "postgres", url: raw };
  }
  return { engine: "sqlite", file: databasePathFromUrl(raw, cwd) };
}

/** A database URL without its password, for messages and logs. */
export function redactPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/i, "$1:***@");
}

/** Whether `file` is the default database (data/ipr.db): the only one that start-up creates and fills with demo data. */
export function isDefaultDatabase(file: string, cwd = process.cwd()): boolean {
  return path.resolve(cwd, file) === databasePathFromUrl(undefined, cwd);
}

// ---- the schema ---------------------------------------------------------------------------

// The time budget of reads on request paths (db/budget, lib/query-budget.ts).
export const DEFAULT_QUERY_BUDGET_MS = 5000;
export const DEFAULT_EXPORT_BUDGET_MS = 15 * 60_000;
export const DEFAULT_QUERY_READERS = 2;
/** Page and read requests (GET, HEAD) in flight per server process; the rest wait their turn (scripts/serve.mjs). */
export const DEFAULT_READ_CONCURRENCY = 2;
/** The default least number of cases in a published market cell (lib/suppression.ts). */
export const DEFAULT_MARKET_MIN_CASES = 10;
export const MARKET_MIN_CASES_RANGE = [3, 1000] as const;
/** The sender of the e-mails when MAIL_FROM is unset. */
export const DEFAULT_MAIL_FROM = "IP Border Enforcement Tracker <no-reply@localhost>";
/** How often each server's outbox sender looks for mail to send (db/outbox.ts). */
export const DEFAULT_OUTBOX_POLL_MS = 5000;
/** better-auth signs cookies with HMAC-SHA-256: a shorter secret is guessable. */
export const MIN_AUTH_SECRET_LENGTH = 32;

type Raw = string | undefined;
const isBlank = (value: Raw): value is undefined => value === undefined || value.trim() === "";

/** A variable whose value `parse` turns into T, or refuses with a ConfigError sentence. */
function variable<T>(parse: (value: Raw) => T) {
  return z.string().optional().transform((value, ctx): T => {
    try {
      return parse(value);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      ctx.addIssue({ code: "custom", message: error.message });
      return z.NEVER;
    }
  });
}

function wholeNumber(name: string, fallback: () => number, min: number, max: number) {
  return variable((value) => {
    if (isBlank(value)) return fallback();
    const text = value.trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${value}").`);
    return n;
  });
}

/** "1" switches on; unset, empty or "0" leaves off. */
function flag(name: string, meaning: string) {
  return variable((value) => {
    if (isBlank(value) || value.trim() === "0") return false;
    if (value.trim() === "1") return true;
    throw new ConfigError(`${name} must be 1 (${meaning}) or unset (got "${value}").`);
  });
}

const port = variable((value) => {
  if (isBlank(value)) return 3000;
  const n = Number(value.trim());
  const problem = !Number.isFinite(n) ? "PORT must be a number" : !Number.isInteger(n) ? "PORT must be a whole number" : n < 1 || n > 65535 ? "PORT must be between 1 and 65535" : null;
  if (problem) throw new ConfigError(`${problem} (got "${value}").`);
  return n;
});

/** Why DATABASE_READ_URLS cannot go with a SQLite DATABASE_URL. */
export const READ_URLS_NEED_POSTGRES =
  "DATABASE_READ_URLS lists read replicas of a PostgreSQL database, but DATABASE_URL names a SQLite file, which has none: set DATABASE_URL to the primary's postgres:// URL, or unset DATABASE_READ_URLS.";

/** DATABASE_READ_URLS: comma-separated postgres:// URLs of the primary's streaming replicas (db/replicas.ts). */
const readUrls = variable((value): string[] => {
  if (isBlank(value)) return [];
  const urls = value.split(",").map((url) => url.trim());
  for (const url of urls) {
    let valid = POSTGRES_URL.test(url);
    try {
      if (valid) new URL(url);
    } catch {
      valid = false;
    }
    if (!valid) {
      const shown = url.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:***@");
      throw new ConfigError(
        `DATABASE_READ_URLS must be PostgreSQL URLs separated by commas, such as postgres://reader@replica1:5432/ipr,postgres://reader@replica2:5432/ipr (${url ? `"${shown}" is not one` : "one of them is empty"}).`,
      );
    }
  }
  return urls;
});

/** Whether DATABASE_URL names a PostgreSQL database (read replicas need one). */
const isPostgresDatabase = (value: Raw) => POSTGRES_URL.test((value ?? "").trim());

/** Every variable of the README's configuration table, with its default. */
export const envSchema = z.object({
  /** the database: a SQLite file (as an absolute path) or a PostgreSQL URL */
  DATABASE_URL: variable((value) => databaseTargetFromUrl(value)),
  PORT: port,
  BETTER_AUTH_SECRET: variable((value) => {
    if (isBlank(value)) return undefined;
    if (value.length < MIN_AUTH_SECRET_LENGTH) {
      throw new ConfigError(`BETTER_AUTH_SECRET must be at least ${MIN_AUTH_SECRET_LENGTH} characters (it has ${value.length}); make one with: openssl rand -base64 32.`);
    }
    return value;
  }),
  PARTY_KEY: variable((value) => {
    if (isBlank(value)) return undefined;
    const key = Buffer.from(value.trim(), "base64");
    if (key.length !== 32) {
      throw new ConfigError(`PARTY_KEY must be 32 bytes in base64 (it decodes to ${key.length}); make one with: openssl rand -base64 32.`);
    }
    return key;
  }),
  BETTER_AUTH_URL: variable((value) => {
    if (isBlank(value)) return undefined;
    let url: URL | null = null;
    try {
      url = new URL(value.trim());
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      throw new ConfigError(`BETTER_AUTH_URL must be an http or https address such as https://ipr.example.cn (got "${value}").`);
    }
    return url.origin;
  }),
  AUTH_SECURE_COOKIES: flag("AUTH_SECURE_COOKIES", "behind HTTPS"),
  WEB_CONCURRENCY: wholeNumber("WEB_CONCURRENCY", () => Math.min(os.availableParallelism(), 4), 1, 64),
  TRUST_PROXY: flag("TRUST_PROXY", "a reverse proxy appends the client's address to X-Forwarded-For"),
  MARKET_MIN_CASES: wholeNumber("MARKET_MIN_CASES", () => DEFAULT_MARKET_MIN_CASES, ...MARKET_MIN_CASES_RANGE),
  CHROME_PATH: variable((value) => (isBlank(value) ? undefined : value.trim())),
  TEST_DATABASE_URL: variable((value) => {
    if (isBlank(value)) return DEFAULT_TEST_DATABASE_URL;
    const target = databaseTargetFromUrl(value);
    if (target.engine !== "postgres") throw new ConfigError(`TEST_DATABASE_URL must be a PostgreSQL URL such as ${DEFAULT_TEST_DATABASE_URL} (got "${value}").`);
    return target.url;
  }),
  QUERY_BUDGET_MS: wholeNumber("QUERY_BUDGET_MS", () => DEFAULT_QUERY_BUDGET_MS, 1, 3_600_000),
  EXPORT_BUDGET_MS: wholeNumber("EXPORT_BUDGET_MS", () => DEFAULT_EXPORT_BUDGET_MS, 1, 24 * 3_600_000),
  QUERY_READERS: wholeNumber("QUERY_READERS", () => DEFAULT_QUERY_READERS, 1, 32),
  READ_CONCURRENCY: wholeNumber("READ_CONCURRENCY", () => DEFAULT_READ_CONCURRENCY, 1, 1024),
  DATABASE_READ_URLS: readUrls,
  SMTP_URL: variable((value) => {
    if (isBlank(value)) return undefined;
    let url: URL | null = null;
    try {
      url = new URL(value.trim());
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== "smtp:" && url.protocol !== "smtps:")) {
      throw new ConfigError(`SMTP_URL must be an smtp:// or smtps:// address such as smtps://user:password@smtp.example.cn:465 (got "${redactPassword(value)}").`);
    }
    return value.trim();
  }),
  MAIL_FROM: variable((value) => {
    if (isBlank(value)) return DEFAULT_MAIL_FROM;
    if (!/@[^\s@>]+\.?[^\s@>]*>?\s*$/.test(value.trim())) throw new ConfigError(`MAIL_FROM must be an e-mail address, optionally with a name: "IPR Tracker <ipr@example.cn>" (got "${value}").`);
    return value.trim();
  }),
  APP_URL: variable((value) => {
    if (isBlank(value)) return undefined;
    let url: URL | null = null;
    try {
      url = new URL(value.trim());
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      throw new ConfigError(`APP_URL must be an http or https address such as https://ipr.example.cn (got "${value}").`);
    }
    return url.origin + url.pathname.replace(/\/+$/, "");
  }),
  OUTBOX_POLL_MS: wholeNumber("OUTBOX_POLL_MS", () => DEFAULT_OUTBOX_POLL_MS, 50, 3_600_000),
  NO_DIGESTS: flag("NO_DIGESTS", "this server scans no digest subscriptions"),
  NO_ERASURE: flag("NO_ERASURE", "this server runs no daily erasure of identity numbers"),
});

export type Env = z.infer<typeof envSchema>;
export type EnvName = keyof Env;
type Source = Record<string, string | undefined>;

/** The variables as this process has them: each named once, here, and nowhere else in the app. */
function current(): Source {
  return {
    DATABASE_URL: process.env.DATABASE_URL,
    PORT: process.env.PORT,
    BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET,
    BETTER_AUTH_URL: process.env.BETTER_AUTH_URL,
    PARTY_KEY: process.env.PARTY_KEY,
    AUTH_SECURE_COOKIES: process.env.AUTH_SECURE_COOKIES,
    WEB_CONCURRENCY: process.env.WEB_CONCURRENCY,
    TRUST_PROXY: process.env.TRUST_PROXY,
    MARKET_MIN_CASES: process.env.MARKET_MIN_CASES,
    CHROME_PATH: process.env.CHROME_PATH,
    TEST_DATABASE_URL: process.env.TEST_DATABASE_URL,
    QUERY_BUDGET_MS: process.env.QUERY_BUDGET_MS,
    EXPORT_BUDGET_MS: process.env.EXPORT_BUDGET_MS,
    QUERY_READERS: process.env.QUERY_READERS,
    READ_CONCURRENCY: process.env.READ_CONCURRENCY,
    DATABASE_READ_URLS: process.env.DATABASE_READ_URLS,
    SMTP_URL: process.env.SMTP_URL,
    MAIL_FROM: process.env.MAIL_FROM,
    APP_URL: process.env.APP_URL,
    OUTBOX_POLL_MS: process.env.OUTBOX_POLL_MS,
    NO_DIGESTS: process.env.NO_DIGESTS,
    NO_ERASURE: process.env.NO_ERASURE,
  };
}

/** Every variable checked at once: the values with their defaults, or a ConfigError with the first problem's sentence. */
export function checkEnv(env: Source = current()): Env {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues[0]!.message);
  if (parsed.data.DATABASE_READ_URLS.length && !isPostgresDatabase(env.DATABASE_URL)) throw new ConfigError(READ_URLS_NEED_POSTGRES);
  return parsed.data;
}

/** One variable, checked: its value with the default, or a ConfigError. */
function read<N extends EnvName>(name: N, env: Source = current()): Env[N] {
  const parsed = envSchema.shape[name].safeParse(env[name]);
  if (!parsed.success) throw new ConfigError(parsed.error.issues[0]!.message);
  return parsed.data as Env[N];
}

// ---- accessors ----------------------------------------------------------------------------

/** DATABASE_URL as the engine it names: a SQLite file (default data/ipr.db under the working folder) or a PostgreSQL URL. */
export const databaseTarget = (env?: Source) => read("DATABASE_URL", env);
/** DATABASE_URL as an absolute SQLite file path, for what works on SQLite alone; a PostgreSQL URL is refused with a sentence. */
export const databasePath = (env?: Source): string => {
  const target = databaseTarget(env);
  if (target.engine === "sqlite") return target.file;
  return databasePathFromUrl(target.url);
};
/** PORT: the port `npm start` serves on (default 3000). */
export const portFromEnv = (value: string | undefined) => read("PORT", { PORT: value });
/** BETTER_AUTH_SECRET, or undefined (a secret is then made once and kept in the database). */
export const authSecretFromEnv = (env?: Source) => read("BETTER_AUTH_SECRET", env);
/** PARTY_KEY: the key that encrypts personal identity numbers (AES-256-GCM), or undefined (one is then made once and kept in the database). */
export const partyKeyFromEnv = (env?: Source) => read("PARTY_KEY", env);
/** BETTER_AUTH_URL's origin, or undefined (each request's own origin is used). */
export const authBaseUrl = (env?: Source) => read("BETTER_AUTH_URL", env);
/** AUTH_SECURE_COOKIES=1: behind HTTPS, cookies are Secure and HSTS is sent. */
export const secureCookies = (env?: Source) => read("AUTH_SECURE_COOKIES", env);
/** WEB_CONCURRENCY: server processes (default one per core, at most 4). */
export const webConcurrency = (env?: Source) => read("WEB_CONCURRENCY", env);
/** TRUST_PROXY=1: the client's address is what a reverse proxy appended to X-Forwarded-For. */
export const trustProxy = (env?: Source) => read("TRUST_PROXY", env);
/** MARKET_MIN_CASES: the least number of cases of a published market figure (default 10). */
export const marketMinCases = (env?: Source) => read("MARKET_MIN_CASES", env);
/** CHROME_PATH: the Chromium the browser tests drive, or undefined. */
export const chromePath = (env?: Source) => read("CHROME_PATH", env);
/** TEST_DATABASE_URL: the PostgreSQL server the tests make their databases on. */
export const testDatabaseUrl = (env?: Source) => read("TEST_DATABASE_URL", env);
/** QUERY_BUDGET_MS: milliseconds one read may work (default 5000). */
export const queryBudgetMs = (env?: Source) => read("QUERY_BUDGET_MS", env);
/** EXPORT_BUDGET_MS: milliseconds a streamed export may last in all (default 15 minutes). */
export const exportBudgetMs = (env?: Source) => read("EXPORT_BUDGET_MS", env);
/** QUERY_READERS: reader processes per server process (default 2). */
export const queryReaders = (env?: Source) => read("QUERY_READERS", env);
/** READ_CONCURRENCY: page and read requests in flight per server process (default 2); writes never wait for them. */
export const readConcurrency = (env?: Source) => read("READ_CONCURRENCY", env);
/** DATABASE_READ_URLS: the read replicas of a PostgreSQL DATABASE_URL (none by default); refused with a SQLite DATABASE_URL. */
export const databaseReadUrls = (env: Source = current()) => {
  const urls = read("DATABASE_READ_URLS", env);
  if (urls.length && !isPostgresDatabase(env.DATABASE_URL)) throw new ConfigError(READ_URLS_NEED_POSTGRES);
  return urls;
};
/** SMTP_URL: the mail server the outbox sends through, or undefined (mail then waits in the outbox). */
export const smtpUrl = (env?: Source) => read("SMTP_URL", env);
/** MAIL_FROM: the sender of every e-mail. */
export const mailFrom = (env?: Source) => read("MAIL_FROM", env);
/** OUTBOX_POLL_MS: how often each server process looks for mail to send (default 5000). */
export const outboxPollMs = (env?: Source) => read("OUTBOX_POLL_MS", env);

/** NO_DIGESTS=1: this server process writes no digest e-mails (db/digest-scanner.ts); another server may. */
export const noDigests = (env?: Source) => read("NO_DIGESTS", env);
/** NO_ERASURE=1: this server process runs no daily erasure of expired identity numbers (db/erasure-job.ts); another server may. */
export const noErasure = (env?: Source) => read("NO_ERASURE", env);
/**
 * The address links in e-mails lead to: APP_URL, else BETTER_AUTH_URL, else http://localhost
 * and PORT. Never the Host header of a request: a forged Host must not point a reset link elsewhere.
 */
export const appUrl = (env: Source = current()): string =>
  read("APP_URL", env) ?? read("BETTER_AUTH_URL", env) ?? `http://localhost:${read("PORT", env)}`;
