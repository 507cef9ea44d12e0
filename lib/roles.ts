import type { Role } from "./enums";

// The access rules of DESIGN.md in one table: which role may do what. Pages, server actions,
// route handlers and the API all ask `can`; nothing is allowed by hiding a button.

export const PERMISSIONS = {
  /** dashboards, reference pages, aggregates over all cases */
  readAggregates: ["admin", "analyst", "member"],
  /** case records (table, detail, API): members see only their company's cases */
  readCases: ["admin", "analyst", "member"],
  /** exports of the case table */
  exportCases: ["admin", "analyst", "member"],
  /** create, edit, delete and restore cases; right holders and offices; accounts; the audit log */
  write: ["admin"],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export type SessionUser = { id: string; email: string; name: string; role: Role; holderId: number | null };

/** The case-record restriction of a user: members see only cases naming their company. */
export function caseScope(user: SessionUser): { restrictToHolders?: number[] } {
  return user.role === "member" ? { restrictToHolders: user.holderId === null ? [] : [user.holderId] } : {};
}

/** A made-up origin to resolve a path against: whatever keeps it, stayed on this site. */
const PROBE_ORIGIN = "http://x.invalid";

/**
 * A path inside this site to come back to after signing in (anything else becomes "/"),
 * normalised the way a browser reads it (percent-encoded: a valid Location header).
 * Refused: another origin in any spelling ("//evil", "/\\evil", "https:…"); a control
 * character anywhere (a raw newline cannot go into a Location header); and whitespace
 * (Unicode's too) or a backslash in the path, as sent or %-decoded, since browsers strip or
 * rewrite those ("/\t/evil" is "//evil" to them). The query may hold spaces ("q=a b").
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > 16_384 || !next.startsWith("/") || next.startsWith("//")) return "/";
  if (CONTROL.test(next)) return "/";
  const path = next.split(/[?#]/, 1)[0]!;
  let decodedPath: string;
  try {
    decodedPath = decodeURIComponent(path);
  } catch {
    return "/";
  }
  if (UNSAFE_IN_PATH.test(path) || UNSAFE_IN_PATH.test(decodedPath) || decodedPath.startsWith("//")) return "/";
  let url: URL;
  try {
    url = new URL(next, PROBE_ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== PROBE_ORIGIN || !url.pathname.startsWith("/") || url.pathname.startsWith("//")) return "/";
  return url.pathname + url.search + url.hash;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const UNSAFE_IN_PATH = /[\u0000-\u001f\u007f-\u009f\\\s\u200b-\u200f\u2028-\u202f\u2060\ufeff]/u;
