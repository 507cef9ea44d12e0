import "server-only";
import { asc, count, desc, eq, isNotNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { first, type Engine } from "../engine";

// Reads for the admin's case entry: the choices of the case form, the names that history
// entries refer to by id, and the soft-deleted cases an admin can restore.

export type OfficeChoice = { id: number; code: string; nameEn: string; nameZh: string };
/** A customs district with its subordinate customs, in code order (the district's own office first). */
export type DistrictChoices = OfficeChoice & { offices: OfficeChoice[] };
export type CampaignChoice = { id: number; code: string; nameEn: string; nameZh: string; startsOn: string; endsOn: string | null };
export type HolderChoice = { id: number; name: string; nameZh: string | null; country: string };

export type CaseFormChoices = { districts: DistrictChoices[]; campaigns: CampaignChoice[]; holders: HolderChoice[] };

/** Everything the case form offers to pick from. */
export async function caseFormChoices(e: Engine): Promise<CaseFormChoices> {
  const { campaigns, customsOffices, rightHolders } = e.t;
  const offices = await e.db
    .select({ id: customsOffices.id, code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh, districtId: customsOffices.districtId })
    .from(customsOffices)
    .orderBy(asc(customsOffices.code));
  const districts = new Map<number, DistrictChoices>();
  for (const o of offices) if (o.districtId === null) districts.set(o.id, { id: o.id, code: o.code, nameEn: o.nameEn, nameZh: o.nameZh, offices: [] });
  for (const o of offices) {
    if (o.districtId !== null) districts.get(o.districtId)?.offices.push({ id: o.id, code: o.code, nameEn: o.nameEn, nameZh: o.nameZh });
  }
  return {
    districts: [...districts.values()],
    campaigns: await e.db
      .select({ id: campaigns.id, code: campaigns.code, nameEn: campaigns.nameEn, nameZh: campaigns.nameZh, startsOn: campaigns.startsOn, endsOn: campaigns.endsOn })
      .from(campaigns)
      .orderBy(asc(campaigns.startsOn), asc(campaigns.id)),
    holders: await e.db
      .select({ id: rightHolders.id, name: rightHolders.name, nameZh: rightHolders.nameZh, country: rightHolders.country })
      .from(rightHolders)
      .orderBy(asc(rightHolders.name), asc(rightHolders.id)),
  };
}

export type HistoryNames = {
  offices: Map<number, { code: string; nameEn: string; nameZh: string }>;
  holders: Map<number, { name: string; nameZh: string | null }>;
  campaigns: Map<number, { nameEn: string; nameZh: string }>;
};

/** Names of the offices, right holders and campaigns that history entries name by id. */
export async function historyNames(e: Engine, ids: { offices: number[]; holders: number[]; campaigns: number[] }): Promise<HistoryNames> {
  const { campaigns, customsOffices, rightHolders } = e.t;
  const unique = (list: number[]) => [...new Set(list.filter((n) => Number.isSafeInteger(n)))];
  const offices = unique(ids.offices);
  const holders = unique(ids.holders);
  const camps = unique(ids.campaigns);
  const [officeRows, holderRows, campaignRows] = await Promise.all([
    offices.length
      ? e.db.select({ id: customsOffices.id, code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh })
          .from(customsOffices).where(e.say.inList(sql`${customsOffices.id}`, offices))
      : [],
    holders.length
      ? e.db.select({ id: rightHolders.id, name: rightHolders.name, nameZh: rightHolders.nameZh }).from(rightHolders).where(e.say.inList(sql`${rightHolders.id}`, holders))
      : [],
    camps.length
      ? e.db.select({ id: campaigns.id, nameEn: campaigns.nameEn, nameZh: campaigns.nameZh }).from(campaigns).where(e.say.inList(sql`${campaigns.id}`, camps))
      : [],
  ]);
  return {
    offices: new Map(officeRows.map((o) => [o.id, o])),
    holders: new Map(holderRows.map((h) => [h.id, h])),
    campaigns: new Map(campaignRows.map((c) => [c.id, c])),
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
export async function listDeletedCases(e: Engine, page = 1, size = 50): Promise<{ total: number; page: number; size: number; rows: DeletedCase[] }> {
  const { cases, customsOffices } = e.t;
  // the office that found the goods and its customs district (a district's own cases have the district as office)
  const office = alias(customsOffices, "office");
  const district = alias(customsOffices, "district");
  const total = (await first(e.db.select({ n: count() }).from(cases).where(isNotNull(cases.deletedAt))))?.n ?? 0;
  const rows = await e.db
    .select({
      id: cases.id,
      caseNo: cases.caseNo,
      seizedOn: cases.seizedOn,
      officeCode: office.code,
      officeNameEn: office.nameEn,
      officeNameZh: office.nameZh,
      districtCode: district.code,
      districtNameEn: district.nameEn,
      districtNameZh: district.nameZh,
      deletedAt: sql<number>`${cases.deletedAt}`,
      deletedBy: cases.updatedBy,
    })
    .from(cases)
    .innerJoin(office, eq(office.id, cases.officeId))
    .innerJoin(district, eq(district.id, sql`coalesce(${office.districtId}, ${office.id})`))
    .where(isNotNull(cases.deletedAt))
    .orderBy(desc(cases.deletedAt), desc(cases.id))
    .limit(size)
    .offset((page - 1) * size);
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
      deletedAt: Number(r.deletedAt),
      deletedBy: r.deletedBy,
    })),
  };
}

/** A case's number if it is in the given state (for notices after a delete or restore), else null. */
export async function caseNumberOf(e: Engine, id: number, state: "live" | "deleted"): Promise<string | null> {
  if (!Number.isSafeInteger(id) || id < 1 || id > 2 ** 31 - 1) return null;
  const { cases } = e.t;
  const row = await first(e.db.select({ caseNo: cases.caseNo, deletedAt: cases.deletedAt }).from(cases).where(eq(cases.id, id)));
  if (!row || (row.deletedAt === null) !== (state === "live")) return null;
  return row.caseNo;
}
