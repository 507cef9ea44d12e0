import "server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { AccountError, userLabels } from "@/db/repo/accounts";
import { CaseNotFoundError, DuplicateCaseNoError, RecordationLinkError, UnknownReferenceError, VersionConflictError } from "@/db/repo/cases";
import { StatusFollowsStepsError } from "@/db/repo/procedure";
import { can, type Permission, type SessionUser } from "@/lib/roles";
import { classifyDbError, retryingBusy, type DbFault } from "@/lib/db-errors";
import { currentUser } from "../session";

// The one wrapper every server action goes through:
//   session → role → zod parse of the input → one write (a transaction, by db/repo)
// Bad input comes back as field-level error codes (translated by the form) with the values
// the user typed, so nothing they entered is lost; nothing is written unless all is valid.

/** An error code for a field, with values for its message ("min" with { min: 1 }). */
export type FieldError = { code: string; params?: Record<string, string | number> };

export type ActionFailure = {
  ok: false;
  error: "unauthenticated" | "forbidden" | "invalid" | "conflict" | "not_found" | "unavailable" | "failed";
  /** an error code of the whole form (translated by the form), e.g. "conflict"; with "unavailable", the DbFault */
  code?: string;
  params?: Record<string, string | number>;
  fieldErrors?: Record<string, FieldError>;
  /** what the user sent, to put back in the form */
  values?: Record<string, unknown>;
};
export type ActionResult<T> = { ok: true; data: T } | ActionFailure;

/** Thrown by an action's body to refuse with a field error found while writing. */
export class FieldProblem extends Error {
  constructor(
    readonly field: string,
    readonly problem: FieldError,
  ) {
    super(`${field}: ${problem.code}`);
  }
}

/** FormData to a plain object: repeated names become arrays; names ending in [] are always arrays. */
export function formToObject(form: FormData): Record<string, unknown> {
  // collected in a Map: names such as "constructor", "toString" or "__proto__" are data here,
  // not the plain object's inherited members (Object.fromEntries makes them own properties)
  const out = new Map<string, string | string[]>();
  for (const [rawName, value] of form.entries()) {
    if (rawName.startsWith("$ACTION")) continue;
    if (typeof value !== "string") continue; // files go through their own routes
    const list = rawName.endsWith("[]");
    const name = list ? rawName.slice(0, -2) : rawName;
    const known = out.get(name);
    if (known === undefined) out.set(name, list ? [value] : value);
    else if (Array.isArray(known)) known.push(value);
    else out.set(name, [known, value]);
  }
  return Object.fromEntries(out);
}

function zodFieldErrors(error: z.ZodError): Record<string, FieldError> {
  const out: Record<string, FieldError> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "_form");
    if (out[field]) continue;
    // custom messages are codes ("future", "required"); others take zod's issue code
    const code = issue.message && /^[a-z_]+$/.test(issue.message) ? issue.message : issue.code;
    const params: Record<string, string | number> = {};
    if ("minimum" in issue && typeof issue.minimum !== "object") params.min = Number(issue.minimum);
    if ("maximum" in issue && typeof issue.maximum !== "object") params.max = Number(issue.maximum);
    out[field] = { code, params };
  }
  return out;
}

/** Known refusals of the write layer as answers the form can show. */
function knownFailure(error: unknown, values: Record<string, unknown>): ActionFailure | null {
  if (error instanceof FieldProblem) return { ok: false, error: "invalid", fieldErrors: { [error.field]: error.problem }, values };
  if (error instanceof DuplicateCaseNoError) {
    return { ok: false, error: "invalid", fieldErrors: { caseNo: { code: "taken", params: { caseNo: error.caseNo } } }, values };
  }
  if (error instanceof UnknownReferenceError) {
    const code = Array.isArray(error.value) && error.value.length === 0 ? "required" : "unknown";
    return { ok: false, error: "invalid", fieldErrors: { [error.field]: { code, params: { value: String(error.value) } } }, values };
  }
  if (error instanceof StatusFollowsStepsError) {
    return { ok: false, error: "invalid", fieldErrors: { status: { code: "follows_steps", params: { status: error.status } } }, values };
  }
  if (error instanceof RecordationLinkError) {
    return { ok: false, error: "invalid", fieldErrors: { [error.field]: { code: error.code, params: { ...error.params } } }, values };
  }
  if (error instanceof AccountError) return { ok: false, error: "invalid", fieldErrors: { [error.field]: { code: "account", params: { message: error.message } } }, values };
  if (error instanceof VersionConflictError) {
    return {
      ok: false,
      error: "conflict",
      code: "conflict",
      params: { user: error.current.updatedBy ?? "—", at: new Date(error.current.updatedAt).toISOString(), version: error.current.version },
      values,
    };
  }
  if (error instanceof CaseNotFoundError) return { ok: false, error: "not_found", code: "not_found", values };
  return null;
}

/**
 * A database fault (lib/db-errors.ts): busy after busy_timeout, read-only, disk full, or
 * unavailable. Nothing was written (the transaction rolled back); the form keeps the values.
 */
export function dbFaultFailure(fault: DbFault, values?: Record<string, unknown>): ActionFailure {
  return { ok: false, error: "unavailable", code: fault, values };
}

type ActionOptions<S extends z.ZodType> = {
  permission: Permission;
  schema: S;
  /** paths whose pages show what changed (the whole app by default) */
  revalidate?: string[];
};

/** session → role → zod, shared by both kinds of action; then the body, its known refusals, and revalidation. */
function wrap<S extends z.ZodType, T>(
  options: ActionOptions<S>,
  body: (input: z.infer<S>, context: { user: SessionUser }) => T | Promise<T>,
) {
  return async (_previous: ActionResult<T> | null, input: FormData | Record<string, unknown>): Promise<ActionResult<T>> => {
    const submitted = input instanceof FormData ? formToObject(input) : input;
    // what goes back to the form on a refusal: never a password
    const values = Object.fromEntries(Object.entries(submitted).filter(([name]) => !/password/i.test(name)));
    const user = await currentUser();
    if (!user) return { ok: false, error: "unauthenticated", code: "unauthenticated", values };
    if (!can(user.role, options.permission)) return { ok: false, error: "forbidden", code: "forbidden" };
    const parsed = options.schema.safeParse(submitted);
    if (!parsed.success) return { ok: false, error: "invalid", fieldErrors: zodFieldErrors(parsed.error), values };
    let data: T;
    try {
      data = await body(parsed.data, { user });
    } catch (error) {
      if (error instanceof VersionConflictError && error.current.updatedBy) {
        // name who changed it by their email, not their id
        error.current.updatedBy = (await userLabels([error.current.updatedBy])).get(error.current.updatedBy) ?? error.current.updatedBy;
      }
      const known = knownFailure(error, values);
      if (known) return known;
      console.error(error);
      const fault = classifyDbError(error);
      if (fault) return dbFaultFailure(fault, values);
      return { ok: false, error: "failed", code: "failed", values };
    }
    for (const path of options.revalidate ?? ["/"]) revalidatePath(path, "layout");
    return { ok: true, data };
  };
}

export function defineAction<S extends z.ZodType, T>(
  options: ActionOptions<S> & {
    /** the write: one transaction (a db/repo write function) */
    run: (input: z.infer<S>, context: { user: SessionUser }) => T | Promise<T>;
  },
) {
  // a write is one transaction: safe to try again after an early busy refusal
  return wrap(options, (input, context) => retryingBusy(() => options.run(input, context)));
}

/**
 * The same wrapper for the few writes that must await something slow before their
 * transaction (password hashing by better-auth): not tried again when the database is busy,
 * so that the slow part is not repeated.
 */
export function defineAsyncAction<S extends z.ZodType, T>(
  options: ActionOptions<S> & {
    run: (input: z.infer<S>, context: { user: SessionUser }) => Promise<T>;
  },
) {
  return wrap(options, options.run);
}
