import "server-only";
import { budgetedRead, budgetedRows } from "../budget";
import { getEngine } from "../client";
import {
  createCase as writeNewCase, getCaseForEdit as loadCaseForEdit, restoreCase as writeRestore,
  softDeleteCase, updateCase as writeUpdate, type CaseForEdit,
} from "../mutations/cases";
import { caseFormChoices as loadChoices, caseNumberOf as loadCaseNumber, historyNames as loadHistoryNames, listDeletedCases as loadDeleted } from "../queries/admin";
import type { CaseFormChoices as BaseChoices, DeletedCase, HistoryNames } from "../queries/admin";
import { recordationChoices, type RecordationChoice } from "../queries/recordations";
import { filterNames as loadFilterNames, getCase as loadCase, type CaseDetail, type CasePage, type CaseRow } from "../queries/cases";
import type { CaseInput } from "../../lib/case-schema";
import type { ExportRow } from "../../lib/export-columns";
import type { FilterNames } from "../../lib/filter-labels";
import type { CaseQuery, Filters, Sort } from "../../lib/filters";
import type { Scope } from "../../lib/roles";
import { started } from "./started";
import { casePartiesForDisplay, type ShownParty } from "../parties";

// Cases: the table, one case, its edit form, the names its filter chips show, the export,
// and the admin's writes (create, edit, delete, restore) through the one writer.

export { CaseNotFoundError, DuplicateCaseNoError, RecordationLinkError, UnknownReferenceError, VersionConflictError } from "../mutations/cases";
export type { CaseDetail, CaseForEdit, CasePage, CaseRow, DeletedCase, HistoryNames };
export type { HolderChoice } from "../queries/admin";

// ---- reads -------------------------------------------------------------------------------

/** One page of the case table, within the time budget. */
export function listCases(scope: Scope, query: CaseQuery): Promise<CasePage> {
  return budgetedRead("listCases", query, scope);
}

/** One case with its history, or null when missing, deleted or outside the scope. */
export async function getCase(scope: Scope, id: number): Promise<CaseDetail | null> {
  return loadCase(getEngine(), id, scope);
}

/** A case's parties with a natural person's identity number in full: for an admin's page only (everyone else gets getCase's masked parties). */
export async function casePartiesInFull(id: number): Promise<ShownParty[]> {
  return casePartiesForDisplay(getEngine(), id, { full: true });
}

/** The names the filter chips show for the codes and ids in the filters (a member: its own company's only). */
export function filterNames(scope: Scope, filters: Filters): Promise<FilterNames> {
  return started(loadFilterNames(getEngine(), filters, scope));
}

/**
 * Every case of the filtered set for an export, a chunk at a time, each chunk within the time
 * budget; a read that cannot start in time throws before any row (a 503).
 */
export function exportRows(scope: Scope, filters: Filters, sort: Sort): Promise<{ rows: AsyncIterator<ExportRow>; close: () => void }> {
  return budgetedRows("exportRows", filters, sort, scope);
}

/** A live case's values for the edit form, with its version; null when missing or deleted. */
export async function getCaseForEdit(id: number): Promise<CaseForEdit | null> {
  return loadCaseForEdit(getEngine(), id);
}

/** What the case form offers: offices, campaigns, right holders and their recordations. */
export type CaseFormChoices = BaseChoices & { recordations: RecordationChoice[] };

/** The offices, campaigns, right holders and recordations the case form offers. */
export async function caseFormChoices(): Promise<CaseFormChoices> {
  const e = getEngine();
  return { ...(await loadChoices(e)), recordations: await recordationChoices(e) };
}

/** The names of the offices, holders and campaigns a case's history refers to. */
export async function historyNames(ids: { offices: number[]; holders: number[]; campaigns: number[] }): Promise<HistoryNames> {
  return loadHistoryNames(getEngine(), ids);
}

/** A case's number by id, among the live or the deleted cases; null when there is none. */
export async function caseNumberOf(id: number, state: "live" | "deleted"): Promise<string | null> {
  return loadCaseNumber(getEngine(), id, state);
}

/** A page of the deleted cases, the most recently deleted first. */
export async function listDeletedCases(page: number, size: number): Promise<{ total: number; page: number; size: number; rows: DeletedCase[] }> {
  return loadDeleted(getEngine(), page, size);
}

// ---- writes (each one transaction with its audit entry and derived figures) --------------

/** A case entered in the admin's form: a new ex-officio case names a recordation valid on its seizure date (RecordationLinkError). */
export async function createCase(input: CaseInput, userId: string | null): Promise<{ id: number; version: number }> {
  return writeNewCase(getEngine(), input, userId, { entered: true });
}

export async function updateCase(id: number, expectedVersion: number, input: CaseInput, userId: string | null): Promise<{ version: number }> {
  return writeUpdate(getEngine(), id, expectedVersion, input, userId);
}

/**
 * Soft-deletes a live case if it still has the version the admin looked at: a case changed
 * meanwhile is not deleted unseen (VersionConflictError); a missing one is CaseNotFoundError.
 * One transaction, so that the check and the delete see the same case.
 */
export async function deleteCase(id: number, expectedVersion: number, userId: string | null): Promise<void> {
  // the version the admin looked at: the writer refuses a case changed meanwhile (who, when)
  await softDeleteCase(getEngine(), id, userId, expectedVersion);
}

export async function restoreCase(id: number, userId: string | null): Promise<void> {
  await writeRestore(getEngine(), id, userId);
}
