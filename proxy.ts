import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { sessionSecret } from "@/db/repo/accounts";
import { secureCookies } from "@/lib/env";
import { verifySigned } from "@/lib/signed-cookie";

// Two jobs, before any page or route runs:
//
// 1. Security headers. Every page gets a Content-Security-Policy with a fresh nonce: Next
//    reads the nonce from the request's CSP header and puts it on its own scripts, so only
//    those run ('strict-dynamic' lets them load the bundles they need). The API gets a policy
//    that allows nothing (it answers JSON and files, never pages). The headers that do not
//    change per request (nosniff, frame and referrer policy, …) come from next.config.js,
//    which covers Next's static files too.
// 2. A first, cheap gate: a page request without a session cookie that this server signed (its
//    HMAC checked against the auth secret; "session_token=x" is not one) goes to the login
//    page (and comes back afterwards) with a real redirect. Whether the session is still
//    valid, and what the user's role allows, every page, metadata function, action and route
//    handler checks on the server itself.
// 3. The API's answers hold case data: never kept by a browser or a shared cache
//    (Cache-Control: private, no-store), whatever the route handler says.

/** Behind HTTPS (the same switch that makes the session cookie Secure). */
const secure = () => secureCookies();

function pagePolicy(nonce: string, options: { dev?: boolean; secure?: boolean } = {}): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code to rebuild server stacks; production never does
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    // style attributes (React, Recharts): a nonce here would switch 'unsafe-inline' off
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.secure ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

// sandbox: a stored file served by the API (a case's attachment, a mark image) runs nothing even
// if a browser were made to open it as a page; this policy replaces the route's own, so it must
// say everything the file routes need
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

const HSTS = "max-age=31536000";

function withHeaders(response: NextResponse, policy: string): NextResponse {
  response.headers.set("Content-Security-Policy", policy);
  if (secure()) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
}

const API_CACHE_CONTROL = "private, no-store";

/** Whether the request carries a session cookie signed with this server's secret (not whether the session is still open). */
async function signedSession(request: NextRequest): Promise<boolean> {
  return verifySigned(getSessionCookie(request), await sessionSecret()) !== null;
}

const isLoginPage = (pathname: string) => pathname === "/login" || pathname.startsWith("/login/");
/** a digest's unsubscribe link works without signing in: its token is the proof (app/unsubscribe) */
const isUnsubscribeLink = (pathname: string) => pathname.startsWith("/unsubscribe/");

/** An address whose percent-encoding does not decode ("/api/cases/%"): Next would answer 500. */
function malformed(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (malformed(pathname)) {
    return withHeaders(
      NextResponse.json({ error: "bad_request", message: "The address is not valid: it has a broken %-escape." }, { status: 400 }),
      API_POLICY,
    );
  }
  // route handlers answer 401/403 themselves
  if (pathname.startsWith("/api/")) {
    const response = withHeaders(NextResponse.next(), API_POLICY);
    response.headers.set("Cache-Control", API_CACHE_CONTROL);
    return response;
  }

  const nonce = newNonce();
  const policy = pagePolicy(nonce, { dev: process.env.NODE_ENV === "development", secure: secure() });

  if (!isLoginPage(pathname) && !isUnsubscribeLink(pathname) && !(await signedSession(request))) {
    const next = pathname + request.nextUrl.search;
    const login = new URL("/login", request.url);
    if (next !== "/") login.searchParams.set("next", next);
    return withHeaders(NextResponse.redirect(login), policy);
  }

  // Next takes the nonce for its scripts from the CSP request header
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), policy);
}

export const config = {
  // everything but Next's build output and the icons (next.config.js gives those their
  // headers), and the uploads (the import, a case's attachments): the proxy would buffer their
  // bodies and cut them at 10 MB (Next's proxyClientMaxBodySize); those routes read at most
  // 50 MB and 20 MB themselves, streaming, and next.config.js gives them the API's headers (a
  // case id of digits only: any other address, a broken %-escape too, still meets the proxy)
  matcher: ["/((?!_next/static/|_next/image|icon\\.svg|favicon\\.ico|api/admin/import$|api/cases/[0-9]+/attachments$|api/guides/[0-9]+/pairs$).*)"],
};
