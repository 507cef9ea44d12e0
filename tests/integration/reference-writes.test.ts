import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createAuth, type Auth } from "../../db/auth";
import { restoreCase, softDeleteCase } from "../../db/mutations/cases";
import { sqliteEngine } from "../../db/engine";
import { listAuditEntries } from "../../db/queries/audit";
import {
  ReferenceFieldError,
  createOffice,
  createRightHolder,
  mergeRightHolders,
  updateOffice,
  updateRightHolder,
  type RightHolderInput,
} from "../../db/mutations/reference";
import { derivedMismatches } from "../../db/aggregate/check";
import { industries } from "../../lib/enums";
import { toMatchExpression } from "../../lib/search";
import { seedDatabase } from "../../seed/run";
import { freshDb } from "../support/db";

// Right holders, offices and accounts as the admin pages write them, against a seeded file:
// every write keeps the cases, the search index and the derived tables exact.

let t: ReturnType<typeof freshDb>;
let auth: Auth;
let adminId: string;
beforeAll(async () => {
  t = freshDb("reference-writes");
  seedDatabase(t.db.$client, { cases: 5_000, seed: 5 });
  auth = await createAuth(sqliteEngine(t.db));
  adminId = await createAccount(sqliteEngine(t.db), auth, { email: "boss@example.test", name: "Boss", role: "admin", holderId: null, password: "a-long-password" });
});
afterAll(() => t.close());

const sqlite = () => t.db.$client;
const all = <T>(query: string, ...params: unknown[]) => sqlite().prepare(query).all(...params) as T[];
const one = <T>(query: string, ...params: unknown[]) => sqlite().prepare(query).get(...params) as T;
const ids = (query: string, ...params: unknown[]) => (sqlite().prepare(query).pluck().all(...params) as number[]).sort((a, b) => a - b);
const holder = (id: number) =>
  one<(Omit<RightHolderInput, "foreignInvested" | "qbpcMember"> & { id: number; foreignInvested: number; qbpcMember: number }) | undefined>(
    "select id, name, name_zh as nameZh, country, industry, foreign_invested as foreignInvested, qbpc_member as qbpcMember from right_holders where id = ?",
    id,
  );
const inputOf = (id: number): RightHolderInput => {
  const h = holder(id)!;
  return { name: h.name, nameZh: h.nameZh, country: h.country, industry: h.industry, foreignInvested: h.foreignInvested === 1, qbpcMember: h.qbpcMember === 1 };
};
/** Live cases whose search document's right-holder names match the words (and only that column). */
const searchHolders = (words: string) =>
  ids("select rowid from cases_fts where cases_fts match ?", `holders : (${toMatchExpression(words)!.replace(/\*/g, "")})`);
const liveCasesNaming = (holderId: number) =>
  ids("select c.id from cases c join case_right_holders l on l.case_id = c.id where l.right_holder_id = ? and c.deleted_at is null", holderId);
const casesNaming = (holderId: number) => ids("select case_id from case_right_holders where right_holder_id = ?", holderId);
const lastAudit = (entity: string) =>
  one<{ action: string; entityId: number; userId: string; before: string; after: string }>(
    "select action, entity_id as entityId, user_id as userId, before, after from audit_log where entity = ? order by id desc limit 1",
    entity,
  );
const refusal = (fn: () => unknown): ReferenceFieldError => {
  try {
    fn();
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
  let memberId: string;

  beforeAll(async () => {
    const pair = one<{ a: number; b: number }>(
      `select l1.right_holder_id as a, l2.right_holder_id as b from case_right_holders l1
       join case_right_holders l2 on l2.case_id = l1.case_id and l2.right_holder_id > l1.right_holder_id
       join right_holders h1 on h1.id = l1.right_holder_id join right_holders h2 on h2.id = l2.right_holder_id
       where h1.industry <> h2.industry
       group by 1, 2 order by count(*) desc, 1, 2 limit 1`,
    );
    keep = pair.a;
    remove = pair.b;
    both = casesNaming(keep).filter((id) => casesNaming(remove).includes(id));
    either = [...new Set([...casesNaming(keep), ...casesNaming(remove)])].sort((a, b) => a - b);
    expect(both.length).toBeGreaterThan(0);
    // a deleted case of the duplicate alone, and a member of the duplicate
    deletedCase = casesNaming(remove).find((id) => !both.includes(id))!;
    softDeleteCase(sqlite(), deletedCase, adminId);
    memberId = await createAccount(sqliteEngine(t.db), auth, { email: "dup.member@example.test", name: "Member", role: "member", holderId: remove, password: "a-long-password" });
  });

  it("creates a right holder with an audit entry, and refuses a name taken in any letter case", () => {
    const input: RightHolderInput = { name: "Brand New Holder Ltd", nameZh: "全新权利人有限公司", country: "DE", industry: "automotive", foreignInvested: true, qbpcMember: false };
    const { id } = createRightHolder(sqlite(), input, adminId);
    expect(holder(id)).toMatchObject({ name: input.name, country: "DE", industry: "automotive", foreignInvested: 1, qbpcMember: 0 });
    expect(lastAudit("right_holder")).toMatchObject({ action: "create", entityId: id, userId: adminId });
    const taken = refusal(() => createRightHolder(sqlite(), { ...input, name: "BRAND NEW HOLDER LTD" }, adminId));
    expect([taken.field, taken.code]).toEqual(["name", "taken"]);
    const renamedOnto = refusal(() => updateRightHolder(sqlite(), keep, { ...inputOf(keep), name: input.name }, adminId));
    expect([renamedOnto.field, renamedOnto.code]).toEqual(["name", "taken"]);
  });

  it("renaming a right holder rewrites the search documents of its live cases", () => {
    const live = liveCasesNaming(remove);
    updateRightHolder(sqlite(), remove, { ...inputOf(remove), name: "Zyxwv Duplicate Holder", nameZh: "重复权利人" }, adminId);
    expect(searchHolders("Zyxwv Duplicate Holder")).toEqual(live);
    expect(searchHolders("重复权利人")).toEqual(live);
    const entry = lastAudit("right_holder");
    expect(entry.action).toBe("update");
    expect(Object.keys(JSON.parse(entry.after)).sort()).toEqual(["name", "nameZh"]);
  });

  it("changing a right holder's industry moves its cases in the industry figures exactly", () => {
    const was = inputOf(remove).industry;
    const other = industries.values.find((i) => i !== was && i !== inputOf(keep).industry)!;
    const result = updateRightHolder(sqlite(), remove, { ...inputOf(remove), industry: other }, adminId);
    expect(result.cases).toBe(liveCasesNaming(remove).length);
    expect(derivedMismatches(sqlite())).toEqual([]);
    const entry = lastAudit("right_holder");
    expect([JSON.parse(entry.before), JSON.parse(entry.after)]).toEqual([{ industry: was }, { industry: other }]);
  });

  it("refuses to merge a holder into itself or into one that does not exist", () => {
    expect(refusal(() => mergeRightHolders(sqlite(), keep, keep, adminId)).code).toBe("same_holder");
    expect(refusal(() => mergeRightHolders(sqlite(), keep, 999_999, adminId)).field).toBe("removeId");
    expect(holder(remove)).toBeDefined();
  });

  it("merging keeps every case, once, moves the members, and leaves search and derived tables exact", async () => {
    const keptName = holder(keep)!.name;
    const auditBefore = one<{ n: number }>("select count(*) as n from audit_log").n;
    const result = mergeRightHolders(sqlite(), keep, remove, adminId);

    // every case naming either now names the kept one, each exactly once
    expect(casesNaming(keep)).toEqual(either);
    expect(result.cases).toBe(either.length);
    expect(casesNaming(remove)).toEqual([]);
    expect(all("select case_id, count(*) from case_right_holders where right_holder_id = ? group by case_id having count(*) > 1", keep)).toEqual([]);
    for (const id of both) expect(ids("select right_holder_id from case_right_holders where case_id = ?", id).filter((h) => h === keep)).toHaveLength(1);
    expect(holder(remove)).toBeUndefined();
    expect(one<{ holderId: number }>("select holder_id as holderId from user where id = ?", memberId).holderId).toBe(keep);
    expect(result.members).toBe(1);

    // search finds the moved cases under the kept name, and nothing under the removed one
    expect(searchHolders("Zyxwv Duplicate Holder")).toEqual([]);
    expect(searchHolders("重复权利人")).toEqual([]);
    const byKeptName = searchHolders(keptName);
    for (const id of liveCasesNaming(keep)) expect(byKeptName).toContain(id);

    expect(derivedMismatches(sqlite())).toEqual([]);

    // one audit entry, on the kept holder, holding the removed one as it was
    expect(one<{ n: number }>("select count(*) as n from audit_log").n).toBe(auditBefore + 1);
    const entry = lastAudit("right_holder");
    expect(entry).toMatchObject({ action: "merge", entityId: keep, userId: adminId });
    expect(JSON.parse(entry.before).removed).toMatchObject({ id: remove, name: "Zyxwv Duplicate Holder" });
    expect(JSON.parse(entry.after)).toMatchObject({ cases: either.length, movedMembers: ["dup.member@example.test"] });
    const listed = await listAuditEntries(sqliteEngine(t.db), { action: "merge" });
    expect(listed.total).toBe(1);
    expect(listed.rows[0]).toMatchObject({ entity: "right_holder", entityId: keep, userLabel: "boss@example.test" });
  });

  it("a deleted case of the removed holder comes back naming the kept one", () => {
    restoreCase(sqlite(), deletedCase, adminId);
    const named = ids("select right_holder_id from case_right_holders where case_id = ?", deletedCase);
    expect(named).toContain(keep);
    expect(named).not.toContain(remove);
    expect(searchHolders(holder(keep)!.name)).toContain(deletedCase);
    expect(derivedMismatches(sqlite())).toEqual([]);
  });
});

describe("customs offices", () => {
  const districtOf = (code: string) => one<{ id: number }>("select id from customs_offices where code = ? and district_id is null", code).id;
  const officeWithCases = () =>
    one<{ id: number; districtId: number }>(
      "select o.id, o.district_id as districtId from customs_offices o where o.district_id is not null and exists (select 1 from cases c where c.office_id = o.id) limit 1",
    );
  const freeCode = () => {
    for (let n = 9999; ; n--) if (!one("select 1 from customs_offices where code = ?", String(n))) return String(n);
  };

  it("creates a subordinate customs under a district, with an audit entry, and refuses a taken or malformed code", () => {
    const code = freeCode();
    const kunming = districtOf("8600");
    const { id } = createOffice(sqlite(), { code, nameEn: "Test Customs", nameZh: "测试海关", province: "Yunnan", districtId: kunming }, adminId);
    expect(one("select code, district_id as districtId from customs_offices where id = ?", id)).toEqual({ code, districtId: kunming });
    expect(lastAudit("customs_office")).toMatchObject({ action: "create", entityId: id });
    const taken = refusal(() => createOffice(sqlite(), { code: "8600", nameEn: "X", nameZh: "某", province: "Yunnan", districtId: kunming }, adminId));
    expect([taken.field, taken.code]).toEqual(["code", "code_taken"]);
    expect(refusal(() => createOffice(sqlite(), { code: "86a0", nameEn: "X", nameZh: "某", province: "Yunnan", districtId: kunming }, adminId)).code).toBe("code_format");
    // a subordinate belongs to a district, not to another subordinate
    expect(refusal(() => createOffice(sqlite(), { code: freeCode(), nameEn: "X", nameZh: "某", province: "Yunnan", districtId: id }, adminId)).field).toBe("districtId");
  });

  it("edits names and province, and moves an office without cases to another district", () => {
    const { id } = one<{ id: number }>("select id from customs_offices where name_en = 'Test Customs'");
    updateOffice(sqlite(), id, { nameEn: "Test Customs Office", nameZh: "测试海关办事处", province: "Yunnan", districtId: districtOf("8600") }, adminId);
    expect(JSON.parse(lastAudit("customs_office").after)).toMatchObject({ nameEn: "Test Customs Office", nameZh: "测试海关办事处" });
    const shanghai = districtOf("2200");
    updateOffice(sqlite(), id, { nameEn: "Test Customs Office", nameZh: "测试海关办事处", province: "Shanghai", districtId: shanghai }, adminId);
    expect(one<{ d: number }>("select district_id as d from customs_offices where id = ?", id).d).toBe(shanghai);
  });

  it("refuses to move an office with cases to another district, or to make a district subordinate", () => {
    const office = officeWithCases();
    const other = one<{ id: number }>("select id from customs_offices where district_id is null and id <> ? limit 1", office.districtId).id;
    const before = one("select * from customs_offices where id = ?", office.id);
    const refused = refusal(() => updateOffice(sqlite(), office.id, { ...one<{ nameEn: string; nameZh: string; province: string }>("select name_en as nameEn, name_zh as nameZh, province from customs_offices where id = ?", office.id), districtId: other }, adminId));
    expect(refused.field).toBe("districtId");
    expect(refused.code).toBe("has_cases");
    expect(Number(refused.params.cases)).toBeGreaterThan(0);
    expect(one("select * from customs_offices where id = ?", office.id)).toEqual(before);
    const kunming = districtOf("8600");
    expect(refusal(() => updateOffice(sqlite(), kunming, { nameEn: "Kunming", nameZh: "昆明海关", province: "Yunnan", districtId: other }, adminId)).code).toBe("district_fixed");
    expect(derivedMismatches(sqlite())).toEqual([]);
  });
});

// accounts and the audit log query: tests/integration/accounts.test.ts (on both engines)
