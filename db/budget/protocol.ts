// Messages between a server process and its reader processes (db/budget). Errors cross as
// plain data and are made into the same classes again on the server's side, so that a
// SQLite fault still answers as that fault (lib/db-errors.ts) and a bad DATABASE_URL as a
// ConfigError.

export type ToReader =
  | { t: "run"; id: number; name: string; args: unknown[] }
  | { t: "open"; id: number; name: string; args: unknown[] }
  | { t: "pull"; id: number; rows: number }
  | { t: "close"; id: number };

export type FromReader =
  /** connected to the database; the aggregate store is loading */
  | { t: "started" }
  /** the store is loaded: reads may come */
  | { t: "ready" }
  | { t: "fatal"; error: WireError }
  | { t: "done"; id: number; value: unknown }
  | { t: "fail"; id: number; error: WireError }
  | { t: "rows"; id: number; keys: string[]; json: string; done: boolean };

export type WireError = { kind: "sqlite" | "config" | "other"; name: string; message: string; code?: string; stack?: string };

export function toWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { kind: "other", name: "Error", message: String(error) };
  // a driver's error wrapped by drizzle (DrizzleQueryError): the driver's own, with its code
  const cause = (error as { cause?: unknown }).cause;
  if ((error as { code?: unknown }).code === undefined && cause instanceof Error && typeof (cause as { code?: unknown }).code === "string") return toWire(cause);
  const code = (error as { code?: unknown }).code;
  const sqlite = typeof code === "string" && code.startsWith("SQLITE_");
  return {
    kind: sqlite ? "sqlite" : error.name === "ConfigError" ? "config" : "other",
    name: error.name,
    message: error.message,
    code: typeof code === "string" ? code : undefined,
    stack: error.stack,
  };
}
