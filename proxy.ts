import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";

// A first, cheap gate: a page request without a session cookie goes to the login page (and
// comes back afterwards) with a real redirect. Whether the session is valid, and what the
// user's role allows, every page, action and route handler checks on the server itself.

export function proxy(request: NextRequest) {
  if (getSessionCookie(request)) return NextResponse.next();
  const next = request.nextUrl.pathname + request.nextUrl.search;
  const login = new URL("/login", request.url);
  if (next !== "/") login.searchParams.set("next", next);
  return NextResponse.redirect(login);
}

export const config = {
  // pages only: not the login page, the API (it answers 401 itself), Next's files or the icon
  matcher: ["/((?!login|api/|_next/|icon\\.svg|favicon\\.ico).*)"],
};
