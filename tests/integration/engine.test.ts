import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { first, parseJson, type Engine } from "../../db/engine";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";

// The engine interface (db/engine.ts) says the same on both engines: builder queries, raw SQL
// with quoted aliases, transactions that commit or roll back whole, savepoints, the dialect's
// words; and on SQLite, a statement of another request waits for an open transaction.

describe.each(ENGINES)("the engine interface on %s", (dialect) => {
  let fresh: FreshEngine;
  let e: Engine;
  beforeAll(async () => {
    fresh = await freshEngine(dialect, "engine");
    e = fresh.e;
    await e.transaction(async (tx) => {
      await tx.db.insert(tx.t.rightHolders).values([
        { name: "Acme", nameZh: "艾克米", country: "US", industry: "luxury" },
        { name: "Brio", nameZh: null, country: "DE", industry: "luxury" },
      ]);
    });
  });
  afterAll(() => fresh.close());

  it("runs builder queries and raw SQL with camel-case aliases", async () => {
    const rows = await e.db.select({ name: e.t.rightHolders.name }).from(e.t.rightHolders).orderBy(e.t.rightHolders.name);
    expect(rows.map((r) => r.name)).toEqual(["Acme", "Brio"]);
    const one = await first(e.db.select({ id: e.t.rightHolders.id, nameZh: e.t.rightHolders.nameZh }).from(e.t.rightHolders).where(sql`${e.t.rightHolders.name} = 'Acme'`));
    expect(one?.nameZh).toBe("艾克米");
    const raw = await e.get<{ holderCount: number }>(sql`select count(*) as "holderCount" from ${e.t.rightHolders}`);
    expect(raw).toEqual({ holderCount: 2 });
    expect((await e.run(sql`update ${e.t.rightHolders} set country = 'US' where name = 'Nobody'`)).changes).toBe(0);
  });

  it("says lists, JSON arrays, case-insensitive matches and booleans in the engine's words", async () => {
    const h = e.t.rightHolders;
    const ids = (await e.all<{ id: number }>(sql`select id from ${h} order by id`)).map((r) => r.id);
    expect(await e.all(sql`select name from ${h} where ${e.say.inList(sql`id`, ids.slice(1))}`)).toEqual([{ name: "Brio" }]);
    expect(await e.all(sql`select name from ${h} where ${e.say.inList(sql`name`, ["Acme", "x\"y"])}`)).toEqual([{ name: "Acme" }]);
    expect(await e.all(sql`select name from ${h} where ${e.say.inList(sql`id`, [])}`)).toEqual([]);
    const json = await e.get<{ list: unknown }>(sql`select ${e.say.jsonArrayOf({ id: sql`id`, name: sql`name` }, sql`name`)} as list from ${h}`);
    expect(parseJson<{ name: string }[]>(json!.list).map((x) => x.name).sort()).toEqual(["Acme", "Brio"]);
    expect(await e.all(sql`select name from ${h} where ${e.say.ilike(sql`name`, "acm%")}`)).toEqual([{ name: "Acme" }]);
    expect(await e.all(sql`select name from ${h} where ${e.say.never}`)).toEqual([]);
  });

  it("commits a transaction whole, rolls back a failed one whole, and nests savepoints", async () => {
    const h = e.t.rightHolders;
    await expect(
      e.transaction(async (tx) => {
        await tx.db.insert(h).values({ name: "Ghost", country: "US", industry: "luxury" });
        throw new Error("stop");
      }),
    ).rejects.toThrow("stop");
    expect(await e.all(sql`select name from ${h} where name = 'Ghost'`)).toEqual([]);
    await e.transaction(async (tx) => {
      expect(tx.inTransaction).toBe(true);
      await tx.db.insert(h).values({ name: "Kept", country: "US", industry: "luxury" });
      await expect(
        tx.transaction(async (inner) => {
          await inner.db.insert(h).values({ name: "Inner", country: "US", industry: "luxury" });
          throw new Error("inner");
        }),
      ).rejects.toThrow("inner");
    });
    expect((await e.all<{ name: string }>(sql`select name from ${h} where name in ('Kept', 'Inner')`)).map((r) => r.name)).toEqual(["Kept"]);
  });

  it("keeps another request's statements out of an open transaction", async () => {
    const h = e.t.rightHolders;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const writer = e.transaction(async (tx) => {
      await tx.run(sql`update ${h} set country = 'FR' where name = 'Brio'`);
      inside();
      await held;
      throw new Error("undo");
    });
    await entered;
    // reads outside the transaction, raw and through the builder (better-auth's way), must
    // not see its uncommitted change
    const read = e.get<{ country: string }>(sql`select country from ${h} where name = 'Brio'`);
    const built = first(e.db.select({ country: h.country }).from(h).where(sql`${h.name} = 'Brio'`));
    const inserted = e.db.insert(h).values({ name: "Outside", country: "US", industry: "luxury" }).returning({ id: h.id });
    release();
    await expect(writer).rejects.toThrow("undo");
    expect(await read).toEqual({ country: "DE" });
    expect(await built).toEqual({ country: "DE" });
    // a write outside it is not rolled back with it
    expect((await inserted).length).toBe(1);
    expect(await e.get(sql`select name from ${h} where name = 'Outside'`)).toEqual({ name: "Outside" });
  });

  it("runs transactions asked for in the same tick one after the other, each whole", async () => {
    // two members answering one notice at once met this: on SQLite both took the write lock
    // and the second failed ("cannot start a transaction within a transaction")
    const h = e.t.rightHolders;
    const names = ["Tick A", "Tick B", "Tick C"];
    const done = await Promise.all(names.map((name) => e.transaction(async (tx) => {
      await tx.db.insert(h).values({ name, country: "US", industry: "luxury" });
      await new Promise((resolve) => setImmediate(resolve));
      return (await tx.all<{ name: string }>(sql`select name from ${h} where name like 'Tick %'`)).length;
    })));
    // SQLite: one after the other (each sees those before it); PostgreSQL: side by side
    if (dialect === "sqlite") expect(done.sort()).toEqual([1, 2, 3]);
    expect((await e.all(sql`select name from ${h} where name like 'Tick %'`)).length).toBe(3);
  });
});
