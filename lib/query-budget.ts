// The time budget of a read on a request path (db/budget): past it the reader process is
// killed, the work truly stops, and the user is answered 503 with Retry-After. No I/O here:
// the error page (a client component) reads the digest too. The settings are in lib/env.ts.

/** What Next.js carries to the error page (it keeps a digest the error already has). */
export const QUERY_TIMEOUT_DIGEST = "QUERY_TIMEOUT";

/** Seconds a client should wait before asking the same heavy question again. */
export const QUERY_TIMEOUT_RETRY_AFTER = 30;

export const QUERY_TIMEOUT_MESSAGE =
  "The request took longer than the server allows and was stopped. Narrow the filters, or try again later.";

export class QueryTimeoutError extends Error {
  override name = "QueryTimeoutError";
  readonly digest = QUERY_TIMEOUT_DIGEST;
  readonly code = QUERY_TIMEOUT_DIGEST;
  constructor(
    readonly read: string,
    readonly budgetMs: number,
    readonly stage: "queued" | "running" = "running",
  ) {
    super(`The read "${read}" was stopped after ${budgetMs} ms ${stage === "queued" ? "waiting for a reader" : "of work"}.`);
  }
}

export function isQueryTimeout(error: unknown): error is QueryTimeoutError {
  return error instanceof QueryTimeoutError || (typeof error === "object" && error !== null && (error as { digest?: unknown }).digest === QUERY_TIMEOUT_DIGEST);
}
