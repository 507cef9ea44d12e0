import { eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Engine, Tables } from "../engine";
import { cases, customsOffices } from "../sqlite/schema";

// Where a case was detained, as every case listing shows it: the office that found the goods
// and the customs district it belongs to (a district's own cases have the district as office).
// One definition for the case table, the export and the deleted cases, over the engine's own
// tables (`placesOf(e)`; drizzle's alias is the same proxy for either dialect's table).

function placesOfTables(t: Tables) {
  const office = alias(t.customsOffices, "office");
  const district = alias(t.customsOffices, "district");
  return {
    office,
    district,
    /** The office's and its district's codes and names. */
    placeColumns: {
      officeCode: office.code,
      officeNameEn: office.nameEn,
      officeNameZh: office.nameZh,
      districtCode: district.code,
      districtNameEn: district.nameEn,
      districtNameZh: district.nameZh,
    },
    /** `.innerJoin(...officeJoin).innerJoin(...districtJoin)` after `.from(cases)`. */
    officeJoin: [office, eq(office.id, t.cases.officeId)] as const,
    districtJoin: [district, eq(district.id, sql`coalesce(${office.districtId}, ${office.id})`)] as const,
  };
}

export type Places = ReturnType<typeof placesOfTables>;
const made = new WeakMap<Tables, Places>();

/** The office and district aliases, columns and joins over this engine's tables. */
export function placesOf(e: Engine): Places {
  let found = made.get(e.t);
  if (!found) made.set(e.t, (found = placesOfTables(e.t)));
  return found;
}

// ---- SQLite's tables only (db/queries/admin.ts until it takes placesOf(e)) ----
/** @deprecated SQLite's tables: use placesOf(e). */
export const office = alias(customsOffices, "office");
/** @deprecated SQLite's tables: use placesOf(e). */
export const district = alias(customsOffices, "district");
/** @deprecated SQLite's tables: use placesOf(e). */
export const placeColumns = {
  officeCode: office.code,
  officeNameEn: office.nameEn,
  officeNameZh: office.nameZh,
  districtCode: district.code,
  districtNameEn: district.nameEn,
  districtNameZh: district.nameZh,
};
/** @deprecated SQLite's tables: use placesOf(e). */
export const officeJoin = [office, eq(office.id, cases.officeId)] as const;
/** @deprecated SQLite's tables: use placesOf(e). */
export const districtJoin = [district, eq(district.id, sql`coalesce(${office.districtId}, ${office.id})`)] as const;
