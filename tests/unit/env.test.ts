import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  appUrl, authBaseUrl, checkEnv, DEFAULT_MAIL_FROM, mailFrom, ConfigError, databasePath, databasePathFromUrl, databaseTarget, databaseTargetFromUrl, envSchema, exportBudgetMs, marketMinCases, portFromEnv, queryBudgetMs, queryReaders, readConcurrency, secureCookies,
} from "../../lib/env";

describe("DATABASE_URL", () => {
  it("defaults to data/ipr.db under the working folder", () => {
    expect(databasePathFromUrl(undefined, "/srv/app")).toBe("/srv/app/data/ipr.db");
    expect(databasePathFromUrl("  ", "/srv/app")).toBe("/srv/app/data/ipr.db");
  });

  it("accepts file: URLs, absolute or relative, and plain paths", () => {
    expect(databasePathFromUrl("file:db/x.db", "/srv/app")).toBe("/srv/app/db/x.db");
    expect(databasePathFromUrl("file:///var/lib/ipr.db", "/srv/app")).toBe("/var/lib/ipr.db");
    expect(databasePathFromUrl("/var/lib/ipr.db", "/srv/app")).toBe("/var/lib/ipr.db");
  });

  it("names a PostgreSQL database (the app, its scripts and db:copy run on it) or a SQLite file", () => {
    expect(databaseTargetFromUrl("postgres://postgres@127.0.0.1:5432/ipr")).toEqual({ engine: "postgres", url: "postgres://postgres@127.0.0.1:5432/ipr" });
    expect(databaseTargetFromUrl("postgresql://db/ipr")).toEqual({ engine: "postgres", url: "postgresql://db/ipr" });
    expect(databaseTargetFromUrl("postgres://app:s3cret@[::1]:5433/ipr?sslmode=require").engine).toBe("postgres");
    expect(databaseTargetFromUrl("file:x/ipr.db", "/srv")).toEqual({ engine: "sqlite", file: "/srv/x/ipr.db" });
    expect(databaseTargetFromUrl(undefined, "/srv")).toEqual({ engine: "sqlite", file: "/srv/data/ipr.db" });
  });

  it("refuses a URL of another kind, or a PostgreSQL URL that does not parse, with one sentence (no password in it)", () => {
    expect(() => databaseTargetFromUrl("mysql://db/ipr")).toThrow(/^DATABASE_URL "mysql:\/\/db\/ipr" is neither a SQLite file nor a PostgreSQL URL: use file:path\/to\/ipr\.db or postgres:\/\/user@host:5432\/database\.$/);
    for (const bad of ["postgres://db:99999/ipr", "postgresql://a b/ipr", "postgres:ipr"]) {
      expect(() => databaseTargetFromUrl(bad), bad).toThrow(ConfigError);
      expect(() => databaseTargetFromUrl(bad), bad).toThrow(/is not a valid PostgreSQL URL: use postgres:\/\/user:password@host:5432\/database\.$/);
    }
    expect(() => databaseTargetFromUrl("postgres://app:s3cret@db:99999/ipr")).toThrow(/^DATABASE_URL "postgres:\/\/app:\*\*\*@db:99999\/ipr" is not a valid/);
  });

  it("as a SQLite file only (SQLite-only tools): refuses a PostgreSQL URL, and URLs that name no file, with a sentence", () => {
    expect(() => databasePathFromUrl("postgres://db/ipr")).toThrow(ConfigError);
    expect(() => databasePathFromUrl("postgres://db/ipr")).toThrow(/^DATABASE_URL names a PostgreSQL database, but this needs a SQLite file \(file:path\/to\/ipr\.db\)\.$/);
    expect(() => databasePathFromUrl("mysql://db/ipr")).toThrow(/is neither a SQLite file nor a PostgreSQL URL/);
    expect(() => databasePathFromUrl("file::memory:")).toThrow(/names no file/);
    expect(databasePath({ DATABASE_URL: "file:///var/lib/ipr.db" })).toBe("/var/lib/ipr.db");
    expect(() => databasePath({ DATABASE_URL: "postgres://db/ipr" })).toThrow(/this needs a SQLite file/);
    expect(databaseTarget({ DATABASE_URL: "postgres://db/ipr" })).toEqual({ engine: "postgres", url: "postgres://db/ipr" });
  });
});

describe("PORT", () => {
  it("defaults to 3000 and accepts a valid port", () => {
    expect(portFromEnv(undefined)).toBe(3000);
    expect(portFromEnv("8080")).toBe(8080);
  });

  it("refuses a bad port with a sentence naming it", () => {
    expect(() => portFromEnv("abc")).toThrow(/PORT must be a number \(got "abc"\)/);
    expect(() => portFromEnv("70000")).toThrow(/between 1 and 65535/);
    expect(() => portFromEnv("80.5")).toThrow(/whole number/);
  });
});

describe("QUERY_BUDGET_MS, EXPORT_BUDGET_MS, QUERY_READERS", () => {
  it("default to 5 s a read, 15 minutes an export and two readers", () => {
    expect(queryBudgetMs({})).toBe(5000);
    expect(exportBudgetMs({ EXPORT_BUDGET_MS: " " })).toBe(900_000);
    expect(queryReaders({})).toBe(2);
    expect(readConcurrency({})).toBe(2); // page and read requests at once per server process (scripts/serve.mjs)
    expect(readConcurrency({ READ_CONCURRENCY: "6" })).toBe(6);
    expect(queryBudgetMs({ QUERY_BUDGET_MS: "250" })).toBe(250);
  });

  it("refuse a value that is not a positive whole number, naming the variable", () => {
    for (const bad of ["0", "-5", "2.5", "fast", "99999999999"]) {
      expect(() => queryBudgetMs({ QUERY_BUDGET_MS: bad })).toThrow(ConfigError);
      expect(() => queryBudgetMs({ QUERY_BUDGET_MS: bad })).toThrow(new RegExp(`QUERY_BUDGET_MS must be a whole number .*"${bad}"`));
    }
    expect(() => queryReaders({ QUERY_READERS: "0" })).toThrow(/QUERY_READERS/);
  });
});

describe("the one environment schema (lib/env.ts), checked by npm start", () => {
  it("has a default for every variable of the README's table", () => {
    const env = checkEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      AUTH_SECURE_COOKIES: false,
      TRUST_PROXY: false,
      MARKET_MIN_CASES: 10,
      QUERY_BUDGET_MS: 5000,
      EXPORT_BUDGET_MS: 900_000,
      QUERY_READERS: 2,
      READ_CONCURRENCY: 2,
    });
    // unset and without a default: a secret made once and kept in the database, each request's origin, no test browser
    expect([env.BETTER_AUTH_SECRET, env.BETTER_AUTH_URL, env.CHROME_PATH]).toEqual([undefined, undefined, undefined]);
    expect(env.DATABASE_URL).toEqual({ engine: "sqlite", file: databasePathFromUrl(undefined) });
    expect(env.WEB_CONCURRENCY).toBeGreaterThanOrEqual(1);
    expect(env.WEB_CONCURRENCY).toBeLessThanOrEqual(4);
  });

  it("names exactly the variables of the README's configuration table", () => {
    const readme = fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), "..", "..", "README.md"), "utf8");
    const section = readme.split(/^## Configuration$/m)[1]!.split(/^## /m)[0]!;
    const documented = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]!);
    expect(Object.keys(envSchema.shape).sort()).toEqual(documented.sort());
  });

  it("reads the values it is given", () => {
    const env = checkEnv({
      DATABASE_URL: "file:///var/lib/ipr.db",
      PORT: "8080",
      BETTER_AUTH_SECRET: "x".repeat(32),
      BETTER_AUTH_URL: "https://ipr.example.cn/",
      AUTH_SECURE_COOKIES: "1",
      WEB_CONCURRENCY: "3",
      TRUST_PROXY: "0",
      MARKET_MIN_CASES: "25",
      CHROME_PATH: "/usr/bin/chromium",
      QUERY_READERS: "4",
      READ_CONCURRENCY: "8",
    });
    expect(env).toMatchObject({
      DATABASE_URL: { engine: "sqlite", file: "/var/lib/ipr.db" },
      PORT: 8080,
      BETTER_AUTH_URL: "https://ipr.example.cn",
      AUTH_SECURE_COOKIES: true,
      WEB_CONCURRENCY: 3,
      TRUST_PROXY: false,
      MARKET_MIN_CASES: 25,
      CHROME_PATH: "/usr/bin/chromium",
      QUERY_READERS: 4,
      READ_CONCURRENCY: 8,
    });
  });

  it("refuses each bad value with one sentence that names the variable and the value", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ DATABASE_URL: "mysql://db/ipr" }, /^DATABASE_URL "mysql:\/\/db\/ipr" is neither a SQLite file nor a PostgreSQL URL/],
      [{ DATABASE_URL: "postgres://db:0x/ipr" }, /^DATABASE_URL "postgres:\/\/db:0x\/ipr" is not a valid PostgreSQL URL/],
      [{ PORT: "http" }, /^PORT must be a number \(got "http"\)\.$/],
      [{ BETTER_AUTH_SECRET: "short" }, /^BETTER_AUTH_SECRET must be at least 32 characters \(it has 5\)/],
      [{ BETTER_AUTH_URL: "ipr.example.cn" }, /^BETTER_AUTH_URL must be an http or https address .*\(got "ipr\.example\.cn"\)\.$/],
      [{ BETTER_AUTH_URL: "ftp://ipr.example.cn" }, /^BETTER_AUTH_URL must be an http or https address/],
      [{ AUTH_SECURE_COOKIES: "yes" }, /^AUTH_SECURE_COOKIES must be 1 \(behind HTTPS\) or unset \(got "yes"\)\.$/],
      [{ TRUST_PROXY: "true" }, /^TRUST_PROXY must be 1 .* or unset \(got "true"\)\.$/],
      [{ WEB_CONCURRENCY: "0" }, /^WEB_CONCURRENCY must be a whole number from 1 to 64 \(got "0"\)\.$/],
      [{ MARKET_MIN_CASES: "2" }, /^MARKET_MIN_CASES must be a whole number from 3 to 1000 \(got "2"\)\.$/],
      [{ EXPORT_BUDGET_MS: "1.5" }, /^EXPORT_BUDGET_MS must be a whole number/],
      [{ QUERY_READERS: "33" }, /^QUERY_READERS must be a whole number from 1 to 32 \(got "33"\)\.$/],
      [{ READ_CONCURRENCY: "0" }, /^READ_CONCURRENCY must be a whole number from 1 to 1024 \(got "0"\)\.$/],
    ];
    for (const [env, message] of cases) {
      expect(() => checkEnv(env), JSON.stringify(env)).toThrow(ConfigError);
      expect(() => checkEnv(env), JSON.stringify(env)).toThrow(message);
    }
  });

  it("accepts a PostgreSQL DATABASE_URL for the app (npm start migrates it and serves)", () => {
    expect(checkEnv({ DATABASE_URL: "postgres://ipr:secret@db.internal:5432/ipr" }).DATABASE_URL).toEqual({ engine: "postgres", url: "postgres://ipr:secret@db.internal:5432/ipr" });
  });

  it("gives the accessors the same answers as the whole check", () => {
    const env = { AUTH_SECURE_COOKIES: "1", BETTER_AUTH_URL: "http://localhost:3000", MARKET_MIN_CASES: "" };
    expect(secureCookies(env)).toBe(true);
    expect(authBaseUrl(env)).toBe("http://localhost:3000");
    expect(marketMinCases(env)).toBe(10);
    expect(() => secureCookies({ AUTH_SECURE_COOKIES: "on" })).toThrow(ConfigError);
  });
});

describe("the e-mail settings", () => {
  it("takes smtp:// and smtps:// mail servers and refuses anything else with a sentence that hides the password", () => {
    expect(checkEnv({ SMTP_URL: "smtps://u:secret@smtp.example.cn:465" }).SMTP_URL).toBe("smtps://u:secret@smtp.example.cn:465");
    expect(() => checkEnv({ SMTP_URL: "http://u:secret@smtp.example.cn" })).toThrow(/SMTP_URL must be an smtp:\/\/ or smtps:\/\/ address/);
    expect(() => checkEnv({ SMTP_URL: "http://u:secret@smtp.example.cn" })).not.toThrow(/secret/);
  });

  it("builds links on APP_URL, else BETTER_AUTH_URL, else localhost and PORT", () => {
    expect(appUrl({ APP_URL: "https://ipr.example.cn/" })).toBe("https://ipr.example.cn");
    expect(appUrl({ BETTER_AUTH_URL: "https://auth.example.cn" })).toBe("https://auth.example.cn");
    expect(appUrl({ PORT: "8080" })).toBe("http://localhost:8080");
    expect(() => appUrl({ APP_URL: "ipr.example.cn" })).toThrow(/APP_URL must be an http or https address/);
  });

  it("takes a sender with or without a name", () => {
    expect(mailFrom({})).toBe(DEFAULT_MAIL_FROM);
    expect(mailFrom({ MAIL_FROM: "IPR <ipr@example.cn>" })).toBe("IPR <ipr@example.cn>");
    expect(() => mailFrom({ MAIL_FROM: "nobody" })).toThrow(/MAIL_FROM/);
  });
});
