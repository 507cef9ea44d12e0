import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { NextResponse } from "next/server";
import { cache } from "react";
import { sessionUserOf } from "@/db/repo/accounts";
import { bearerUser } from "@/db/repo/tokens";
import { isRole, type Role } from "@/lib/enums";
import { can, caseScope, safeNext, type Permission, type Scope, type SessionUser } from "@/lib/roles";

// Who is asking, for pages, server actions and route handlers. Every entry point calls one
// of these before it reads or writes anything.

function toSessionUser(user: Record<string, unknown> | undefined): SessionUser | null {
  if (!user || !isRole(user.role)) return null;
  return {
    id: String(user.id),
    email: String(user.email),
    name: String(user.name),
    role: user.role as Role,
    holderId: typeof user.holderId === "number" ? user.holderId : null,
  };
}

/** The signed-in user of this request, or null. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  return toSessionUser(await sessionUserOf(await headers()));
});

/** For pages: the signed-in user with the permission; otherwise to the login page (and back), or 403. */
export async function requirePageUser(permission: Permission, path: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(safeNext(path))}`);
  if (!can(user.role, permission)) forbidden();
  return user;
}

/**
 * For generateMetadata: the signed-in user when the permission allows the page, else null.
 * A page's title is data too (a case number, a company's name): it is loaded only for a user
 * the page itself would serve, so a redirect or 403 leaks nothing through <title>.
 */
export async function metadataUser(permission: Permission): Promise<SessionUser | null> {
  const user = await currentUser();
  return user && can(user.role, permission) ? user : null;
}

/** A page's path with its query, to come back to after signing in. */
export function pathWithQuery(path: string, searchParams: Record<string, string | string[] | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(searchParams)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(name, v);
  }
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

const unauthorized = (error: string, message: string) =>
  NextResponse.json({ error, message }, { status: 401, headers: { "WWW-Authenticate": `Bearer error="invalid_token"` } });

/**
 * The user of a request with `Authorization: Bearer <token>` (a personal API token, db/tokens.ts),
 * or the 401 to answer; undefined when the request carries no such header (then the session
 * cookie counts). A token stands for its user with exactly that user's role and scope.
 */
async function bearerOf(request: Request): Promise<SessionUser | NextResponse | undefined> {
  const header = request.headers.get("authorization");
  if (header === null) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return unauthorized("invalid_token", "The Authorization header must be \"Bearer <token>\".");
  const check = await bearerUser(match[1]!);
  if (check.ok) return toSessionUser(check.user) ?? unauthorized("invalid_token", "This API token is not valid.");
  if (check.reason === "expired") {
    return unauthorized("token_expired", `This API token expired on ${new Date(check.at!).toISOString()}; create a new one on /account.`);
  }
  if (check.reason === "revoked") {
    return unauthorized("token_revoked", `This API token was revoked on ${new Date(check.at!).toISOString()}; create a new one on /account.`);
  }
  return unauthorized("invalid_token", "This API token is not valid.");
}

/**
 * For route handlers: the user, or the JSON answer to send instead (401 or 403). `bearer`: a
 * personal API token may stand for the user (the reading routes, through requireApiReader);
 * writes, pages and server actions take the session cookie only.
 */
export async function requireApiUser(request: Request, permission: Permission, bearer = false): Promise<SessionUser | NextResponse> {
  const fromToken = bearer ? await bearerOf(request) : undefined;
  if (fromToken instanceof NextResponse) return fromToken;
  const user = fromToken ?? toSessionUser(await sessionUserOf(request.headers));
  if (!user) return NextResponse.json({ error: "unauthenticated", message: "Sign in first." }, { status: 401 });
  if (!can(user.role, permission)) {
    return NextResponse.json({ error: "forbidden", message: "Your role does not allow this." }, { status: 403 });
  }
  return user;
}

/**
 * For every page and route handler that reads cases or figures: the user and the scope of
 * what they may read (lib/roles.ts caseScope), which goes into every read of db/repo.
 * The one place where a member's scope is taken from the session (or, on the API, from the
 * personal token's user: the same role and scope).
 */
export type Reader = { user: SessionUser; scope: Scope };

export async function requirePageReader(permission: Permission, path: string): Promise<Reader> {
  const user = await requirePageUser(permission, path);
  return { user, scope: caseScope(user) };
}

export async function requireApiReader(request: Request, permission: Permission): Promise<Reader | NextResponse> {
  const user = await requireApiUser(request, permission, true);
  return user instanceof NextResponse ? user : { user, scope: caseScope(user) };
}

/** The scope of the signed-in user (for generateMetadata, which runs beside the page); null when signed out. */
export async function currentScope(permission: Permission): Promise<Scope | null> {
  const user = await metadataUser(permission);
  return user ? caseScope(user) : null;
}
