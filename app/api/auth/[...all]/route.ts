import { toNextJsHandler } from "better-auth/next-js";
import { NextResponse } from "next/server";
import { getAuth, getDb } from "@/db/client";
import { clearSignInFailures, recordSignInFailure, signInDelay, signInKeys } from "@/db/auth";
import { crossSite, sameOrigin } from "../../respond";

// better-auth's own endpoints (/api/auth/sign-in/email, /api/auth/sign-out, …) for tools and
// scripts; the pages use server actions. Sign-up is disabled in the configuration.

export const dynamic = "force-dynamic";

const handlers = () => toNextJsHandler(getAuth());

export function GET(request: Request) {
  return handlers().GET(request);
}

export async function POST(request: Request) {
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
  const db = getDb();
  const keys = signInKeys(email, request.headers);
  const wait = Math.max(...keys.map(([key, free]) => signInDelay(db, key, free)));
  if (wait > 0) {
    return NextResponse.json(
      { error: "too_many_attempts", message: `Too many failed sign-ins; try again in ${wait} s.` },
      { status: 429, headers: { "Retry-After": String(wait) } },
    );
  }
  const response = await handlers().POST(request);
  if (response.status === 200) clearSignInFailures(db, keys[0]![0]);
  else if (response.status === 401) for (const [key] of keys) recordSignInFailure(db, key);
  return response;
}
