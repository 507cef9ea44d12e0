import "server-only";
import { asc, count, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../sqlite/open";
import { campaigns, cases, customsOffices, rightHolders } from "../sqlite/schema";
import { districtJoin, officeJoin, placeColumns } from "./places";

// Reads for the admin's case entry: the choices of the case form, the names that history
// entries refer to by id, and the soft-deleted cases an admin can restore.

export type OfficeChoice = { id: number; code: string; nameEn: string; nameZh: string };
/** A customs district with its subordinate customs, in code order (the district's own office first). */
export type DistrictChoices = OfficeChoice & { offices: OfficeChoice[] };
export type CampaignChoice = { id: number; code: string; nameEn: string; nameZh: string; startsOn: string; endsOn: string | null };
export type HolderChoice = { id: number; name: string; nameZh: string | null; country: string };

export type CaseFormChoices = { districts: DistrictChoices[]; campaigns: CampaignChoice[]; holders: HolderChoice[] };

/** Everything the case form offers to pick from. */
export function caseFormChoices(db: Db): CaseFormChoices {
  const offices = db
    .select({ id: customsOffices.id, code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh, districtId: customsOffices.districtId })
    .from(customsOffices)
    .orderBy(asc(customsOffices.code))
    .all();
  const districts = new Map<number, DistrictChoices>();
  for (const o of offices) if (o.districtId === null) districts.set(o.id, { id: o.id, code: o.code, nameEn: o.nameEn, nameZh: o.nameZh, offices: [] });
  for (const o of offices) {
    if (o.districtId !== null) districts.get(o.districtId)?.offices.push({ id: o.id, code: o.code, nameEn: o.nameEn, nameZh: o.nameZh });
  }
  return {
    districts: [...districts.values()],
    campaigns: db
      .select({ id: campaigns.id, code: campaigns.code, nameEn: campaigns.nameEn, nameZh: campaigns.nameZh, startsOn: campaigns.startsOn, endsOn: campaigns.endsOn })
      .from(campaigns)
      .orderBy(asc(campaigns.startsOn))
      .all(),
    holders: db
      .select({ id: rightHolders.id, name: rightHolders.name, nameZh: rightHolders.nameZh, country: rightHolders.country })
      .from(rightHolders)
      .orderBy(asc(rightHolders.name))
      .all(),
  };
}

export type HistoryNames = {
  offices: Map<number, { code: string; nameEn: string; nameZh: string }>;
  holders: Map<number, { name: string; nameZh: string | null }>;
  campaigns: Map<number, { nameEn: string; nameZh: string }>;
};

/** Names of the offices, right holders and campaigns that history entries name by id. */
export function historyNames(db: Db, ids: { offices: number[]; holders: number[]; campaigns: number[] }): HistoryNames {
  const unique = (list: number[]) => [...new Set(list.filter((n) => Number.isSafeInteger(n)))];
  const offices = unique(ids.offices);
  const holders = unique(ids.holders);
  const camps = unique(ids.campaigns);
  return {
    offices: new Map(
      offices.length
        ? db.select({ id: customsOffices.id, code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh })
            .from(customsOffices).where(sql`${customsOffices.id} in ${offices}`).all().map((o) => [o.id, o])
        : [],
    ),
    holders: new Map(
      holders.length
        ? db.select({ id: rightHolders.id, name: rightHolders.name, nameZh: rightHolders.nameZh })
            .from(rightHolders).where(sql`${rightHolders.id} in ${holders}`).all().map((h) => [h.id, h])
        : [],
    ),
    campaigns: new Map(
      camps.length
        ? db.select({ id: campaigns.id, nameEn: campaigns.nameEn, nameZh: campaigns.nameZh })
            .from(campaigns).where(sql`${campaigns.id} in ${camps}`).all().map((c) => [c.id, c])
        : [],
    ),
  };
}

export type DeletedCase = {
  id: number;
  caseNo: string;
  seizedOn: string;
  office: { code: string; nameEn: string; nameZh: string };
  district: { code: string; nameEn: string; nameZh: string };
  deletedAt: number;
  /** the user id of who deleted it (the last to change it), or null */
  deletedBy: string | null;
};


/** Soft-deleted cases, the most recently deleted first, one page at a time. */
export function listDeletedCases(db: Db, page = 1, size = 50): { total: number; page: number; size: number; rows: DeletedCase[] } {
  const total = db.select({ n: count() }).from(cases).where(isNotNull(cases.deletedAt)).get()?.n ?? 0;
  const rows = db
    .select({
      id: cases.id,
      caseNo: cases.caseNo,
      seizedOn: cases.seizedOn,
      ...placeColumns,
      deletedAt: sql<number>`${cases.deletedAt}`,
      deletedBy: cases.updatedBy,
    })
    .from(cases)
    .innerJoin(...officeJoin)
    .innerJoin(...districtJoin)
    .where(isNotNull(cases.deletedAt))
    .orderBy(desc(cases.deletedAt), desc(cases.id))
    .limit(size)
    .offset((page - 1) * size)
    .all();
  return {
    total,
    page,
    size,
    rows: rows.map((r) => ({
      id: r.id,
      caseNo: r.caseNo,
      seizedOn: r.seizedOn,
      office: { code: r.officeCode, nameEn: r.officeNameEn, nameZh: r.officeNameZh },
      district: { code: r.districtCode, nameEn: r.districtNameEn, nameZh: r.districtNameZh },
      deletedAt: r.deletedAt,
      deletedBy: r.deletedBy,
    })),
  };
}

/** A case's number if it is in the given state (for notices after a delete or restore), else null. */
export function caseNumberOf(db: Db, id: number, state: "live" | "deleted"): string | null {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const row = db.select({ caseNo: cases.caseNo, deletedAt: cases.deletedAt }).from(cases).where(eq(cases.id, id)).get();
  if (!row || (row.deletedAt === null) !== (state === "live")) return null;
  return row.caseNo;
}
