import "server-only";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { FilterOptions } from "../case-filters";
import { alias } from "drizzle-orm/sqlite-core";
import { first, type Engine, type Tables } from "../engine";
import { isRowId } from "./cases";
import type { rightHolders } from "../sqlite/schema";

// Reference data for the right-holder and customs-district pages. Their figures come from
// the dashboard's queries (getDashboardStats, holderFigures) under the same filters and scope.
// In a member's scope the right holders are its own company only: any other is "none".

export type RightHolderFacts = {
  id: number;
  name: string;
  nameZh: string | null;
  country: string;
  industry: (typeof rightHolders.$inferSelect)["industry"];
  foreignInvested: boolean;
  qbpcMember: boolean;
};

const holderColumns = ({ rightHolders }: Tables) => ({
  id: rightHolders.id,
  name: rightHolders.name,
  nameZh: rightHolders.nameZh,
  country: rightHolders.country,
  industry: rightHolders.industry,
  foreignInvested: rightHolders.foreignInvested,
  qbpcMember: rightHolders.qbpcMember,
});

const inScope = ({ rightHolders }: Tables, options: FilterOptions) =>
  options.restrictToHolders ? inArray(rightHolders.id, options.restrictToHolders.length ? options.restrictToHolders : [-1]) : undefined;

/** Every right holder (in the scope) with its facts, by name. */
export async function listRightHolderFacts(e: Engine, options: FilterOptions = {}): Promise<RightHolderFacts[]> {
  const { rightHolders } = e.t;
  return e.db.select(holderColumns(e.t)).from(rightHolders).where(inScope(e.t, options)).orderBy(asc(rightHolders.name), asc(rightHolders.id));
}

/** One right holder, or null when there is none with this id (or it is outside the scope). */
export async function getRightHolder(e: Engine, id: number, options: FilterOptions = {}): Promise<RightHolderFacts | null> {
  if (!isRowId(e, id)) return null;
  const { rightHolders } = e.t;
  return (await first(e.db.select(holderColumns(e.t)).from(rightHolders).where(and(eq(rightHolders.id, id), inScope(e.t, options))))) ?? null;
}

export type OfficeFacts = { code: string; nameEn: string; nameZh: string; province: string };
export type DistrictFacts = OfficeFacts & { subordinates: OfficeFacts[] };

/** The customs districts by code, each with its subordinate customs by code. */
export async function listDistrictsWithOffices(e: Engine): Promise<DistrictFacts[]> {
  const { customsOffices } = e.t;
  const district = alias(customsOffices, "district");
  const columns = { code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh, province: customsOffices.province };
  const districts = await e.db.select(columns).from(customsOffices).where(isNull(customsOffices.districtId)).orderBy(asc(customsOffices.code));
  const subordinates = await e.db
    .select({ ...columns, districtCode: district.code })
    .from(customsOffices)
    .innerJoin(district, eq(district.id, customsOffices.districtId))
    .orderBy(asc(customsOffices.code));
  return districts.map((d) => ({
    ...d,
    subordinates: subordinates.filter((s) => s.districtCode === d.code).map(({ districtCode: _, ...s }) => s),
  }));
}

/** One customs district with its subordinate customs; null for an unknown or a subordinate code. */
export async function getDistrict(e: Engine, code: string): Promise<DistrictFacts | null> {
  if (!/^\d{4}$/.test(code)) return null;
  const { customsOffices } = e.t;
  const d = await first(
    e.db
    .select({ id: customsOffices.id, code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh, province: customsOffices.province })
    .from(customsOffices)
    .where(and(eq(customsOffices.code, code), isNull(customsOffices.districtId))),
  );
  if (!d) return null;
  const subordinates = await e.db
    .select({ code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh, province: customsOffices.province })
    .from(customsOffices)
    .where(eq(customsOffices.districtId, d.id))
    .orderBy(asc(customsOffices.code));
  const { id: _, ...facts } = d;
  return { ...facts, subordinates };
}
