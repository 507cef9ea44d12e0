import path from "node:path";
import { z } from "zod";

// The environment, checked once: a bad value stops start-up with one clear sentence.

export class ConfigError extends Error {
  override name = "ConfigError";
}

export const DEFAULT_DATABASE_URL = "file:data/ipr.db";

const portSchema = z.coerce
  .number({ error: "PORT must be a number" })
  .int("PORT must be a whole number")
  .min(1, "PORT must be between 1 and 65535")
  .max(65535, "PORT must be between 1 and 65535");

/** Turns DATABASE_URL (`file:data/ipr.db`, `file:///abs/x.db` or a plain path) into an absolute file path. */
export function databasePathFromUrl(url: string | undefined, cwd = process.cwd()): string {
  const raw = (url ?? "").trim() || DEFAULT_DATABASE_URL;
  let file = raw;
  if (raw.startsWith("file://")) file = raw.slice("file://".length);
  else if (raw.startsWith("file:")) file = raw.slice("file:".length);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new ConfigError(`DATABASE_URL "${raw}" is not a SQLite file URL: use file:path/to/ipr.db.`);
  }
  file = file.split("?")[0]!;
  if (!file || file === ":memory:") {
    throw new ConfigError(`DATABASE_URL "${raw}" names no file: use file:path/to/ipr.db.`);
  }
  return path.resolve(cwd, file);
}

/** Whether `file` is the default database (data/ipr.db): the only one that start-up creates and fills with demo data. */
export function isDefaultDatabase(file: string, cwd = process.cwd()): boolean {
  return path.resolve(cwd, file) === databasePathFromUrl(undefined, cwd);
}

export function portFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 3000;
  const parsed = portSchema.safeParse(value);
  if (!parsed.success) throw new ConfigError(`${parsed.error.issues[0]!.message} (got "${value}").`);
  return parsed.data;
}
