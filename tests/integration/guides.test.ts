import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import Database from "better-sqlite3";
import pg from "pg";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyDatabase } from "../../db/copy";
import { parseJson, type Engine } from "../../db/engine";
import {
  GuideFieldError, GuideNotFoundError, addGuidePair, createGuide, getGuide, listGuides, readGuideImage, removeGuidePair, setAccountDistrict,
  updateGuide, updateGuidePair, type GuideImage, type GuideReader, type GuideWriter,
} from "../../db/queries/guides";
import { VersionConflictError } from "../../db/case-errors";
import { backupDatabase, restoreDatabase } from "../../db/sqlite/backup";
import { backupPostgres, restorePostgres } from "../../db/postgres/backup";
import { openSqlite } from "../../db/sqlite/open";
import { prepareImage, thumbnailOf } from "../../lib/images";
import { guideInput, type GuideInput } from "../../lib/guides";
import { seedDatabase } from "../../seed/run";
import { tempDir } from "../support/db";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";
import { emptyDatabase } from "../support/postgres";

// Authentication guides (issue 17, item 2) on both engines: the demo's guides with drawn
// pictures on the Kunming right holders; who sees which guide (a member its own company's only,
// an officer those shared with all customs or its district, admins all); versioned edits with
// a stale one refused naming who changed it; pictures without EXIF/GPS; the audit and history
// rows; and backup/restore and db:copy carrying the guides' pictures byte for byte.

const dir = tempDir("guides");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const sha = (b: Uint8Array) => crypto.createHash("sha256").update(b).digest("hex");

async function picture(colour: string, exif = false): Promise<GuideImage> {
  let s = sharp({ create: { width: 600, height: 400, channels: 3, background: colour } }).jpeg();
  if (exif) s = s.withExif({ IFD0: { Make: "SpyCam" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "25/1 2/1 0/1" } });
  const image = await prepareImage(new Uint8Array(await s.toBuffer()), { maxSide: 2560 });
  return { contentType: image.contentType, data: image.bytes, thumbnail: await thumbnailOf(image.bytes), width: image.width, height: image.height, sha256: sha(image.bytes) };
}

const input = (over: Partial<Record<string, unknown>> = {}): GuideInput =>
  guideInput.parse({
    brand: "Acme Test", productLine: "Widgets", titleEn: "Acme widgets: genuine or fake", titleZh: "阿克米小部件真伪鉴别", summaryEn: "Look at the hologram.",
    summaryZh: "查看防伪标。", contact: "acme@example.com", sharing: "all", districts: [], categories: ["electronics"], recordations: "", ...over,
  });

describe.each(ENGINES)("authentication guides on %s", (dialect) => {
  let fresh: FreshEngine;
  let e: Engine;
  let holder = 0;
  let other = 0;
  let kunming = 0;
  const admin: GuideReader = { kind: "admin" };
  const member = (holderId: number): GuideReader => ({ kind: "member", holderId });
  const officer = (districtId: number | null): GuideReader => ({ kind: "officer", districtId });
  const writer = (reader: GuideReader, userId = "u-writer"): GuideWriter => ({ userId, reader });

  beforeAll(async () => {
    fresh = await freshEngine(dialect, "guides");
    e = fresh.e;
    await seedDatabase(e, { cases: 1000, seed: 3 });
    const holders = (await e.all<{ h: number }>(sql`select holder_id as h from guides order by id`)).map((r) => Number(r.h));
    holder = holders[0]!;
    other = Number((await e.get<{ h: number }>(sql`select min(id) as h from right_holders where id not in (select holder_id from guides)`))!.h);
    kunming = Number((await e.get<{ id: number }>(sql`select id from customs_offices where code = '8600'`))!.id);
  }, 180_000);
  afterAll(async () => fresh?.close());

  it("the demo holds six guides of Kunming's right holders, each with drawn pairs, markers and a first version; no case changed", async () => {
    const all = await listGuides(e, admin, {});
    expect(all).toHaveLength(6);
    expect(all.every((g) => g.pairs === 2 && g.categories.length === 1 && g.version === 1)).toBe(true);
    const detail = (await getGuide(e, admin, all[0]!.id))!;
    expect(detail.pairs[0]!.markers.length).toBeGreaterThan(0);
    expect(detail.versions).toEqual([expect.objectContaining({ version: 1, changed: ["created"] })]);
    const image = (await readGuideImage(e, admin, detail.id, detail.pairs[0]!.id, "fake", "file"))!;
    expect((await sharp(image.data).metadata()).format).toBe("jpeg");
    // Kunming's published period keeps its figures (the guides touch no case)
    const k = await e.get<{ n: number; v: number }>(sql`select count(*) as n, sum(value_fen) as v from cases c join customs_offices o on o.id = c.office_id
      where c.deleted_at is null and c.seized_on between '2016-01-01' and '2017-06-07' and coalesce(o.district_id, o.id) = ${kunming}`);
    expect([Number(k!.n), Number(k!.v)]).toEqual([63, 625_000_000]);
  });

  it("a member lists and fetches its own company's guides only; another company's is none, pictures too", async () => {
    const mine = await listGuides(e, member(holder), {});
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((g) => g.holderId === holder)).toBe(true);
    const foreign = (await listGuides(e, admin, {})).find((g) => g.holderId !== holder)!;
    const foreignDetail = (await getGuide(e, admin, foreign.id))!;
    expect(await getGuide(e, member(holder), foreign.id)).toBeNull();
    expect(await readGuideImage(e, member(holder), foreign.id, foreignDetail.pairs[0]!.id, "genuine", "thumbnail")).toBeNull();
    // a guide shared with all customs is still not another company's to see
    expect(foreign.sharing === "all" || foreign.sharing === "districts").toBe(true);
    expect((await listGuides(e, member(other), {})).length).toBe(0);
    // nor to change
    await expect(updateGuide(e, writer(member(holder)), foreign.id, foreign.version, input())).rejects.toBeInstanceOf(GuideNotFoundError);
    await expect(addGuidePair(e, writer(member(holder)), foreign.id, { feature: "label", captionEn: null, captionZh: null, markers: [] }, await picture("#fff"), await picture("#000"))).rejects.toBeInstanceOf(GuideNotFoundError);
  });

  it("an officer sees guides shared with all customs, and those of its own district only; admins see all", async () => {
    const id = await createGuide(e, writer(admin, "u-admin"), input({ holderId: String(other), sharing: "districts", districts: ["8600"], titleEn: "Kunming only" }));
    const shenzhen = Number((await e.get<{ id: number }>(sql`select id from customs_offices where code = '5300'`))!.id);
    expect(await getGuide(e, officer(kunming), id)).not.toBeNull();
    expect(await getGuide(e, officer(shenzhen), id)).toBeNull();
    expect(await getGuide(e, officer(null), id)).toBeNull();
    expect((await listGuides(e, officer(shenzhen), {})).some((g) => g.id === id)).toBe(false);
    expect((await listGuides(e, officer(null), {})).every((g) => g.sharing === "all")).toBe(true);
    expect(await getGuide(e, admin, id)).not.toBeNull();
    // an admin gives the analyst a district: the district's guides appear for it
    const analyst = `u-analyst-${dialect}`;
    const at = dialect === "sqlite" ? Date.now() : sql`${Date.now()}`;
    await e.run(sql`insert into "user" (id, name, email, email_verified, created_at, updated_at, role, locale)
      values (${analyst}, 'Officer', ${`officer-${dialect}@example.test`}, ${e.say.bool(true)}, ${at}, ${at}, 'analyst', 'en')`);
    await setAccountDistrict(e, "u-admin", analyst, "8600");
    expect(Number((await e.get<{ d: number }>(sql`select district_id as d from "user" where id = ${analyst}`))!.d)).toBe(kunming);
    const audit = await e.get<{ after: unknown }>(sql`select after from audit_log where entity = 'user' order by id desc limit 1`);
    expect(parseJson<Record<string, unknown>>(audit!.after)).toMatchObject({ id: analyst, district: "8600" });
    await setAccountDistrict(e, "u-admin", analyst, null);
    expect((await e.get<{ d: number | null }>(sql`select district_id as d from "user" where id = ${analyst}`))!.d).toBeNull();
    await expect(setAccountDistrict(e, "u-admin", analyst, "8601")).rejects.toBeInstanceOf(GuideFieldError);
    await expect(setAccountDistrict(e, "u-admin", "no-such-account", "8600")).rejects.toBeInstanceOf(GuideNotFoundError);
  });

  it("is found by brand, product, category and recordation", async () => {
    const g = (await getGuide(e, admin, (await listGuides(e, admin, {}))[0]!.id))!;
    expect((await listGuides(e, admin, { q: g.brand.slice(0, 6).toLowerCase() })).some((x) => x.id === g.id)).toBe(true);
    expect((await listGuides(e, admin, { q: g.productLine!.toUpperCase() })).some((x) => x.id === g.id)).toBe(true);
    expect((await listGuides(e, admin, { category: g.categories[0] })).some((x) => x.id === g.id)).toBe(true);
    expect((await listGuides(e, admin, { category: "tobacco" })).some((x) => x.id === g.id)).toBe(false);
    if (g.recordations[0]) expect((await listGuides(e, admin, { recordation: g.recordations[0].number })).map((x) => x.id)).toContain(g.id);
    expect(await listGuides(e, admin, { q: "%_no such brand_%" })).toEqual([]);
    // the case page's guides: those of the case's right holders the reader may see
    expect((await listGuides(e, member(holder), { holders: [holder, other] })).every((x) => x.holderId === holder)).toBe(true);
  });

  it("versions every change, refuses a stale edit naming who changed it, and audits each write", async () => {
    const w = writer(member(holder), "u-member");
    const id = await createGuide(e, w, input({ holderId: String(other) }));
    const created = (await getGuide(e, admin, id))!;
    // a member's guide is its own company's, whatever the form said
    expect(created.holderId).toBe(holder);
    const v2 = await updateGuide(e, w, id, 1, input({ summaryEn: "Look at the hologram and the serial." }));
    expect(v2).toBe(2);
    await expect(updateGuide(e, writer(admin, "u-admin"), id, 1, input({ summaryEn: "stale" }))).rejects.toSatisfy(
      (error: unknown) => error instanceof VersionConflictError && error.current.updatedBy === "u-member" && error.current.version === 2,
    );
    expect((await getGuide(e, admin, id))!.summaryEn).toBe("Look at the hologram and the serial.");
    // nothing changed: no new version
    expect(await updateGuide(e, w, id, 2, input({ summaryEn: "Look at the hologram and the serial." }))).toBe(2);
    const pairId = await addGuidePair(e, w, id, { feature: "hologram", captionEn: "Seal", captionZh: "封条", markers: [{ side: "fake", x: 10, y: 20, label: "flat" }] }, await picture("#eee", true), await picture("#999"));
    await updateGuidePair(e, w, id, pairId, { feature: "hologram", captionEn: "Seal", captionZh: "封条", markers: [{ side: "genuine", x: 50, y: 50, label: "shifts" }] });
    const detail = (await getGuide(e, officer(null), id))!;
    expect(detail.version).toBe(4);
    expect(detail.versions.map((v) => [v.version, v.changed])).toEqual([[4, ["markers"]], [3, ["pairs"]], [2, ["summary"]], [1, ["created"]]]);
    const kept = (await readGuideImage(e, officer(null), id, pairId, "genuine", "file"))!;
    const meta = await sharp(kept.data).metadata();
    expect(meta.exif).toBeUndefined();
    expect(Buffer.from(kept.data).includes("SpyCam")).toBe(false);
    await removeGuidePair(e, w, id, pairId);
    expect(await readGuideImage(e, admin, id, pairId, "genuine", "file")).toBeNull();
    const audits = await e.all<{ action: string }>(sql`select action from audit_log where entity = 'guide' and entity_id = ${id} order by id`);
    expect(audits.map((a) => a.action)).toEqual(["create", "update", "update", "update", "update"]);
    // a recordation of another right holder is refused, and nothing is written
    const foreignNumber = (await e.get<{ n: string }>(sql`select number as n from recordations where holder_id <> ${holder} limit 1`))!.n;
    await expect(updateGuide(e, w, id, 5, input({ recordations: foreignNumber, titleEn: "changed" }))).rejects.toBeInstanceOf(GuideFieldError);
    expect((await getGuide(e, admin, id))!.titleEn).toBe("Acme widgets: genuine or fake");
    // an officer writes nothing
    await expect(updateGuide(e, writer(officer(kunming)), id, 5, input())).rejects.toBeInstanceOf(GuideNotFoundError);
  });

  it("a backup and its restore bring every guide picture back byte for byte; db:copy carries them", async () => {
    const digests = (rows: { id: number; g: Buffer; f: Buffer; gs: string; fs: string }[]) => rows.map((r) => [Number(r.id), sha(r.g), sha(r.f), r.gs, r.fs]);
    const query = "select id, genuine_data as g, fake_data as f, genuine_sha256 as gs, fake_sha256 as fs from guide_pairs order by id";
    const original = digests(await e.all(sql.raw(query)));
    expect(original.length).toBeGreaterThanOrEqual(12);
    expect(original.every(([, g, f, gs, fs]) => g === gs && f === fs)).toBe(true);
    if (dialect === "sqlite") {
      const source = fresh.url.slice("file:".length);
      const backup = path.join(dir, "backup.db");
      const target = path.join(dir, "restored", "ipr.db");
      const live = openSqlite(source, { readonly: true });
      try {
        await backupDatabase(live, backup);
      } finally {
        live.close();
      }
      await restoreDatabase(backup, target);
      const db = new Database(target, { readonly: true });
      try {
        expect(digests(db.prepare(query).all() as never)).toEqual(original);
        expect((db.prepare("select count(*) as n from guide_versions").get() as { n: number }).n).toBeGreaterThan(6);
      } finally {
        db.close();
      }
    } else {
      const dump = path.join(dir, "backup.dump");
      await backupPostgres(fresh.url, dump);
      const target = await emptyDatabase();
      try {
        await restorePostgres(dump, target.url);
        const client = new pg.Client({ connectionString: target.url });
        await client.connect();
        try {
          expect(digests((await client.query(query)).rows)).toEqual(original);
        } finally {
          await client.end();
        }
      } finally {
        await target.drop();
      }
    }
    const other = await freshEngine(dialect === "sqlite" ? "postgres" : "sqlite", "guides-copy");
    try {
      const there = await copyDatabase({ from: fresh.url, to: other.url });
      for (const t of ["guides", "guide_districts", "guide_categories", "guide_recordations", "guide_pairs", "guide_versions"]) {
        expect(there.target.rows[t]).toBe(there.source.rows[t]);
        expect(there.source.rows[t]).toBeGreaterThan(0);
      }
      expect(digests(await other.e.all(sql.raw(query)))).toEqual(original);
    } finally {
      await other.close();
    }
  });
});
