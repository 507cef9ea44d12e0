import "server-only";
import { and, count, countDistinct, desc, eq, isNull, max, min, sql, sum } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../open";
import { appMeta, caseRightHolders, cases, customsOffices } from "../schema";
import { DEMO_META_KEY } from "../bulk";

export type Overview = {
  cases: number;
  pieces: number;
  valueFen: number;
  rightHolders: number;
  firstSeizedOn: string | null;
  lastSeizedOn: string | null;
};

/** Totals over every case that is not deleted. */
export function getOverview(db: Db): Overview {
  const totals = db
    .select({
      cases: count(),
      pieces: sum(cases.pieces).mapWith(Number),
      valueFen: sum(cases.valueFen).mapWith(Number),
      firstSeizedOn: min(cases.seizedOn),
      lastSeizedOn: max(cases.seizedOn),
    })
    .from(cases)
    .where(isNull(cases.deletedAt))
    .get()!;
  const holders = db
    .select({ n: countDistinct(caseRightHolders.rightHolderId) })
    .from(caseRightHolders)
    .innerJoin(cases, and(eq(cases.id, caseRightHolders.caseId), isNull(cases.deletedAt)))
    .get()!;
  return {
    cases: totals.cases,
    pieces: totals.pieces ?? 0,
    valueFen: totals.valueFen ?? 0,
    rightHolders: holders.n,
    firstSeizedOn: totals.firstSeizedOn,
    lastSeizedOn: totals.lastSeizedOn,
  };
}

export type DistrictTotal = {
  code: string;
  nameEn: string;
  nameZh: string;
  cases: number;
  pieces: number;
  valueFen: number;
};

/** The largest customs districts by number of cases; a district includes its subordinate customs. */
export function getLargestDistricts(db: Db, limit = 10): DistrictTotal[] {
  const office = alias(customsOffices, "office");
  const district = alias(customsOffices, "district");
  return db
    .select({
      code: district.code,
      nameEn: district.nameEn,
      nameZh: district.nameZh,
      cases: count(),
      pieces: sum(cases.pieces).mapWith(Number),
      valueFen: sum(cases.valueFen).mapWith(Number),
    })
    .from(cases)
    .innerJoin(office, eq(office.id, cases.officeId))
    .innerJoin(district, eq(district.id, sql`coalesce(${office.districtId}, ${office.id})`))
    .where(isNull(cases.deletedAt))
    .groupBy(district.id)
    .orderBy(desc(count()), district.code)
    .limit(limit)
    .all();
}

export function isDemoDatabase(db: Db): boolean {
  return db.select({ key: appMeta.key }).from(appMeta).where(eq(appMeta.key, DEMO_META_KEY)).get() !== undefined;
}
