import "server-only";
import { asc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Role } from "../../lib/enums";
import { first, type Engine } from "../engine";
import { officeCaseCount } from "../mutations/reference";
import { EMPTY_FILTERS } from "../../lib/filters";
import { tally } from "../aggregate/plan";
import { keptAnswer } from "../kept";
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

export async function listAccounts(e: Engine): Promise<AccountRow[]> {
  const { rightHolders, users } = e.t;
  const rows = await e.db
    .select({
      id: users.id, email: users.email, name: users.name, role: users.role, holderId: users.holderId,
      holderName: rightHolders.name, holderNameZh: rightHolders.nameZh, createdAt: users.createdAt,
    })
    .from(users)
    .leftJoin(rightHolders, eq(rightHolders.id, users.holderId))
    .orderBy(asc(users.email));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.getTime() }));
}

/** One account by id, or null. */
export async function getAccount(e: Engine, id: string): Promise<AccountRow | null> {
  const { rightHolders, users } = e.t;
  const row = await first(
    e.db
      .select({
        id: users.id, email: users.email, name: users.name, role: users.role, holderId: users.holderId,
        holderName: rightHolders.name, holderNameZh: rightHolders.nameZh, createdAt: users.createdAt,
      })
      .from(users)
      .leftJoin(rightHolders, eq(rightHolders.id, users.holderId))
      .where(eq(users.id, id)),
  );
  return row ? { ...row, createdAt: row.createdAt.getTime() } : null;
}

export type HolderOption = { id: number; name: string; nameZh: string | null };

/** Every right holder by name, for the pickers. */
export async function holderOptions(e: Engine): Promise<HolderOption[]> {
  const { rightHolders } = e.t;
  return e.db.select({ id: rightHolders.id, name: rightHolders.name, nameZh: rightHolders.nameZh }).from(rightHolders).orderBy(asc(rightHolders.name), asc(rightHolders.id));
}

export type AdminHolderRow = RightHolderFacts & { cases: number; members: number };

type LiveCaseCounts = { holders: Map<number, number>; offices: Map<number, number> };

/**
 * Live cases per right holder and per office. On SQLite from the aggregate store (db/aggregate),
 * kept until the data changes; on PostgreSQL its planner counts them (two grouped scans).
 */
async function liveCaseCounts(e: Engine): Promise<LiveCaseCounts> {
  if (e.dialect === "sqlite") {
    return keptAnswer(e, "admin-counts", 1, "", async () => {
      const c = await tally(e, EMPTY_FILTERS, {}, { dims: ["holder"], year: false, office: true });
      return {
        holders: new Map([...c.dims.get("holder")!].map(([k, f]) => [Number(k), f.cases])),
        offices: new Map([...c.office].map(([k, f]) => [k, f.cases])),
      };
    });
  }
  const { caseRightHolders, cases } = e.t;
  const [holders, offices] = await Promise.all([
    e.all<{ id: number; n: number }>(sql`select l.right_holder_id as id, count(*) as n from ${caseRightHolders} l
      join ${cases} c on c.id = l.case_id where c.deleted_at is null group by l.right_holder_id`),
    e.all<{ id: number; n: number }>(sql`select office_id as id, count(*) as n from ${cases} where deleted_at is null group by office_id`),
  ]);
  return { holders: new Map(holders.map((r) => [Number(r.id), Number(r.n)])), offices: new Map(offices.map((r) => [Number(r.id), Number(r.n)])) };
}

/** `column` contains `text` (a LIKE pattern, its wildcards escaped), in any letter case of ASCII as SQLite's LIKE. */
function containsText(e: Engine, column: SQL, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return e.dialect === "postgres" ? sql`${column} ilike ${pattern} escape '\\'` : sql`${column} like ${pattern} escape '\\'`;
}

/** Right holders whose English or Chinese name contains `query` (all when empty), by name. */
export async function listHoldersForAdmin(e: Engine, query = ""): Promise<AdminHolderRow[]> {
  const { rightHolders, users } = e.t;
  const q = query.trim();
  const holders = await e.db
    .select({
      id: rightHolders.id, name: rightHolders.name, nameZh: rightHolders.nameZh, country: rightHolders.country,
      industry: rightHolders.industry, foreignInvested: rightHolders.foreignInvested, qbpcMember: rightHolders.qbpcMember,
    })
    .from(rightHolders)
    .where(q ? or(containsText(e, sql`${rightHolders.name}`, q), containsText(e, sql`${rightHolders.nameZh}`, q)) : undefined)
    .orderBy(asc(rightHolders.name), asc(rightHolders.id));
  const cases = (await liveCaseCounts(e)).holders;
  const memberRows = await e.db
    .select({ holderId: users.holderId, n: sql<number>`count(*)` })
    .from(users)
    .where(sql`${users.holderId} is not null`)
    .groupBy(users.holderId);
  const members = new Map(memberRows.map((r) => [r.holderId!, Number(r.n)]));
  return holders.map((h) => ({ ...h, cases: cases.get(h.id) ?? 0, members: members.get(h.id) ?? 0 }));
}

export async function getHolderForAdmin(e: Engine, id: number): Promise<AdminHolderRow | null> {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  return (await listHoldersForAdmin(e)).find((h) => h.id === id) ?? null;
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

const officeColumns = ({ customsOffices }: Engine["t"]) => ({
  id: customsOffices.id, code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh,
  province: customsOffices.province, districtId: customsOffices.districtId,
});

/** The customs districts by code, each with its subordinate customs by code. */
export async function listOfficesForAdmin(e: Engine): Promise<AdminDistrict[]> {
  const { customsOffices } = e.t;
  const counts = (await liveCaseCounts(e)).offices;
  const all = (await e.db.select(officeColumns(e.t)).from(customsOffices).orderBy(asc(customsOffices.code))).map((o) => ({ ...o, cases: counts.get(o.id) ?? 0 }));
  return all
    .filter((o) => o.districtId === null)
    .map((d) => ({ ...d, subordinates: all.filter((o) => o.districtId === d.id) }));
}

/** The customs districts alone, for the district picker. */
export async function districtOptions(e: Engine): Promise<{ id: number; code: string; nameEn: string; nameZh: string }[]> {
  const { customsOffices } = e.t;
  return e.db
    .select({ id: customsOffices.id, code: customsOffices.code, nameEn: customsOffices.nameEn, nameZh: customsOffices.nameZh })
    .from(customsOffices)
    .where(isNull(customsOffices.districtId))
    .orderBy(asc(customsOffices.code));
}

/** One office for the edit form, with all its cases (live and deleted: either keeps its district). */
export async function getOfficeForAdmin(e: Engine, id: number): Promise<(Omit<AdminOffice, "cases"> & { cases: number }) | null> {
  if (!Number.isSafeInteger(id) || id < 1 || id > 2 ** 31 - 1) return null;
  const { customsOffices } = e.t;
  const office = await first(e.db.select(officeColumns(e.t)).from(customsOffices).where(eq(customsOffices.id, id)));
  if (!office) return null;
  return { ...office, cases: await officeCaseCount(e, id) };
}

/** How many records each admin page keeps, for the admin index. */
export async function adminCounts(e: Engine): Promise<{ accounts: number; holders: number; offices: number; audit: number; deleted: number }> {
  const { auditLog, cases, customsOffices, rightHolders, users } = e.t;
  const row = await e.get<{ accounts: number; holders: number; offices: number; audit: number; deleted: number }>(sql`select
    (select count(*) from ${users}) as accounts,
    (select count(*) from ${rightHolders}) as holders,
    (select count(*) from ${customsOffices}) as offices,
    (select count(*) from ${auditLog}) as audit,
    (select count(*) from ${cases} where deleted_at is not null) as deleted`);
  return { accounts: Number(row?.accounts ?? 0), holders: Number(row?.holders ?? 0), offices: Number(row?.offices ?? 0), audit: Number(row?.audit ?? 0), deleted: Number(row?.deleted ?? 0) };
}

export type TemplateOffice = { code: string; nameEn: string; nameZh: string; districtCode: string; districtNameEn: string; districtNameZh: string };

/** The reference data of the import template's example row: the first office (a subordinate customs first) and right holder. */
export async function templateReferences(e: Engine): Promise<{ office: TemplateOffice | undefined; holder: string | undefined }> {
  const { customsOffices, rightHolders } = e.t;
  const office = await e.get<TemplateOffice>(sql`select o.code, o.name_en as "nameEn", o.name_zh as "nameZh", d.code as "districtCode",
      d.name_en as "districtNameEn", d.name_zh as "districtNameZh"
    from ${customsOffices} o join ${customsOffices} d on d.id = coalesce(o.district_id, o.id) order by o.district_id is null, o.code limit 1`);
  const holder = await e.get<{ name: string }>(sql`select name from ${rightHolders} order by id limit 1`);
  return { office, holder: holder?.name };
}
