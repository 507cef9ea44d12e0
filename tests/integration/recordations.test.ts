import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../db/engine";
import {
  RecordationFieldError, RecordationNotFoundError, approveRecordation, createRecordation, getRecordation, getRecordationImage,
  listRecordations, recordationHistory, recordationHolderChoices, renewRecordation, revokeRecordation, setRecordationParties, updateRecordation,
  type Writer,
} from "../../db/queries/recordations";
import { VersionConflictError } from "../../db/writer";
import { createRandom } from "../../lib/prng";
import { recordationInput, type RecordationInput } from "../../lib/recordations";
import { prepareImage } from "../../db/repo/recordations";
import { generateRecordations } from "../../seed/recordations";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";

// Recordations on both engines: the member's scope (its own company only, another's id is
// "none" for reads and writes), the derived states on a fixed day, renewal's window, approval
// and revocation, one audit row per write, and nothing half-written after a refusal.

const TODAY = "2026-06-15";
// a 1×1 PNG
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

const input = (over: Partial<Record<string, unknown>> = {}): RecordationInput =>
  recordationInput.parse({ number: "T2016-00001", holderId: "", kind: "trademark", rightNo: "1234567", titleEn: "ACME", titleZh: "", classes: "9, 25", validFrom: "2016-07-01", validTo: "", licensees: "", consignors: "", ...over });

describe.each(ENGINES)("recordations on %s", (dialect) => {
  let fresh: FreshEngine;
  let e: Engine;
  let holderA = 0;
  let holderB = 0;
  const admin: Writer = { id: "u-admin", scope: {} };
  let memberA: Writer;
  const count = async (table: "recordations" | "recordation_parties" | "recordation_images" | "audit_log") =>
    Number((await e.get<{ n: number }>(sql`select count(*) as n from ${sql.identifier(table)}`))!.n);

  beforeAll(async () => {
    fresh = await freshEngine(dialect, "recordations");
    e = fresh.e;
    await e.transaction(async (tx) => {
      const { rightHolders, users } = tx.t;
      const rows = await tx.db
        .insert(rightHolders)
        .values([
          { name: "Acme Corp", country: "US", industry: "apparel_sportswear" },
          { name: "Brightlight GmbH", nameZh: "明光", country: "DE", industry: "lighting" },
        ])
        .returning({ id: rightHolders.id });
      holderA = rows[0]!.id;
      holderB = rows[1]!.id;
      const now = new Date();
      await tx.db.insert(users).values([
        { id: "u-admin", name: "Admin", email: "admin@example.test", role: "admin", createdAt: now, updatedAt: now },
        { id: "u-member-a", name: "Member A", email: "a@acme.test", role: "member", holderId: holderA, createdAt: now, updatedAt: now },
      ]);
    });
    memberA = { id: "u-member-a", scope: { restrictToHolders: [holderA] } };
  });
  afterAll(async () => fresh?.close());

  let ownId = 0;
  let otherId = 0;

  it("a member records for its own company only, pending, with its parties and one audit row", async () => {
    const audits = await count("audit_log");
    // the member names the other company: ignored, the recordation is its own company's
    ownId = await createRecordation(e, memberA, input({ holderId: String(holderB), licensees: "Acme (Shanghai) Co.\n\nAcme (Shanghai) Co.", consignors: "Ningbo Supply" }), null);
    const own = await getRecordation(e, admin.scope, ownId, TODAY);
    expect(own).toMatchObject({ number: "T2016-00001", holderId: holderA, holderName: "Acme Corp", status: "pending", state: "pending", classes: [9, 25], validTo: "2026-06-30", hasImage: false });
    expect(own!.parties.map((p) => [p.kind, p.name])).toEqual([["consignor", "Ningbo Supply"], ["licensee", "Acme (Shanghai) Co."]]);
    expect(await count("audit_log")).toBe(audits + 1);
    const row = await e.get<{ action: string; entity: string; userId: string }>(sql`select action, entity, user_id as "userId" from audit_log order by id desc limit 1`);
    expect(row).toEqual({ action: "create", entity: "recordation", userId: "u-member-a" });
  });

  it("an admin records for any holder with an image; a refused write leaves nothing behind", async () => {
    otherId = await createRecordation(e, admin, input({ number: "t2019-00042", holderId: String(holderB), titleEn: "BRIGHT", validFrom: "2019-03-01" }), { contentType: "image/png", bytes: PNG });
    const other = await getRecordation(e, admin.scope, otherId, TODAY);
    expect(other).toMatchObject({ number: "T2019-00042", holderId: holderB, hasImage: true });
    expect((await getRecordationImage(e, admin.scope, otherId))!.bytes.equals(PNG)).toBe(true);

    const before = await Promise.all([count("recordations"), count("recordation_parties"), count("recordation_images"), count("audit_log")]);
    const refusal = (p: Promise<unknown>) => p.then(() => null, (error: unknown) => (error instanceof RecordationFieldError ? [error.field, error.code] : error));
    expect(await refusal(createRecordation(e, admin, input({ number: "T2019-00042", holderId: String(holderB), licensees: "X" }), { contentType: "image/png", bytes: PNG }))).toEqual(["number", "number_taken"]);
    expect(await refusal(createRecordation(e, admin, input({ number: "T2019-00043", holderId: "999999" }), null))).toEqual(["holderId", "unknown"]);
    expect(await refusal(createRecordation(e, admin, input({ number: "T2019-00044", holderId: String(holderA) , validTo: "2026-07-01" }), null))).toEqual(["validTo", "over_ten_years"]);
    expect(await refusal(createRecordation(e, admin, input({ number: "T2019-00045" }), null))).toEqual(["holderId", "required"]);
    expect(await Promise.all([count("recordations"), count("recordation_parties"), count("recordation_images"), count("audit_log")])).toEqual(before);
  });

  it("the input is refused with field codes", () => {
    const codes = (over: Record<string, unknown>) => {
      const r = recordationInput.safeParse({ number: "T2016-00001", holderId: "", kind: "trademark", rightNo: "1", titleEn: "A", classes: "9", validFrom: "2016-01-01", ...over });
      return r.success ? null : Object.fromEntries(r.error.issues.map((i) => [i.path[0], i.message]));
    };
    expect(codes({ number: "2016-1" })).toEqual({ number: "recordation_number" });
    expect(codes({ classes: "9, 46" })).toEqual({ classes: "classes" });
    expect(codes({ classes: "" })).toEqual({ classes: "classes_required" });
    expect(codes({ kind: "copyright", classes: "" })).toBeNull();
    expect(codes({ validFrom: "2016-02-30" })).toEqual({ validFrom: "date" });
    expect(codes({ validTo: "2015-01-01" })).toEqual({ validTo: "before_start" });
    expect(codes({ kind: "song" })).toEqual({ kind: "choose" });
  });

  it("a member sees and touches its own company's recordations only; another's is none", async () => {
    const seen = await listRecordations(e, memberA.scope, { page: 1 }, TODAY);
    expect(seen.rows.map((r) => r.id)).toEqual([ownId]);
    expect(await listRecordations(e, memberA.scope, { page: 1, holder: holderB }, TODAY)).toMatchObject({ total: 0, rows: [] });
    expect(await recordationHolderChoices(e, memberA.scope)).toEqual([{ id: holderA, name: "Acme Corp" }]);
    expect(await getRecordation(e, memberA.scope, otherId, TODAY)).toBeNull();
    expect(await getRecordation(e, admin.scope, 99_999_999_999, TODAY)).toBeNull();
    expect(await getRecordationImage(e, admin.scope, 2 ** 31)).toBeNull();
    expect(await getRecordationImage(e, memberA.scope, otherId)).toBeNull();
    expect(await recordationHistory(e, memberA.scope, otherId)).toEqual([]);
    const other = (await getRecordation(e, admin.scope, otherId, TODAY))!;
    const audits = await count("audit_log");
    await expect(setRecordationParties(e, memberA, otherId, other.version, [{ kind: "licensee", name: "Mine now" }])).rejects.toBeInstanceOf(RecordationNotFoundError);
    await expect(renewRecordation(e, memberA, otherId, other.version, TODAY)).rejects.toBeInstanceOf(RecordationNotFoundError);
    await expect(approveRecordation(e, memberA, otherId, other.version)).rejects.toBeInstanceOf(RecordationNotFoundError);
    expect(await getRecordation(e, admin.scope, otherId, TODAY)).toEqual(other);
    expect(await count("audit_log")).toBe(audits);
  });

  it("an admin approves a pending one once; a stale version is refused naming who changed it", async () => {
    const own = (await getRecordation(e, admin.scope, ownId, TODAY))!;
    await approveRecordation(e, admin, ownId, own.version);
    const approved = (await getRecordation(e, admin.scope, ownId, TODAY))!;
    expect(approved).toMatchObject({ status: "approved", state: "expiring", version: own.version + 1, renewable: true });
    await expect(approveRecordation(e, admin, ownId, approved.version)).rejects.toMatchObject({ code: "not_pending" });
    const stale = await approveRecordation(e, admin, ownId, own.version).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(VersionConflictError);
    expect((stale as VersionConflictError).current).toMatchObject({ version: approved.version, updatedBy: "u-admin" });
  });

  it("derives valid / expiring within 6 months / expired from the dates and today, sorted by expiry", async () => {
    const made: Record<string, number> = {};
    for (const [number, from, to] of [["T2017-00010", "2017-01-01", "2026-12-15"], ["T2016-00011", "2016-06-15", "2026-06-14"], ["T2018-00012", "2018-01-01", "2027-12-31"]] as const) {
      made[number] = await createRecordation(e, admin, input({ number, holderId: String(holderB), validFrom: from, validTo: to }), null);
      await approveRecordation(e, admin, made[number]!, 1);
    }
    const states = async (state: "valid" | "expiring" | "expired" | "pending" | "revoked") =>
      (await listRecordations(e, admin.scope, { page: 1, state }, TODAY)).rows.map((r) => r.number);
    // 2026-12-15 is the last day of the six months from 2026-06-15; 2026-06-14 passed yesterday
    expect(await states("expiring")).toEqual(["T2016-00001", "T2017-00010"]);
    expect(await states("expired")).toEqual(["T2016-00011"]);
    expect(await states("valid")).toEqual(["T2018-00012"]);
    expect(await states("pending")).toEqual(["T2019-00042"]);
    const all = await listRecordations(e, admin.scope, { page: 1 }, TODAY);
    expect(all.rows.map((r) => r.validTo)).toEqual([...all.rows.map((r) => r.validTo)].sort());
    expect(all.rows.find((r) => r.number === "T2018-00012")!.state).toBe("valid");
    // a day later the first one has expired
    expect((await getRecordation(e, admin.scope, made["T2017-00010"]!, "2026-12-16"))!.state).toBe("expired");
    expect((await listRecordations(e, admin.scope, { page: 1, kind: "copyright" }, TODAY)).total).toBe(0);
  });

  it("renews only in the 6 months before expiry, for ten more years", async () => {
    const refused = (p: Promise<unknown>) => p.then(() => null, (error: unknown) => (error instanceof RecordationFieldError ? error.code : error));
    const valid = (await listRecordations(e, admin.scope, { page: 1, state: "valid" }, TODAY)).rows[0]!;
    expect(await refused(renewRecordation(e, admin, valid.id, 2, TODAY))).toBe("too_early");
    const expired = (await listRecordations(e, admin.scope, { page: 1, state: "expired" }, TODAY)).rows[0]!;
    expect(await refused(renewRecordation(e, admin, expired.id, 2, TODAY))).toBe("expired");
    const own = (await getRecordation(e, memberA.scope, ownId, TODAY))!;
    expect(await renewRecordation(e, memberA, ownId, own.version, TODAY)).toBe("2036-06-30");
    expect((await getRecordation(e, memberA.scope, ownId, TODAY))!).toMatchObject({ validTo: "2036-06-30", state: "valid", renewable: false, status: "approved" });
  });

  it("a member updates its licensees; an admin edits and revokes with a reason; the history tells staff who", async () => {
    let own = (await getRecordation(e, memberA.scope, ownId, TODAY))!;
    await setRecordationParties(e, memberA, ownId, own.version, [{ kind: "licensee", name: "Acme Asia Ltd." }]);
    own = (await getRecordation(e, memberA.scope, ownId, TODAY))!;
    expect(own.parties.map((p) => p.name)).toEqual(["Acme Asia Ltd."]);
    await updateRecordation(e, admin, ownId, own.version, input({ holderId: String(holderA), titleEn: "ACME ONE", titleZh: "艾克米", classes: "25", validTo: "2036-06-30", licensees: "Acme Asia Ltd." }), null);
    own = (await getRecordation(e, admin.scope, ownId, TODAY))!;
    expect(own).toMatchObject({ titleEn: "ACME ONE", titleZh: "艾克米", classes: [25], validTo: "2036-06-30", status: "approved" });
    await expect(revokeRecordation(e, admin, ownId, own.version, "  ")).rejects.toMatchObject({ field: "reason", code: "required" });
    await revokeRecordation(e, admin, ownId, own.version, "The mark's registration was cancelled.");
    own = (await getRecordation(e, memberA.scope, ownId, TODAY))!;
    expect(own).toMatchObject({ status: "revoked", state: "revoked", revokedReason: "The mark's registration was cancelled.", renewable: false });
    await expect(setRecordationParties(e, memberA, ownId, own.version, [])).rejects.toMatchObject({ code: "revoked" });

    const staff = await recordationHistory(e, admin.scope, ownId);
    expect(staff.map((h) => h.action)).toEqual(["update", "update", "update", "update", "update", "create"]);
    expect(staff[0]).toMatchObject({ user: "admin@example.test", changed: ["status", "revokedReason"] });
    expect(staff.at(-1)!.user).toBe("a@acme.test");
    const member = await recordationHistory(e, memberA.scope, ownId);
    expect(member.map((h) => h.user)).toEqual(staff.map(() => null));
  });

  it("the demo generator's recordations fit the tables, every holder has one, and the same seed gives the same ones", async () => {
    const holders = [
      { id: holderA, name: "Acme Corp", industry: "apparel_sportswear" as const },
      { id: holderB, name: "Brightlight GmbH", nameZh: "明光", industry: "lighting" as const },
    ];
    const made = generateRecordations(holders, createRandom(7), { today: TODAY, max: 4 });
    expect(generateRecordations(holders, createRandom(7), { today: TODAY, max: 4 })).toEqual(made);
    expect(new Set(made.map((r) => r.holderId))).toEqual(new Set([holderA, holderB]));
    await e.transaction(async (tx) => {
      const { recordations, recordationParties } = tx.t;
      for (const r of made) {
        const number = `Z${r.number.slice(1)}`; // apart from the numbers written above
        const [row] = await tx.db
          .insert(recordations)
          .values({ number, holderId: r.holderId, kind: r.kind, rightNo: r.rightNo, titleEn: r.titleEn, titleZh: r.titleZh, classes: r.classes.join(","), validFrom: r.validFrom, validTo: r.validTo, status: r.status, revokedReason: r.revokedReason, createdAt: 1, updatedAt: 1 })
          .returning({ id: recordations.id });
        if (r.parties.length) await tx.db.insert(recordationParties).values(r.parties.map((p) => ({ ...p, recordationId: row!.id })));
      }
    });
    const listed = await listRecordations(e, admin.scope, { page: 1 }, TODAY);
    expect(listed.total).toBeGreaterThanOrEqual(made.length);
  });
});

describe("mark images on upload", () => {
  const refusal = (p: Promise<unknown>) => p.then(() => null, (error: unknown) => (error instanceof RecordationFieldError ? error.code : error));

  it("takes PNG, JPEG and WebP by their bytes, re-encoded without their metadata", async () => {
    const sharp = (await import("sharp")).default;
    const jpeg = await sharp({ create: { width: 40, height: 20, channels: 3, background: "#c00" } })
      .jpeg()
      .withMetadata({ exif: { IFD0: { Copyright: "secret-exif-marker", Artist: "someone" } } })
      .toBuffer();
    expect(jpeg.includes("secret-exif-marker")).toBe(true);
    // the browser's claimed type is not trusted: the bytes are
    const out = (await prepareImage(new File([new Uint8Array(jpeg)], "mark.png", { type: "image/png" })))!;
    expect(out.contentType).toBe("image/jpeg");
    expect(Buffer.from(out.bytes).includes("secret-exif-marker")).toBe(false);
    expect(await sharp(out.bytes).metadata()).toMatchObject({ width: 40, height: 20, format: "jpeg" });
    const webp = await sharp({ create: { width: 8, height: 8, channels: 4, background: "#0c0" } }).webp().toBuffer();
    expect((await prepareImage(new File([new Uint8Array(webp)], "m.webp")))!.contentType).toBe("image/webp");
    expect(await prepareImage(new File([], "empty.png"))).toBeNull();
    expect(await prepareImage(null)).toBeNull();
  });

  it("refuses other types, more than 2 MB, and bytes that only start like an image", async () => {
    expect(await refusal(prepareImage(new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], "m.svg", { type: "image/svg+xml" })))).toBe("image_type");
    expect(await refusal(prepareImage(new File(["GIF89a......"], "m.gif", { type: "image/gif" })))).toBe("image_type");
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(await refusal(prepareImage(new File([big], "big.png", { type: "image/png" })))).toBe("image_too_large");
    expect(await refusal(prepareImage(new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], "broken.jpg")))).toBe("image_unreadable");
  });
});
