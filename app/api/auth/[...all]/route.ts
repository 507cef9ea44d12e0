import { NextResponse } from "next/server";
import { authRouteHandlers, deviceSetCookie, signInAttempt, signInFailed, signInSucceeded } from "@/db/repo/accounts";
import { authBaseUrl } from "@/lib/env";
import { crossSite, sameOrigin } from "../../respond";

// better-auth's own endpoints (/api/auth/sign-in/email, /api/auth/sign-out, …) for tools and
// scripts; the pages use server actions. Sign-up is disabled in the configuration.

export const dynamic = "force-dynamic";

const handlers = authRouteHandlers;

/**
 * The request as better-auth should see it: at the host the client sent it to. Next names its
 * own hostname ("localhost") in request.url, and without BETTER_AUTH_URL better-auth takes
 * the app's origin, the one origin its callbacks may lead to, from that URL.
 */
function atOwnHost(request: Request): Request {
  if (authBaseUrl()) return request;
  const host = request.headers.get("host");
  const url = new URL(request.url);
  if (!host || url.host === host || !/^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i.test(host)) return request;
  url.host = host;
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new Request(url, { method: request.method, headers: request.headers, body: hasBody ? request.body : undefined, signal: request.signal, ...(hasBody ? { duplex: "half" } : {}) } as RequestInit);
}

export function GET(request: Request) {
  return handlers().GET(atOwnHost(request));
}

export async function POST(original: Request) {
  const request = atOwnHost(original);
  // better-auth trusts any https origin with a dynamic base URL: refuse cross-site POSTs here
  if (!sameOrigin(request)) return crossSite();
  if (!new URL(request.url).pathname.endsWith("/sign-in/email")) return handlers().POST(request);
  // sign-in: slowed down after repeated failures for the same address or client
  let email = "";
  try {
    email = String(((await request.clone().json()) as { email?: unknown }).email ?? "");
  } catch {
    return NextResponse.json({ error: "invalid_body", message: "Send JSON: {\"email\": …, \"password\": …}." }, { status: 400 });
  }
  const attempt = await signInAttempt(email, request.headers);
  const wait = attempt.wait;
  if (wait > 0) {
    return NextResponse.json(
      { error: "too_many_attempts", message: `Too many failed sign-ins; try again in ${wait} s.` },
      { status: 429, headers: { "Retry-After": String(wait) } },
    );
  }
  const response = await handlers().POST(request);
  if (response.status === 401) await signInFailed(attempt);
  if (response.status !== 200) return response;
  const device = await signInSucceeded(attempt);
  // a device cookie for this client: others' failed guesses no longer lock it out (db/auth.ts)
  const signedIn = new Response(response.body, response);
  signedIn.headers.append("Set-Cookie", deviceSetCookie(device));
  return signedIn;
}
