import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { derivedMismatches } from "../../db/aggregate/check";
import { type Engine } from "../../db/engine";
import { restoreCase, softDeleteCase } from "../../db/mutations/cases";
import {
  ReferenceFieldError,
  createOffice,
  createRightHolder,
  mergeRightHolders,
  updateOffice,
  updateRightHolder,
  type RightHolderInput,
} from "../../db/mutations/reference";
import { industries } from "../../lib/enums";
import { seedDatabase } from "../../seed/run";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";
import { searchIds, searchMismatches } from "../support/written";

// Right holders and offices as the admin pages write them, against a seeded database, on both
// engines: every write keeps the cases, the search index and the derived tables exact.
// (Accounts and the audit page's query: tests/integration/accounts.test.ts.)

describe.each(ENGINES)("reference data on %s", (dialect) => {
let fresh: FreshEngine;
let e: Engine;
const adminId = "admin-of-reference-writes";
beforeAll(async () => {
  fresh = await freshEngine(dialect, "reference-writes");
  e = fresh.e;
  await seedDatabase(e, { cases: 5_000, seed: 5 });
}, 120_000);
afterAll(() => fresh?.close());

const all = <T>(query: ReturnType<typeof sql>) => e.all<T>(query);
const one = async <T>(query: ReturnType<typeof sql>) => (await e.get<T>(query)) as T;
const ids = async (query: ReturnType<typeof sql>) => (await e.all<{ id: number }>(query)).map((r) => Number(r.id)).sort((a, b) => a - b);
const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
const holder = async (id: number) => {
  const h = await one<(Omit<RightHolderInput, "foreignInvested" | "qbpcMember"> & { id: number; foreignInvested: number | boolean; qbpcMember: number | boolean }) | undefined>(
    sql`select id, name, name_zh as "nameZh", country, industry, foreign_invested as "foreignInvested", qbpc_member as "qbpcMember" from right_holders where id = ${id}`,
  );
  return h && { ...h, foreignInvested: Boolean(h.foreignInvested), qbpcMember: Boolean(h.qbpcMember) };
};
const inputOf = async (id: number): Promise<RightHolderInput> => {
  const h = (await holder(id))!;
  return { name: h.name, nameZh: h.nameZh, country: h.country, industry: h.industry, foreignInvested: h.foreignInvested, qbpcMember: h.qbpcMember };
};
/** Live cases whose search document's right-holder names match the words (and only that column). */
const searchHolders = (words: string) => searchIds(e, words, "holders");
const liveCasesNaming = (holderId: number) =>
  ids(sql`select c.id from cases c join case_right_holders l on l.case_id = c.id where l.right_holder_id = ${holderId} and c.deleted_at is null`);
const casesNaming = (holderId: number) => ids(sql`select case_id as id from case_right_holders where right_holder_id = ${holderId}`);
const lastAudit = (entity: string) =>
  one<{ action: string; entityId: number; userId: string; before: unknown; after: unknown }>(
    sql`select action, entity_id as "entityId", user_id as "userId", before, after from audit_log where entity = ${entity} order by id desc limit 1`,
  );
const mismatches = async () => [
  ...(await searchMismatches(e)),
  ...(await derivedMismatches(e)).map((m) => JSON.stringify(m)),
];
const refusal = async (fn: () => Promise<unknown>): Promise<ReferenceFieldError> => {
  try {
    await fn();
  } catch (error) {
    if (error instanceof ReferenceFieldError) return error;
    throw error;
  }
  throw new Error("the write was not refused");
};

describe("right holders", () => {
  // two holders of different industries named together in some cases: the duplicate (R) and the one to keep (K)
  let keep: number;
  let remove: number;
  let both: number[];
  let either: number[];
  let deletedCase: number;
  const memberId = "member-of-the-duplicate";

  beforeAll(async () => {
    const pair = await one<{ a: number; b: number }>(
      sql`select l1.right_holder_id as a, l2.right_holder_id as b from case_right_holders l1
       join case_right_holders l2 on l2.case_id = l1.case_id and l2.right_holder_id > l1.right_holder_id
       join right_holders h1 on h1.id = l1.right_holder_id join right_holders h2 on h2.id = l2.right_holder_id
       where h1.industry <> h2.industry
       group by 1, 2 order by count(*) desc, 1, 2 limit 1`,
    );
    keep = pair.a;
    remove = pair.b;
    const removedCases = await casesNaming(remove);
    both = (await casesNaming(keep)).filter((id) => removedCases.includes(id));
    either = [...new Set([...(await casesNaming(keep)), ...removedCases])].sort((a, b) => a - b);
    expect(both.length).toBeGreaterThan(0);
    // a deleted case of the duplicate alone, and a member of the duplicate (the account row as better-auth writes it)
    deletedCase = removedCases.find((id) => !both.includes(id))!;
    await softDeleteCase(e, deletedCase, adminId);
    await e.run(sql`insert into "user" (id, name, email, email_verified, created_at, updated_at, role, holder_id)
      values (${memberId}, 'Member', 'dup.member@example.test', ${e.say.bool(false)}, 0, 0, 'member', ${remove})`);
  });

  it("creates a right holder with an audit entry, and refuses a name taken in any letter case", async () => {
    const input: RightHolderInput = { name: "Brand New Holder Ltd", nameZh: "全新权利人有限公司", country: "DE", industry: "automotive", foreignInvested: true, qbpcMember: false };
    const { id } = await createRightHolder(e, input, adminId);
    expect(await holder(id)).toMatchObject({ name: input.name, country: "DE", industry: "automotive", foreignInvested: true, qbpcMember: false });
    expect(await lastAudit("right_holder")).toMatchObject({ action: "create", entityId: id, userId: adminId });
    const taken = await refusal(() => createRightHolder(e, { ...input, name: "BRAND NEW HOLDER LTD" }, adminId));
    expect([taken.field, taken.code]).toEqual(["name", "taken"]);
    const renamedOnto = await refusal(async () => updateRightHolder(e, keep, { ...(await inputOf(keep)), name: input.name }, adminId));
    expect([renamedOnto.field, renamedOnto.code]).toEqual(["name", "taken"]);
  });

  it("renaming a right holder rewrites the search documents of its live cases", async () => {
    const live = await liveCasesNaming(remove);
    await updateRightHolder(e, remove, { ...(await inputOf(remove)), name: "Zyxwv Duplicate Holder", nameZh: "重复权利人" }, adminId);
    expect(await searchHolders("Zyxwv Duplicate Holder")).toEqual(live);
    expect(await searchHolders("重复权利人")).toEqual(live);
    const entry = await lastAudit("right_holder");
    expect(entry.action).toBe("update");
    expect(Object.keys(json(entry.after)).sort()).toEqual(["name", "nameZh"]);
    expect(await mismatches()).toEqual([]);
  });

  it("changing a right holder's industry moves its cases in the industry figures exactly", async () => {
    const was = (await inputOf(remove)).industry;
    const keptIndustry = (await inputOf(keep)).industry;
    const target = industries.values.find((i) => i !== was && i !== keptIndustry)!;
    const result = await updateRightHolder(e, remove, { ...(await inputOf(remove)), industry: target }, adminId);
    expect(result.cases).toBe((await liveCasesNaming(remove)).length);
    expect(await mismatches()).toEqual([]);
    const entry = await lastAudit("right_holder");
    expect([json(entry.before), json(entry.after)]).toEqual([{ industry: was }, { industry: target }]);
  });

  it("refuses to merge a holder into itself or into one that does not exist", async () => {
    expect((await refusal(() => mergeRightHolders(e, keep, keep, adminId))).code).toBe("same_holder");
    expect((await refusal(() => mergeRightHolders(e, keep, 999_999, adminId))).field).toBe("removeId");
    expect(await holder(remove)).toBeDefined();
  });

  it("merging keeps every case, once, moves the members, and leaves search and derived tables exact", async () => {
    const keptName = (await holder(keep))!.name;
    const auditBefore = Number((await one<{ n: number }>(sql`select count(*) as n from audit_log`)).n);
    const result = await mergeRightHolders(e, keep, remove, adminId);

    // every case naming either now names the kept one, each exactly once
    expect(await casesNaming(keep)).toEqual(either);
    expect(result.cases).toBe(either.length);
    expect(await casesNaming(remove)).toEqual([]);
    expect(await all(sql`select case_id, count(*) from case_right_holders where right_holder_id = ${keep} group by case_id having count(*) > 1`)).toEqual([]);
    expect(await holder(remove)).toBeUndefined();
    expect((await one<{ holderId: number }>(sql`select holder_id as "holderId" from "user" where id = ${memberId}`)).holderId).toBe(keep);
    expect(result.members).toBe(1);

    // search finds the moved cases under the kept name, and nothing under the removed one
    expect(await searchHolders("Zyxwv Duplicate Holder")).toEqual([]);
    expect(await searchHolders("重复权利人")).toEqual([]);
    const byKeptName = await searchHolders(keptName);
    for (const id of await liveCasesNaming(keep)) expect(byKeptName).toContain(id);

    expect(await mismatches()).toEqual([]);

    // one audit entry, on the kept holder, holding the removed one as it was
    expect(Number((await one<{ n: number }>(sql`select count(*) as n from audit_log`)).n)).toBe(auditBefore + 1);
    const entry = await lastAudit("right_holder");
    expect(entry).toMatchObject({ action: "merge", entityId: keep, userId: adminId });
    expect(json(entry.before).removed).toMatchObject({ id: remove, name: "Zyxwv Duplicate Holder" });
    expect(json(entry.after)).toMatchObject({ cases: either.length, movedMembers: ["dup.member@example.test"] });
  });

  it("a deleted case of the removed holder comes back naming the kept one", async () => {
    await restoreCase(e, deletedCase, adminId);
    const named = await ids(sql`select right_holder_id as id from case_right_holders where case_id = ${deletedCase}`);
    expect(named).toContain(keep);
    expect(named).not.toContain(remove);
    expect(await searchHolders((await holder(keep))!.name)).toContain(deletedCase);
    expect(await mismatches()).toEqual([]);
  });
});

describe("customs offices", () => {
  const districtOf = async (code: string) => (await one<{ id: number }>(sql`select id from customs_offices where code = ${code} and district_id is null`)).id;
  const officeWithCases = () =>
    one<{ id: number; districtId: number }>(
      sql`select o.id, o.district_id as "districtId" from customs_offices o where o.district_id is not null and exists (select 1 from cases c where c.office_id = o.id) order by o.id limit 1`,
    );
  const freeCode = async () => {
    for (let n = 9999; ; n--) if (!(await e.get(sql`select 1 from customs_offices where code = ${String(n)}`))) return String(n);
  };

  it("creates a subordinate customs under a district, with an audit entry, and refuses a taken or malformed code", async () => {
    const code = await freeCode();
    const kunming = await districtOf("8600");
    const { id } = await createOffice(e, { code, nameEn: "Test Customs", nameZh: "测试海关", province: "Yunnan", districtId: kunming }, adminId);
    expect(await one(sql`select code, district_id as "districtId" from customs_offices where id = ${id}`)).toEqual({ code, districtId: kunming });
    expect(await lastAudit("customs_office")).toMatchObject({ action: "create", entityId: id });
    const taken = await refusal(() => createOffice(e, { code: "8600", nameEn: "X", nameZh: "某", province: "Yunnan", districtId: kunming }, adminId));
    expect([taken.field, taken.code]).toEqual(["code", "code_taken"]);
    expect((await refusal(() => createOffice(e, { code: "86a0", nameEn: "X", nameZh: "某", province: "Yunnan", districtId: kunming }, adminId))).code).toBe("code_format");
    // a subordinate belongs to a district, not to another subordinate
    const another = await freeCode();
    expect((await refusal(() => createOffice(e, { code: another, nameEn: "X", nameZh: "某", province: "Yunnan", districtId: id }, adminId))).field).toBe("districtId");
  });

  it("edits names and province, and moves an office without cases to another district", async () => {
    const { id } = await one<{ id: number }>(sql`select id from customs_offices where name_en = 'Test Customs'`);
    await updateOffice(e, id, { nameEn: "Test Customs Office", nameZh: "测试海关办事处", province: "Yunnan", districtId: await districtOf("8600") }, adminId);
    expect(json((await lastAudit("customs_office")).after)).toMatchObject({ nameEn: "Test Customs Office", nameZh: "测试海关办事处" });
    const shanghai = await districtOf("2200");
    await updateOffice(e, id, { nameEn: "Test Customs Office", nameZh: "测试海关办事处", province: "Shanghai", districtId: shanghai }, adminId);
    expect((await one<{ d: number }>(sql`select district_id as d from customs_offices where id = ${id}`)).d).toBe(shanghai);
  });

  it("refuses to move an office with cases to another district, or to make a district subordinate", async () => {
    const office = await officeWithCases();
    const other = (await one<{ id: number }>(sql`select id from customs_offices where district_id is null and id <> ${office.districtId} order by id limit 1`)).id;
    const before = await one(sql`select * from customs_offices where id = ${office.id}`);
    const names = await one<{ nameEn: string; nameZh: string; province: string }>(sql`select name_en as "nameEn", name_zh as "nameZh", province from customs_offices where id = ${office.id}`);
    const refused = await refusal(() => updateOffice(e, office.id, { ...names, districtId: other }, adminId));
    expect(refused.field).toBe("districtId");
    expect(refused.code).toBe("has_cases");
    expect(Number(refused.params.cases)).toBeGreaterThan(0);
    expect(await one(sql`select * from customs_offices where id = ${office.id}`)).toEqual(before);
    const kunming = await districtOf("8600");
    expect((await refusal(() => updateOffice(e, kunming, { nameEn: "Kunming", nameZh: "昆明海关", province: "Yunnan", districtId: other }, adminId))).code).toBe("district_fixed");
    expect(await mismatches()).toEqual([]);
  });
});
});
