import "server-only";
import { getEngine } from "../client";
import { lastDailyErasure, partyIdRetention, setPartyIdRetention, type DailyErasure, type ErasureResult } from "../party-erasure";
export { MAX_RETENTION_MONTHS, type DailyErasure, type ErasureResult } from "../party-erasure";
import { todayInShanghai } from "../../lib/case-schema";

// The PIPL retention of natural persons' identity numbers (db/party-erasure.ts): the admin's
// setting, and the last run of the daily erasure (db/erasure-job.ts) the admin page shows.

export const retentionMonths = (): Promise<number | null> => partyIdRetention(getEngine());
export const setRetention = (months: number, userId: string): Promise<ErasureResult> => setPartyIdRetention(getEngine(), months, userId, todayInShanghai());
export const lastErasure = (): Promise<DailyErasure | null> => lastDailyErasure(getEngine());
