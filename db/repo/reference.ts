import "server-only";
import { getEngine } from "../client";
import {
  getDistrict as loadDistrict, getRightHolder as loadRightHolder, listDistrictsWithOffices as loadDistricts, listRightHolderFacts as loadHolders,
  type DistrictFacts, type OfficeFacts, type RightHolderFacts,
} from "../queries/reference";
import type { Scope } from "../../lib/roles";

// The reference pages: customs districts with their subordinate offices, right holders.

export type { DistrictFacts, OfficeFacts, RightHolderFacts };

/** Every customs district with its subordinate offices, in code order. */
export async function listDistrictsWithOffices(): Promise<DistrictFacts[]> {
  return loadDistricts(getEngine());
}

/** A district (with its offices) by its code, or null. */
export async function getDistrict(code: string): Promise<DistrictFacts | null> {
  return loadDistrict(getEngine(), code);
}

/** The right holders the reader may see (a member: its own company only). */
export async function listRightHolderFacts(scope: Scope): Promise<RightHolderFacts[]> {
  return loadHolders(getEngine(), scope);
}

/** A right holder by id, or null when missing or outside the reader's scope. */
export async function getRightHolder(scope: Scope, id: number): Promise<RightHolderFacts | null> {
  return loadRightHolder(getEngine(), id, scope);
}
