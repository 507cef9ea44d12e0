import "server-only";
import { getEngine } from "../client";
import {
  archiveProfile, changeProfile, createProfile, getProfile, listProfiles, profileOwners, profilesOfCase,
  type ProfileActor, type ProfileDetail, type ProfileInput, type ProfileSummary,
} from "../risk-profiles";

// Risk profiles (issue 18, item 4; db/risk-profiles.ts) for pages and actions: staff only
// (lib/roles.ts readRisk, keepProfiles); the actor is the session's user.

export type { ProfileDetail, ProfileInput, ProfileSummary };
export { ProfileError } from "../risk-profiles";

export const riskProfiles = () => listProfiles(getEngine());
export const riskProfile = (id: number) => getProfile(getEngine(), id);
export const riskProfilesOfCase = (caseId: number) => profilesOfCase(getEngine(), caseId);
export const riskProfileOwners = () => profileOwners(getEngine());
export const saveRiskProfile = (actor: ProfileActor, input: ProfileInput) => createProfile(getEngine(), actor, input);
export const editRiskProfile = (actor: ProfileActor, id: number, version: number, input: ProfileInput) => changeProfile(getEngine(), actor, id, version, input);
export const archiveRiskProfile = (actor: ProfileActor, id: number, version: number) => archiveProfile(getEngine(), actor, id, version);
