import type { Role } from "./enums";

// The access rules of DESIGN.md in one table: which role may do what. Pages, server actions,
// route handlers and the API all ask `can`; nothing is allowed by hiding a button.

export const PERMISSIONS = {
  /**
   * the dashboard, its filter bar and the reference pages: over every case for analysts and
   * admins, over their own company's cases only for members (see caseScope)
   */
  readAggregates: ["admin", "analyst", "member"],
  /** case records (table, detail, API): members see only their company's cases */
  readCases: ["admin", "analyst", "member"],
  /** exports of the case table */
  exportCases: ["admin", "analyst", "member"],
  /** customs IP recordations: staff read all, a member its own company's (see caseScope) */
  readRecordations: ["admin", "analyst", "member"],
  /** record a right, renew it, name its licensees and consignors: a member for its own company; admins for any */
  keepRecordations: ["admin", "member"],
  /** add files to a case: admins to any case, a member to its own company's cases (its files then seen by its company and customs only) */
  addAttachments: ["admin", "member"],
  /** authentication guides: admins all; customs officers those shared with all customs or their account's district; a member its own company's (see db/repo/guides.ts) */
  readGuides: ["admin", "analyst", "member"],
  /** write authentication guides and their photo pairs: a member for its own company, admins for any */
  keepGuides: ["admin", "member"],
  /** the officers' list of open procedure deadlines and the holiday calendar (customs staff; members see their own cases' procedure on the case) */
  readProcedure: ["admin", "analyst"],
  /** the Risk page: hot spots (issue 18, item 3) and risk profiles, customs staff only */
  readRisk: ["admin", "analyst"],
  /** one's own notifications (the header's bell, /notifications): every signed-in user; a member's are filtered by its scope again when read */
  readNotifications: ["admin", "analyst", "member"],
  /** one's saved views of the dashboard and the case table (/views): every signed-in user; shared ones with its own role (a member: its own company) */
  keepViews: ["admin", "analyst", "member"],
  /** risk profiles (/risk/profiles): define, edit and archive targeting rules, see their hits (customs staff; members never see a profile) */
  keepProfiles: ["admin", "analyst"],
  /** the inbox of detention notices on the own company's cases, and the answer to them (a right holder's people only) */
  answerNotices: ["member"],
  /** create, edit, delete and restore cases; record procedure steps and edit the holiday calendar; approve, revoke and edit recordations; right holders and offices; accounts; the audit log */
  write: ["admin"],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export type SessionUser = { id: string; email: string; name: string; role: Role; holderId: number | null };

/**
 * What a user may read, as one value passed to every read in db/queries: nothing for analysts
 * and admins (every case); for a member, the right holder(s) of its company. Every case, KPI,
 * chart, facet, reference figure and export a member receives is computed over the cases that
 * name its company, and over its own links of those cases only (another company on the same
 * case contributes neither its name, its id nor its industry).
 */
export type Scope = { restrictToHolders?: number[] };

export function caseScope(user: SessionUser): Scope {
  return user.role === "member" ? { restrictToHolders: user.holderId === null ? [] : [user.holderId] } : {};
}

/** Whether a scope limits reads to some right holders' cases (a member's). */
export function isRestricted(scope: Scope): scope is { restrictToHolders: number[] } {
  return scope.restrictToHolders !== undefined;
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
