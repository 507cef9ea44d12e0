import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../db/engine";
import { createCase, type CaseInput } from "../../db/mutations/cases";
import { listCases } from "../../db/queries/cases";
import { activeTokenCount, checkToken, createToken, forgetTokenUses, hashToken, LAST_USE_INTERVAL, listTokens, revokeToken } from "../../db/tokens";
import { parseCaseQuery } from "../../lib/filters";
import { caseScope, type SessionUser } from "../../lib/roles";
import type { Role } from "../../lib/enums";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";

// Personal API tokens on both engines (issue 20, item 5; db/tokens.ts): only the SHA-256 is
// stored (the token appears nowhere in the database); an expired or revoked token is refused
// with its reason; a member's token reads exactly what SQL says its company's cases are; the
// last use is written at most once a minute; creation and revocation are in the audit log.

const DAY = 86_400_000;

describe.each(ENGINES)("API tokens on %s", (dialect) => {
  let fresh: FreshEngine;
  let e: Engine;
  let holderA = 0;
  let holderB = 0;
  let officeId = 0;

  beforeAll(async () => {
    fresh = await freshEngine(dialect, "tokens");
    e = fresh.e;
    forgetTokenUses();
    await e.transaction(async (tx) => {
      const { rightHolders, users, customsOffices } = tx.t;
      const [office] = await tx.db.insert(customsOffices).values({ code: "8600", nameEn: "Kunming", nameZh: "昆明海关", province: "Yunnan" }).returning({ id: customsOffices.id });
      officeId = office!.id;
      const rows = await tx.db
        .insert(rightHolders)
        .values([
          { name: "Acme Corp", country: "US", industry: "apparel_sportswear" },
          { name: "Brightlight GmbH", country: "DE", industry: "lighting" },
        ])
        .returning({ id: rightHolders.id });
      holderA = rows[0]!.id;
      holderB = rows[1]!.id;
      const now = new Date();
      const user = (id: string, role: Role, holderId: number | null = null) => ({ id, name: id, email: `${id}@example.test`, role, holderId, createdAt: now, updatedAt: now });
      await tx.db.insert(users).values([user("u-admin", "admin"), user("u-analyst", "analyst"), user("u-member", "member", holderA)]);
    });
    let serial = 0;
    const newCase = (holders: number[]) => {
      const input: CaseInput = {
        caseNo: `8600-2024-${String(++serial).padStart(5, "0")}`, seizedOn: "2024-09-01", officeId, infringementType: "trademark", goodsCategory: "toys",
        goodsDescription: "Toys", pieces: 10, valueFen: 100, direction: "import", channel: "postal", transport: "post", protectionMode: "ex_officio",
        status: "detained", hearingHeld: false, referredToPolice: false, rightHolderIds: holders,
      };
      return createCase(e, input, "u-admin");
    };
    for (const holders of [[holderA], [holderA, holderB], [holderB], [holderB], [holderA]]) await newCase(holders);
  });
  afterAll(async () => fresh?.close());

  const sessionUserOf = (u: Record<string, unknown>): SessionUser => ({
    id: String(u.id), email: String(u.email), name: String(u.name), role: u.role as Role, holderId: typeof u.holderId === "number" ? u.holderId : null,
  });

  it("stores only the hash and a short prefix, and audits the creation", async () => {
    const { id, token, expiresAt } = await createToken(e, "u-analyst", "nightly export", 90, 1_000_000);
    expect(token).toMatch(/^bet_[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe(1_000_000 + 90 * DAY);
    const [row] = await e.all<Record<string, unknown>>(sql`select * from api_tokens where id = ${id}`);
    expect(row!.hash).toBe(hashToken(token));
    expect(String(row!.prefix)).toBe(token.slice(0, 10));
    // the token itself is in no column of the table, nor in the audit log
    const dump = JSON.stringify(await e.all(sql`select * from api_tokens`)) + JSON.stringify(await e.all(sql`select * from audit_log`));
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.slice(10));
    const [audit] = await e.all<{ action: string; user_id: string }>(sql`select action, user_id from audit_log where entity = 'api_token' and entity_id = ${id}`);
    expect(audit).toEqual({ action: "create", user_id: "u-analyst" });
    const list = await listTokens(e, "u-analyst");
    expect(list.map((r) => [r.id, r.name, r.email, r.revokedAt])).toEqual([[id, "nightly export", "u-analyst@example.test", null]]);
  });

  it("refuses an unknown, an expired and a revoked token, with the reason", async () => {
    expect(await checkToken(e, "bet_nothing-like-this")).toEqual({ ok: false, reason: "unknown" });
    expect(await checkToken(e, "Bearer xyz")).toEqual({ ok: false, reason: "unknown" });
    const now = Date.now();
    const short = await createToken(e, "u-analyst", "short", 30, now - 31 * DAY);
    expect(await checkToken(e, short.token, now)).toEqual({ ok: false, reason: "expired", at: short.expiresAt });
    const live = await createToken(e, "u-analyst", "live", 30, now);
    expect((await checkToken(e, live.token, now)).ok).toBe(true);
    // another's token cannot be revoked through the owner's path
    expect(await revokeToken(e, live.id, "u-member", "u-member", now + 1)).toBe(false);
    expect((await checkToken(e, live.token, now + 2)).ok).toBe(true);
    expect(await revokeToken(e, live.id, "u-admin", undefined, now + 3)).toBe(true);
    expect(await checkToken(e, live.token, now + 4)).toEqual({ ok: false, reason: "revoked", at: now + 3 });
    const audits = await e.all<{ action: string; user_id: string }>(sql`select action, user_id from audit_log where entity = 'api_token' and entity_id = ${live.id} order by id`);
    expect(audits).toEqual([{ action: "create", user_id: "u-analyst" }, { action: "update", user_id: "u-admin" }]);
    // revoking again changes nothing and writes no second entry
    expect(await revokeToken(e, live.id, "u-admin", undefined, now + 5)).toBe(true);
    expect(await e.all(sql`select id from audit_log where entity = 'api_token' and entity_id = ${live.id}`)).toHaveLength(2);
    expect(await revokeToken(e, 999_999, "u-admin")).toBe(false);
  });

  it("gives a member's token exactly its company's cases, as SQL counts them", async () => {
    const { token } = await createToken(e, "u-member", "member script", 30);
    const check = await checkToken(e, token);
    if (!check.ok) throw new Error(`token refused: ${check.reason}`);
    const user = sessionUserOf(check.user);
    expect(user).toMatchObject({ id: "u-member", role: "member", holderId: holderA });
    const page = await listCases(e, parseCaseQuery(new URLSearchParams("size=100")).query, caseScope(user));
    const expected = await e.all<{ id: number }>(sql`
      select c.id from cases c where c.deleted_at is null and exists (select 1 from case_right_holders l where l.case_id = c.id and l.right_holder_id = ${holderA}) order by c.id`);
    expect(expected).toHaveLength(3);
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => Number(r.id)).sort((a, b) => a - b)).toEqual(expected.map((r) => Number(r.id)));
    // an analyst's token reads everything
    const analyst = await createToken(e, "u-analyst", "all", 30);
    const a = await checkToken(e, analyst.token);
    if (!a.ok) throw new Error("analyst token refused");
    expect((await listCases(e, parseCaseQuery(new URLSearchParams()).query, caseScope(sessionUserOf(a.user)))).total).toBe(5);
  });

  it("writes the last use at most once a minute per token", async () => {
    forgetTokenUses();
    const t0 = Date.now();
    const { id, token } = await createToken(e, "u-analyst", "throttled", 30, t0);
    const lastUse = async () => (await listTokens(e, "u-analyst")).find((r) => r.id === id)!.lastUsedAt;
    expect(await lastUse()).toBeNull();
    await checkToken(e, token, t0 + 1000);
    expect(await lastUse()).toBe(t0 + 1000);
    for (const dt of [2000, 30_000, LAST_USE_INTERVAL]) await checkToken(e, token, t0 + dt);
    expect(await lastUse()).toBe(t0 + 1000);
    await checkToken(e, token, t0 + 1000 + LAST_USE_INTERVAL);
    expect(await lastUse()).toBe(t0 + 1000 + LAST_USE_INTERVAL);
    // another process (its own memory empty) still does not write within the minute: the update's condition
    forgetTokenUses();
    await checkToken(e, token, t0 + 1000 + LAST_USE_INTERVAL + 5000);
    expect(await lastUse()).toBe(t0 + 1000 + LAST_USE_INTERVAL);
  });

  it("counts the tokens that still work", async () => {
    const n = await activeTokenCount(e);
    await createToken(e, "u-admin", "one more", 365);
    expect(await activeTokenCount(e)).toBe(n + 1);
  });
});
