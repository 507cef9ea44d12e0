import "server-only";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { FilterOptions } from "../case-filters";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../sqlite/open";
import { customsOffices, rightHolders } from "../sqlite/schema";

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

const holderColumns = {
  id: rightHolders.id,
  name: rightHolders.name,
  nameZh: rightHolders.nameZh,
  country: rightHolders.country,
  industry: rightHolders.industry,
  foreignInvested: rightHolders.foreignInvested,
  qbpcMember: rightHolders.qbpcMember,
};

const inScope = (options: FilterOptions) =>
  options.restrictToHolders ? inArray(rightHolders.id, options.restrictToHolders.length ? options.restrictToHolders : [-1]) : undefined;

/** Every right holder (in the scope) with its facts, by name. */
export function listRightHolderFacts(db: Db, options: FilterOptions = {}): RightHolderFacts[] {
  return db.select(holderColumns).from(rightHolders).where(inScope(options)).orderBy(asc(rightHolders.name)).all();
}

/** One right holder, or null when there is none with this id (or it is outside the scope). */
export function getRightHolder(db: Db, id: number, options: FilterOptions = {}): RightHolderFacts | null {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  return db.select(holderColumns).from(rightHolders).where(and(eq(rightHolders.id, id), inScope(options))).get() ?? null;
}

export type OfficeFacts = { code: string; nameEn: string; nameZh: string; province: string };
export type DistrictFacts = OfficeFacts & { subordinates: OfficeFacts[] };

const district = alias(customsOffices, "district");

/** The customs districts by code, each with its subordinate customs by code. */
export function listDistrictsWithOffices(db: Db): DistrictFacts[] {
  const columns = { code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh, province: customsOffices.province };
  const districts = db.select(columns).from(customsOffices).where(isNull(customsOffices.districtId)).orderBy(asc(customsOffices.code)).all();
  const subordinates = db
    .select({ ...columns, districtCode: district.code })
    .from(customsOffices)
    .innerJoin(district, eq(district.id, customsOffices.districtId))
    .orderBy(asc(customsOffices.code))
    .all();
  return districts.map((d) => ({
    ...d,
    subordinates: subordinates.filter((s) => s.districtCode === d.code).map(({ districtCode: _, ...s }) => s),
  }));
}

/** One customs district with its subordinate customs; null for an unknown or a subordinate code. */
export function getDistrict(db: Db, code: string): DistrictFacts | null {
  if (!/^\d{4}$/.test(code)) return null;
  const d = db
    .select({ id: customsOffices.id, code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh, province: customsOffices.province })
    .from(customsOffices)
    .where(and(eq(customsOffices.code, code), isNull(customsOffices.districtId)))
    .get();
  if (!d) return null;
  const subordinates = db
    .select({ code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh, province: customsOffices.province })
    .from(customsOffices)
    .where(eq(customsOffices.districtId, d.id))
    .orderBy(asc(customsOffices.code))
    .all();
  const { id: _, ...facts } = d;
  return { ...facts, subordinates };
}
