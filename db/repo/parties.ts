import "server-only";
import { getEngine } from "../client";
import { partyIdRetention, setPartyIdRetention, type ErasureResult } from "../party-erasure";
export { MAX_RETENTION_MONTHS, type ErasureResult } from "../party-erasure";
import { todayInShanghai } from "../../lib/case-schema";

// The PIPL retention of natural persons' identity numbers (db/party-erasure.ts): the admin's setting.

export const retentionMonths = (): Promise<number | null> => partyIdRetention(getEngine());
export const setRetention = (months: number, userId: string): Promise<ErasureResult> => setPartyIdRetention(getEngine(), months, userId, todayInShanghai());
