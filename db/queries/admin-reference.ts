import "server-only";
import { asc, eq, isNull, or, sql } from "drizzle-orm";
import type { Role } from "../../lib/enums";
import { sqliteEngine } from "../engine";
import { officeCaseCount } from "../mutations/reference";
import type { Db } from "../sqlite/open";
import { EMPTY_FILTERS } from "../../lib/filters";
import { tally } from "../aggregate/plan";
import { keptAnswer } from "../kept";
import { customsOffices, rightHolders, users } from "../sqlite/schema";
import type { RightHolderFacts } from "./reference";

// Reads for the admin pages: accounts, right holders with their cases and members, offices
// with their cases. Case counts are of live cases and come from the aggregate store (db/aggregate).

export type AccountRow = {
  id: string;
  email: string;
  name: string;
  role: Role;
  holderId: number | null;
  holderName: string | null;
  holderNameZh: string | null;
  createdAt: number;
};

export function listAccounts(db: Db): AccountRow[] {
  return db
    .select({
      id: users.id, email: users.email, name: users.name, role: users.role, holderId: users.holderId,
      holderName: rightHolders.name, holderNameZh: rightHolders.nameZh, createdAt: users.createdAt,
    })
    .from(users)
    .leftJoin(rightHolders, eq(rightHolders.id, users.holderId))
    .orderBy(asc(users.email))
    .all()
    .map((r) => ({ ...r, createdAt: r.createdAt.getTime() }));
}

export type HolderOption = { id: number; name: string; nameZh: string | null };

/** Every right holder by name, for the pickers. */
export function holderOptions(db: Db): HolderOption[] {
  return db.select({ id: rightHolders.id, name: rightHolders.name, nameZh: rightHolders.nameZh }).from(rightHolders).orderBy(asc(rightHolders.name)).all();
}

export type AdminHolderRow = RightHolderFacts & { cases: number; members: number };

/** Live cases per right holder and per office, from the aggregate store (db/aggregate), kept until the data changes. */
function liveCaseCounts(db: Db): { holders: Map<number, number>; offices: Map<number, number> } {
  return keptAnswer(db, "admin-counts", 1, "", () => {
    const c = tally(db, EMPTY_FILTERS, {}, { dims: ["holder"], year: false, office: true });
    return {
      holders: new Map([...c.dims.get("holder")!].map(([k, f]) => [Number(k), f.cases])),
      offices: new Map([...c.office].map(([k, f]) => [k, f.cases])),
    };
  });
}

/** Live cases per right holder over all years. */
function holderCaseCounts(db: Db): Map<number, number> {
  return liveCaseCounts(db).holders;
}

/** Right holders whose English or Chinese name contains `query` (all when empty), by name. */
export function listHoldersForAdmin(db: Db, query = ""): AdminHolderRow[] {
  const q = query.trim();
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const holders = db
    .select({
      id: rightHolders.id, name: rightHolders.name, nameZh: rightHolders.nameZh, country: rightHolders.country,
      industry: rightHolders.industry, foreignInvested: rightHolders.foreignInvested, qbpcMember: rightHolders.qbpcMember,
    })
    .from(rightHolders)
    .where(q ? or(sql`${rightHolders.name} like ${pattern} escape '\\'`, sql`${rightHolders.nameZh} like ${pattern} escape '\\'`) : undefined)
    .orderBy(asc(rightHolders.name))
    .all();
  const cases = holderCaseCounts(db);
  const members = new Map(
    db
      .select({ holderId: users.holderId, n: sql<number>`count(*)` })
      .from(users)
      .where(sql`${users.holderId} is not null`)
      .groupBy(users.holderId)
      .all()
      .map((r) => [r.holderId!, Number(r.n)]),
  );
  return holders.map((h) => ({ ...h, cases: cases.get(h.id) ?? 0, members: members.get(h.id) ?? 0 }));
}

export function getHolderForAdmin(db: Db, id: number): AdminHolderRow | null {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  return listHoldersForAdmin(db).find((h) => h.id === id) ?? null;
}

export type AdminOffice = {
  id: number;
  code: string;
  nameEn: string;
  nameZh: string;
  province: string;
  districtId: number | null;
  /** live cases */
  cases: number;
};
export type AdminDistrict = AdminOffice & { subordinates: AdminOffice[] };

/** Live cases per office over all years. */
function officeCaseCounts(db: Db): Map<number, number> {
  return liveCaseCounts(db).offices;
}

const officeColumns = {
  id: customsOffices.id, code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh,
  province: customsOffices.province, districtId: customsOffices.districtId,
};

/** The customs districts by code, each with its subordinate customs by code. */
export function listOfficesForAdmin(db: Db): AdminDistrict[] {
  const counts = officeCaseCounts(db);
  const all = db.select(officeColumns).from(customsOffices).orderBy(asc(customsOffices.code)).all().map((o) => ({ ...o, cases: counts.get(o.id) ?? 0 }));
  return all
    .filter((o) => o.districtId === null)
    .map((d) => ({ ...d, subordinates: all.filter((o) => o.districtId === d.id) }));
}

/** The customs districts alone, for the district picker. */
export function districtOptions(db: Db): { id: number; code: string; nameEn: string; nameZh: string }[] {
  return db
    .select({ id: customsOffices.id, code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh })
    .from(customsOffices)
    .where(isNull(customsOffices.districtId))
    .orderBy(asc(customsOffices.code))
    .all();
}

/** One office for the edit form, with all its cases (live and deleted: either keeps its district). */
export async function getOfficeForAdmin(db: Db, id: number): Promise<(Omit<AdminOffice, "cases"> & { cases: number }) | null> {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const office = db.select(officeColumns).from(customsOffices).where(eq(customsOffices.id, id)).get();
  if (!office) return null;
  return { ...office, cases: await officeCaseCount(sqliteEngine(db), id) };
}

/** How many records each admin page keeps, for the admin index. */
export function adminCounts(db: Db): { accounts: number; holders: number; offices: number; audit: number; deleted: number } {
  const n = (query: string) => Number(db.$client.prepare(query).pluck().get() ?? 0);
  return {
    accounts: n("select count(*) from user"),
    holders: n("select count(*) from right_holders"),
    offices: n("select count(*) from customs_offices"),
    audit: n("select count(*) from audit_log"),
    deleted: n("select count(*) from cases where deleted_at is not null"),
  };
}

export type TemplateOffice = { code: string; nameEn: string; nameZh: string; districtCode: string; districtNameEn: string; districtNameZh: string };

/** The reference data of the import template's example row: the first office (a subordinate customs first) and right holder. */
export function templateReferences(db: Db): { office: TemplateOffice | undefined; holder: string | undefined } {
  const sqlite = db.$client;
  const office = sqlite
    .prepare(`select o.code, o.name_en as nameEn, o.name_zh as nameZh, d.code as districtCode, d.name_en as districtNameEn, d.name_zh as districtNameZh
      from customs_offices o join customs_offices d on d.id = coalesce(o.district_id, o.id) order by o.district_id is null, o.code limit 1`)
    .get() as TemplateOffice | undefined;
  const holder = sqlite.prepare("select name from right_holders order by id limit 1").pluck().get() as string | undefined;
  return { office, holder };
}
