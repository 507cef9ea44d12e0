import "server-only";
import { NextResponse } from "next/server";
import { ConfigError } from "@/lib/env";
import { classifyDbError, DB_FAULT_MESSAGES, DB_FAULT_RETRY_AFTER, type DbFault } from "@/lib/db-errors";
import { describeIgnored, type Ignored } from "@/lib/filters";
import { isQueryTimeout, QUERY_TIMEOUT_MESSAGE, QUERY_TIMEOUT_RETRY_AFTER } from "@/lib/query-budget";

// JSON answers of the API: errors name what was wrong and never carry a stack trace.

export function badParameter(ignored: Ignored[]): NextResponse {
  const first = ignored[0]!;
  return NextResponse.json(
    {
      error: "invalid_parameter",
      parameter: first.parameter,
      value: first.value,
      message: describeIgnored(first),
      problems: ignored.map((i) => ({ parameter: i.parameter, value: i.value, message: describeIgnored(i) })),
    },
    { status: 400 },
  );
}

export function notFound(message = "No such case."): NextResponse {
  return NextResponse.json({ error: "not_found", message }, { status: 404 });
}

/** Runs a handler; an unexpected failure is logged and answered with a plain 500 or 503. */
export async function guarded(handler: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    if (isQueryTimeout(error)) {
      console.error(error.message);
      return queryTimeout();
    }
    console.error(error);
    if (error instanceof ConfigError) {
      return NextResponse.json({ error: "unavailable", message: "The case database is not available." }, { status: 503 });
    }
    const fault = classifyDbError(error);
    if (fault) return dbFault(fault);
    return NextResponse.json({ error: "internal", message: "The request could not be completed." }, { status: 500 });
  }
}

/** The host the client addressed: the first X-Forwarded-Host behind a reverse proxy, else Host. */
function requestHost(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return (forwarded || headers.get("host") || "").toLowerCase() || null;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Whether a state-changing request comes from this site's own pages (CSRF): its Origin (or,
 * without one, its Referer) must name the host the request was sent to. A browser always
 * sends Origin with a cross-site POST, and a page cannot forge it. A request with neither
 * header is refused when it carries cookies (the credential a forged request would ride on);
 * without cookies there is nothing to abuse, and the handler's own sign-in check answers.
 */
export function sameOrigin(request: Request): boolean {
  const headers = request.headers;
  if (headers.get("sec-fetch-site") === "cross-site") return false;
  const host = requestHost(headers);
  const origin = headers.get("origin");
  if (origin !== null) return origin !== "null" && host !== null && hostOf(origin) === host;
  const referer = headers.get("referer");
  if (referer) return host !== null && hostOf(referer) === host;
  return !headers.get("cookie");
}

/** The answer to a request that failed `sameOrigin`. */
export function crossSite(): NextResponse {
  return NextResponse.json(
    { error: "cross_site", message: "This request must come from the tracker's own pages." },
    { status: 403 },
  );
}

/**
 * A database fault (lib/db-errors.ts) as a 503 with its kind — "busy", "read_only",
 * "disk_full" or "unavailable" — one sentence, and when to try again; nothing was written.
 */
export function dbFault(fault: DbFault): NextResponse {
  return NextResponse.json(
    { error: fault, message: DB_FAULT_MESSAGES[fault] },
    { status: 503, headers: { "Retry-After": String(DB_FAULT_RETRY_AFTER[fault]) } },
  );
}

/** A read stopped at its time budget (db/budget): 503, and when to ask again. */
export function queryTimeout(): NextResponse {
  return NextResponse.json(
    { error: "timeout", message: QUERY_TIMEOUT_MESSAGE },
    { status: 503, headers: { "Retry-After": String(QUERY_TIMEOUT_RETRY_AFTER), "Cache-Control": "no-store" } },
  );
}
