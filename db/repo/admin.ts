import "server-only";
import { getEngine } from "../client";
import {
  createOffice as writeNewOffice, createRightHolder as writeNewHolder, mergeRightHolders as writeMerge, updateOffice as writeOffice,
  updateRightHolder as writeHolder, type MergeResult, type OfficeEdit, type OfficeInput, type RightHolderInput,
} from "../mutations/reference";
import {
  adminCounts as loadCounts, districtOptions as loadDistrictOptions, getHolderForAdmin as loadHolder, getOfficeForAdmin as loadOffice,
  getAccount as loadAccount, holderOptions as loadHolderOptions, listAccounts as loadAccounts, listHoldersForAdmin as loadHolders, listOfficesForAdmin as loadOffices,
  templateReferences as loadTemplateReferences,
  type AccountRow, type AdminDistrict, type AdminHolderRow, type AdminOffice, type HolderOption, type TemplateOffice,
} from "../queries/admin-reference";

// The admin pages: accounts, right holders and customs offices (lists, one record, the
// choices their forms offer), their writes through the one writer, and the import template.

export { ReferenceFieldError } from "../mutations/reference";
export type { AccountRow, AdminDistrict, AdminHolderRow, AdminOffice, HolderOption, MergeResult, OfficeEdit, OfficeInput, RightHolderInput, TemplateOffice };

// ---- reads -------------------------------------------------------------------------------

/** How many of each the admin overview counts. */
export async function adminCounts(): Promise<{ accounts: number; holders: number; offices: number; audit: number; deleted: number }> {
  return loadCounts(getEngine());
}

export async function listAccounts(): Promise<AccountRow[]> {
  return loadAccounts(getEngine());
}

/** One account by id, or null. */
export async function getAccount(id: string): Promise<AccountRow | null> {
  return loadAccount(getEngine(), id);
}

/** The right holders an account form offers for a member. */
export async function holderOptions(): Promise<HolderOption[]> {
  return loadHolderOptions(getEngine());
}

/** Right holders with their case and member counts, optionally those matching `query`. */
export async function listHoldersForAdmin(query = ""): Promise<AdminHolderRow[]> {
  return loadHolders(getEngine(), query);
}

export async function getHolderForAdmin(id: number): Promise<AdminHolderRow | null> {
  return loadHolder(getEngine(), id);
}

export async function listOfficesForAdmin(): Promise<AdminDistrict[]> {
  return loadOffices(getEngine());
}

/** The districts an office form offers as its parent. */
export async function districtOptions(): Promise<{ id: number; code: string; nameEn: string; nameZh: string }[]> {
  return loadDistrictOptions(getEngine());
}

export async function getOfficeForAdmin(id: number): Promise<(Omit<AdminOffice, "cases"> & { cases: number }) | null> {
  return loadOffice(getEngine(), id);
}

/** A real office and right holder for the import template's example row. */
export async function templateReferences(): Promise<{ office: TemplateOffice | undefined; holder: string | undefined }> {
  return loadTemplateReferences(getEngine());
}

// ---- writes (each one transaction with its audit entry) ----------------------------------

export async function createRightHolder(input: RightHolderInput, userId: string | null): Promise<{ id: number }> {
  return writeNewHolder(getEngine(), input, userId);
}

export async function updateRightHolder(id: number, input: RightHolderInput, userId: string | null): Promise<{ changed: boolean; cases: number }> {
  return writeHolder(getEngine(), id, input, userId);
}

/** Moves every case and member of `removeId` to `keepId` and removes it. */
export async function mergeRightHolders(keepId: number, removeId: number, userId: string | null): Promise<MergeResult> {
  return writeMerge(getEngine(), keepId, removeId, userId);
}

export async function createOffice(input: OfficeInput, userId: string | null): Promise<{ id: number }> {
  return writeNewOffice(getEngine(), input, userId);
}

export async function updateOffice(id: number, input: OfficeEdit, userId: string | null): Promise<{ changed: boolean }> {
  return writeOffice(getEngine(), id, input, userId);
}
