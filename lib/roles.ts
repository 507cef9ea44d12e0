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

/** A path inside this site to come back to after signing in (anything else becomes "/"). */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next;
}
