import type { CaseInput, CaseValues } from "../../lib/case-definition";
import type { Engine } from "../engine";
import { loadStoredCase, writeCases } from "../writer";

// The admin's writes to one case: each a batch of one through THE writer (db/writer.ts), in
// one transaction with its links, search documents, audit entry and change-log rows (which
// the aggregate stores read), so none is seen half-done.

export {
  CaseNotFoundError, DuplicateCaseNoError, RecordationLinkError, UnknownReferenceError, VersionConflictError, type ReferenceField,
} from "../writer";
export type { CaseInput };

/** A live case as the edit form loads it: its values and the version the edit is made against. */
export type CaseForEdit = CaseValues & { version: number; updatedBy: string | null; updatedAt: number };

/**
 * Creates a case with its right holders, derived figures, search documents and audit entry.
 * Throws DuplicateCaseNoError, UnknownReferenceError or (`entered`: typed in the form, an
 * ex-officio case without a valid recordation) RecordationLinkError, having written nothing.
 */
export async function createCase(e: Engine, input: CaseInput, userId: string | null, options: { entered?: boolean } = {}): Promise<{ id: number; version: number }> {
  return (await writeCases(e, [{ op: "create", input }], { userId, entered: options.entered })).cases[0]!;
}

/**
 * Edits a live case made against `expectedVersion`. Refuses with VersionConflictError when
 * the case has changed since (naming who and when), CaseNotFoundError when it does not exist
 * or is deleted, DuplicateCaseNoError or UnknownReferenceError for bad input; in each case
 * nothing is written. The audit entry holds only the fields that changed, and the version.
 */
export async function updateCase(e: Engine, id: number, expectedVersion: number, input: CaseInput, userId: string | null): Promise<{ version: number }> {
  const { version } = (await writeCases(e, [{ op: "update", id, expectedVersion, input }], { userId })).cases[0]!;
  return { version };
}

/**
 * Soft-deletes a live case: it leaves every count, total, search and list, and can be restored.
 * With `expectedVersion` (the version the admin looked at), a case changed meanwhile is refused
 * with VersionConflictError naming who changed it and when.
 */
export async function softDeleteCase(e: Engine, id: number, userId: string | null, expectedVersion?: number): Promise<void> {
  await writeCases(e, [{ op: "delete", id, expectedVersion }], { userId });
}

/** Brings a soft-deleted case back, with its history. */
export async function restoreCase(e: Engine, id: number, userId: string | null): Promise<void> {
  await writeCases(e, [{ op: "restore", id }], { userId });
}

/** A live case's values for the edit form, with the version to send back; null when missing or deleted. */
export async function getCaseForEdit(e: Engine, id: number): Promise<CaseForEdit | null> {
  const stored = await loadStoredCase(e, id);
  if (!stored || stored.deletedAt !== null) return null;
  const { deletedAt: _d, ...values } = stored;
  return values;
}
