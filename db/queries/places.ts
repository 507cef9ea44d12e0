import { eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { cases, customsOffices } from "../sqlite/schema";

// Where a case was detained, as every case listing shows it: the office that found the goods
// and the customs district it belongs to (a district's own cases have the district as office).
// One definition for the case table, the export and the deleted cases.

export const office = alias(customsOffices, "office");
export const district = alias(customsOffices, "district");

/** The office's and its district's codes and names. */
export const placeColumns = {
  officeCode: office.code,
  officeNameEn: office.nameEn,
  officeNameZh: office.nameZh,
  districtCode: district.code,
  districtNameEn: district.nameEn,
  districtNameZh: district.nameZh,
};

/** `.innerJoin(...officeJoin).innerJoin(...districtJoin)` after `.from(cases)`. */
export const officeJoin = [office, eq(office.id, cases.officeId)] as const;
export const districtJoin = [district, eq(district.id, sql`coalesce(${office.districtId}, ${office.id})`)] as const;
