import { describe, expect, it } from "vitest";
import { ConfigError, databasePathFromUrl, exportBudgetMs, portFromEnv, queryBudgetMs, queryReaders } from "../../lib/env";

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

  it("refuses URLs that name no SQLite file, with a sentence", () => {
    expect(() => databasePathFromUrl("postgres://db/ipr")).toThrow(ConfigError);
    expect(() => databasePathFromUrl("postgres://db/ipr")).toThrow(/is not a SQLite file URL/);
    expect(() => databasePathFromUrl("file::memory:")).toThrow(/names no file/);
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
