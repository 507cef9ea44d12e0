import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../db/engine";
import { changeView, createView, deleteView, getView, listViews, ViewError, type ViewReader } from "../../db/views";
import { viewHref } from "../../lib/views";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";

// Saved views (issue 20, item 1) on both engines: who sees a view (its owner; when shared, the
// accounts of its role — a member's only those of its own company), the owner's writes with
// their audit rows, and bad input that writes nothing.

describe.each(ENGINES)("saved views on %s", (dialect) => {
  let fresh: FreshEngine;
  let e: Engine;
  let holderA = 0;
  let holderB = 0;
  const reader = (id: string, role: ViewReader["role"], holderId: number | null = null): ViewReader => ({ id, role, holderId });
  let admin1: ViewReader, admin2: ViewReader, analyst: ViewReader, memberA1: ViewReader, memberA2: ViewReader, memberB: ViewReader;

  beforeAll(async () => {
    fresh = await freshEngine(dialect, "views");
    e = fresh.e;
    await e.transaction(async (tx) => {
      const { rightHolders, users } = tx.t;
      const rows = await tx.db
        .insert(rightHolders)
        .values([{ name: "Acme Corp", country: "US", industry: "apparel_sportswear" }, { name: "Brightlight GmbH", country: "DE", industry: "lighting" }])
        .returning({ id: rightHolders.id });
      holderA = rows[0]!.id;
      holderB = rows[1]!.id;
      const now = new Date();
      const user = (id: string, role: "admin" | "analyst" | "member", holderId: number | null = null) =>
        ({ id, name: id, email: `${id}@example.test`, role, holderId, createdAt: now, updatedAt: now });
      await tx.db.insert(users).values([
        user("admin-1", "admin"), user("admin-2", "admin"), user("analyst", "analyst"),
        user("member-a1", "member", holderA), user("member-a2", "member", holderA), user("member-b", "member", holderB),
      ]);
    });
    admin1 = reader("admin-1", "admin");
    admin2 = reader("admin-2", "admin");
    analyst = reader("analyst", "analyst");
    memberA1 = reader("member-a1", "member", holderA);
    memberA2 = reader("member-a2", "member", holderA);
    memberB = reader("member-b", "member", holderB);
  });
  afterAll(async () => fresh?.close());

  const names = async (r: ViewReader) => (await listViews(e, r)).map((v) => v.name);
  const rows = async () => (await e.get<{ n: number }>(sql`select count(*) as n from saved_views`))!.n;
  const audits = async () => (await e.get<{ n: number }>(sql`select count(*) as n from audit_log where entity = 'saved_view'`))!.n;

  it("keeps the filter as the canonical query and shows a view to whom it is shared with", async () => {
    const id = await createView(e, admin1, { name: "  Kunming   trademark ", page: "dashboard", query: "type=trademark&bogus=1&district=5300&from=2024-01-01&page=3", shared: false });
    const view = await getView(e, admin1, id);
    expect(view).toMatchObject({ name: "Kunming trademark", page: "dashboard", query: "from=2024-01-01&district=5300&type=trademark", shared: false, mine: true });
    expect(viewHref("dashboard", view!.query)).toBe("/?from=2024-01-01&district=5300&type=trademark");
    await createView(e, admin1, { name: "Table by value", page: "cases", query: "sort=value.desc&size=50&page=4&status=detained", shared: true });
    expect((await listViews(e, admin1)).find((v) => v.name === "Table by value")!.query).toBe("status=detained&sort=value.desc&size=50");

    // private: the owner only; shared: the same role only
    expect(await names(admin1)).toEqual(["Kunming trademark", "Table by value"]);
    expect(await names(admin2)).toEqual(["Table by value"]);
    expect(await getView(e, admin2, id)).toBeNull();
    expect(await names(analyst)).toEqual([]);
    expect(await names(memberA1)).toEqual([]);

    // a member's shared view: the members of its own company only
    await createView(e, memberA1, { name: "Our toys", page: "dashboard", query: "category=toys", shared: true });
    await createView(e, memberA1, { name: "Mine only", page: "dashboard", query: "", shared: false });
    expect(await names(memberA1)).toEqual(["Mine only", "Our toys"]);
    expect(await names(memberA2)).toEqual(["Our toys"]);
    expect(await names(memberB)).toEqual([]);
    expect(await names(analyst)).toEqual([]);
    expect(await names(admin2)).toEqual(["Table by value"]);
    // a view never carries a scope: the holder filter is the filter model's, the page re-applies the session's scope
    expect(viewHref("dashboard", "holder=999&scope=all")).toBe("/?holder=999");
    expect(await audits()).toBe(4);
  });

  it("renames, updates and deletes the owner's views only, with audit rows", async () => {
    const [view] = (await listViews(e, memberA1)).filter((v) => v.name === "Our toys");
    await changeView(e, memberA1, { id: view!.id, name: "Our toys 2024", shared: true });
    await changeView(e, memberA1, { id: view!.id, query: "category=toys&from=2024-01-01&nonsense=x" });
    expect(await getView(e, memberA2, view!.id)).toMatchObject({ name: "Our toys 2024", query: "from=2024-01-01&category=toys", mine: false });
    // unshared: gone for the colleague
    await changeView(e, memberA1, { id: view!.id, name: "Our toys 2024", shared: false });
    expect(await names(memberA2)).toEqual([]);
    // another user's view is "not found", even when shared with it
    const shared = (await listViews(e, admin2)).find((v) => v.name === "Table by value")!;
    await expect(changeView(e, admin2, { id: shared.id, name: "Taken over" })).rejects.toMatchObject({ field: "id", code: "not_found" });
    await expect(deleteView(e, admin2, shared.id)).rejects.toBeInstanceOf(ViewError);
    await deleteView(e, admin1, shared.id);
    expect(await names(admin2)).toEqual([]);
    const kinds = await e.all<{ action: string }>(sql`select action from audit_log where entity = 'saved_view' order by id`);
    expect(kinds.map((k) => k.action)).toEqual(["create", "create", "create", "create", "update", "update", "update", "delete"]);
  });

  it("refuses bad input with a field and a code, writing nothing", async () => {
    const before = { rows: await rows(), audits: await audits() };
    const refused = (p: Promise<unknown>) => p.then(() => null, (error: ViewError) => ({ field: error.field, code: error.code }));
    expect(await refused(createView(e, analyst, { name: "   ", page: "dashboard", query: "", shared: false }))).toEqual({ field: "name", code: "required" });
    expect(await refused(createView(e, analyst, { name: "x".repeat(81), page: "dashboard", query: "", shared: false }))).toEqual({ field: "name", code: "too_long" });
    expect(await refused(createView(e, admin1, { name: "Kunming trademark", page: "cases", query: "", shared: false }))).toEqual({ field: "name", code: "taken" });
    expect(await refused(createView(e, analyst, { name: "Long", page: "dashboard", query: "q=".padEnd(4001, "a"), shared: false }))).toEqual({ field: "query", code: "too_long" });
    const mine = (await listViews(e, memberA1)).map((v) => v.id);
    expect(await refused(changeView(e, memberA1, { id: mine[0]!, name: "Our toys 2024" }))).toEqual({ field: "name", code: "taken" });
    expect(await refused(changeView(e, memberA1, { id: mine[0]!, name: "" }))).toEqual({ field: "name", code: "required" });
    expect(await refused(changeView(e, memberA1, { id: 999_999, query: "" }))).toEqual({ field: "id", code: "not_found" });
    expect({ rows: await rows(), audits: await audits() }).toEqual(before);
    // the same name under another owner is fine: unique per owner
    await createView(e, admin2, { name: "Kunming trademark", page: "dashboard", query: "", shared: false });
    expect(await names(admin2)).toEqual(["Kunming trademark"]);
  });
});
