import "server-only";
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { first, type Engine } from "../engine";
import { writeAudit } from "../audit";
import { accountKeyOf } from "../mutations/reference";
import { CaseNotFoundError, VersionConflictError } from "../case-errors";
import { changedParts, MAX_GUIDE_PAIRS, type GuideInput, type GuidePart, type Marker, type PairInput } from "../../lib/guides";
import type { GoodsCategory, GuideFeature, GuideSharing } from "../../lib/enums";

// Authentication guides (issue 17, item 2) on both engines. Who sees which guide:
// - admins: every guide;
// - a member: its own company's guides only (another company's is "none", the same answer as
//   a guide that never existed);
// - an analyst (a customs officer): the guides shared with all customs, and those shared with
//   the district its account belongs to (users.district_id, set by an admin; none: the guides
//   shared with all customs only).
// Members write their own company's guides, admins any. Every write is one transaction with
// its audit row (entity "guide") and, when the guide changed, a guide_versions row.

/** Not there, or outside the reader's scope: one answer, so nothing is disclosed. */
export class GuideNotFoundError extends CaseNotFoundError {
  override name = "GuideNotFoundError";
}

/** A field refused while writing (a recordation of another right holder, an unknown district). */
export class GuideFieldError extends Error {
  override name = "GuideFieldError";
  constructor(
    readonly field: string,
    readonly code: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${field}: ${code}`);
  }
}

/** Who reads guides: decided once from the session's account (db/repo/guides.ts). */
export type GuideReader = { kind: "admin" } | { kind: "member"; holderId: number | null } | { kind: "officer"; districtId: number | null };
/** Who writes: the account and what it may read (a member: its own company's guides). */
export type GuideWriter = { userId: string; reader: GuideReader };

const validId = (id: number) => Number.isSafeInteger(id) && id >= 1 && id <= 2_147_483_647;

/** The guides the reader may see, as a condition on `guides`. */
function visible(e: Engine, reader: GuideReader): SQL | undefined {
  const g = e.t.guides;
  if (reader.kind === "admin") return undefined;
  if (reader.kind === "member") return reader.holderId === null ? e.say.never : eq(g.holderId, reader.holderId);
  const all = sql`${g.sharing} = 'all'`;
  if (reader.districtId === null) return all;
  return sql`(${all} or exists (select 1 from ${e.t.guideDistricts} gd where gd.guide_id = ${g.id} and gd.district_id = ${reader.districtId}))`;
}

export type GuideListRow = {
  id: number;
  holderId: number;
  holderName: string;
  brand: string;
  productLine: string | null;
  titleEn: string;
  titleZh: string;
  sharing: GuideSharing;
  version: number;
  updatedAt: number;
  categories: GoodsCategory[];
  pairs: number;
  /** the first pair's id (its genuine thumbnail is the list's picture) */
  firstPair: number | null;
};

export type GuideSearch = { q?: string; category?: string; recordation?: string; holder?: number; holders?: number[] };

/** The guides the reader may see that match the search, most recently changed first (at most 200). */
export async function listGuides(e: Engine, reader: GuideReader, search: GuideSearch): Promise<GuideListRow[]> {
  const { guides: g, rightHolders: h, guideCategories: gc, guideRecordations: gr, recordations: r, guidePairs: p } = e.t;
  const conditions: (SQL | undefined)[] = [visible(e, reader)];
  if (search.q) {
    const pattern = `%${search.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const like = (c: SQL) => sql`${e.say.ilike(c, pattern)} escape '\\'`;
    conditions.push(sql`(${like(sql`${g.brand}`)} or ${like(sql`coalesce(${g.productLine}, '')`)} or ${like(sql`${g.titleEn}`)} or ${like(sql`${g.titleZh}`)})`);
  }
  if (search.category) conditions.push(sql`exists (select 1 from ${gc} x where x.guide_id = ${g.id} and x.category = ${search.category})`);
  if (search.recordation) {
    conditions.push(sql`exists (select 1 from ${gr} x join ${r} rr on rr.id = x.recordation_id where x.guide_id = ${g.id} and rr.number = ${search.recordation})`);
  }
  if (search.holder !== undefined) conditions.push(eq(g.holderId, search.holder));
  if (search.holders) conditions.push(e.say.inList(sql`${g.holderId}`, search.holders.length ? search.holders : [-1]));
  const rows = await e.db
    .select({
      id: g.id, holderId: g.holderId, holderName: h.name, brand: g.brand, productLine: g.productLine, titleEn: g.titleEn, titleZh: g.titleZh,
      sharing: g.sharing, version: g.version, updatedAt: g.updatedAt,
      categories: sql<string | null>`(select ${e.dialect === "sqlite" ? sql`group_concat(x.category, ',')` : sql`string_agg(x.category, ',' order by x.category)`} from ${gc} x where x.guide_id = ${g.id})`,
      pairs: sql<number>`(select count(*) from ${p} x where x.guide_id = ${g.id})`,
      firstPair: sql<number | null>`(select min(x.id) from ${p} x where x.guide_id = ${g.id})`,
    })
    .from(g)
    .innerJoin(h, eq(h.id, g.holderId))
    .where(and(...conditions))
    .orderBy(desc(g.updatedAt), desc(g.id))
    .limit(200);
  return rows.map((row) => ({
    ...row,
    categories: (row.categories ? row.categories.split(",").sort() : []) as GoodsCategory[],
    pairs: Number(row.pairs),
    firstPair: row.firstPair === null ? null : Number(row.firstPair),
    updatedAt: Number(row.updatedAt),
  }));
}

export type GuidePair = {
  id: number;
  position: number;
  feature: GuideFeature;
  captionEn: string | null;
  captionZh: string | null;
  genuine: { width: number; height: number };
  fake: { width: number; height: number };
  markers: Marker[];
};

export type GuideVersionRow = { version: number; at: number; userId: string | null; userName: string | null; changed: GuidePart[] };

export type GuideDetail = Omit<GuideListRow, "pairs" | "firstPair"> & {
  summaryEn: string;
  summaryZh: string;
  fakesEn: string | null;
  fakesZh: string | null;
  routesEn: string | null;
  routesZh: string | null;
  contact: string;
  holderNameZh: string | null;
  districts: { id: number; code: string; nameEn: string; nameZh: string }[];
  recordations: { id: number; number: string; titleEn: string; titleZh: string | null }[];
  pairs: GuidePair[];
  versions: GuideVersionRow[];
  updatedBy: string | null;
};

/** One guide with its pairs (without their pictures) and history; null for none or not the reader's to see. */
export async function getGuide(e: Engine, reader: GuideReader, id: number): Promise<GuideDetail | null> {
  if (!validId(id)) return null;
  const { guides: g, rightHolders: h } = e.t;
  const row = await first(
    e.db
      .select({
        id: g.id, holderId: g.holderId, holderName: h.name, holderNameZh: h.nameZh, brand: g.brand, productLine: g.productLine, titleEn: g.titleEn,
        titleZh: g.titleZh, summaryEn: g.summaryEn, summaryZh: g.summaryZh, fakesEn: g.fakesEn, fakesZh: g.fakesZh, routesEn: g.routesEn,
        routesZh: g.routesZh, contact: g.contact, sharing: g.sharing, version: g.version, updatedAt: g.updatedAt, updatedBy: g.updatedBy,
      })
      .from(g)
      .innerJoin(h, eq(h.id, g.holderId))
      .where(and(eq(g.id, id), visible(e, reader))),
  );
  if (!row) return null;
  const { guideDistricts: gd, customsOffices: o, guideCategories: gc, guideRecordations: gr, recordations: r, guidePairs: p, guideVersions: v, users: u } = e.t;
  const [districts, categories, recordations, pairs, versions] = await Promise.all([
    e.db.select({ id: o.id, code: o.code, nameEn: o.nameEn, nameZh: o.nameZh }).from(gd).innerJoin(o, eq(o.id, gd.districtId)).where(eq(gd.guideId, id)).orderBy(asc(o.code)),
    e.db.select({ category: gc.category }).from(gc).where(eq(gc.guideId, id)).orderBy(asc(gc.category)),
    e.db.select({ id: r.id, number: r.number, titleEn: r.titleEn, titleZh: r.titleZh }).from(gr).innerJoin(r, eq(r.id, gr.recordationId)).where(eq(gr.guideId, id)).orderBy(asc(r.number)),
    e.db
      .select({
        id: p.id, position: p.position, feature: p.feature, captionEn: p.captionEn, captionZh: p.captionZh, markers: p.markers,
        gw: p.genuineWidth, gh: p.genuineHeight, fw: p.fakeWidth, fh: p.fakeHeight,
      })
      .from(p)
      .where(eq(p.guideId, id))
      .orderBy(asc(p.position), asc(p.id)),
    e.db
      .select({ version: v.version, at: v.at, userId: v.userId, userName: u.name, changed: v.changed })
      .from(v)
      .leftJoin(u, eq(u.id, v.userId))
      .where(eq(v.guideId, id))
      .orderBy(desc(v.version)),
  ]);
  return {
    ...row,
    updatedAt: Number(row.updatedAt),
    categories: categories.map((c) => c.category as GoodsCategory),
    districts,
    recordations,
    pairs: pairs.map((x) => ({
      id: x.id, position: x.position, feature: x.feature as GuideFeature, captionEn: x.captionEn, captionZh: x.captionZh,
      genuine: { width: x.gw, height: x.gh }, fake: { width: x.fw, height: x.fh }, markers: JSON.parse(x.markers) as Marker[],
    })),
    versions: versions.map((x) => ({ version: x.version, at: Number(x.at), userId: x.userId, userName: x.userName, changed: JSON.parse(x.changed) as GuidePart[] })),
  };
}

/** One picture of a pair (or its thumbnail), or null for none / not the reader's to see. */
export async function readGuideImage(
  e: Engine,
  reader: GuideReader,
  guideId: number,
  pairId: number,
  side: "genuine" | "fake",
  part: "file" | "thumbnail",
): Promise<{ contentType: string; data: Uint8Array; at: number } | null> {
  if (!validId(guideId) || !validId(pairId)) return null;
  const { guides: g, guidePairs: p } = e.t;
  const column = side === "genuine" ? (part === "file" ? p.genuineData : p.genuineThumbnail) : part === "file" ? p.fakeData : p.fakeThumbnail;
  const row = await first(
    e.db
      .select({ type: side === "genuine" ? p.genuineType : p.fakeType, data: column, at: p.createdAt })
      .from(p)
      .innerJoin(g, eq(g.id, p.guideId))
      .where(and(eq(p.id, pairId), eq(p.guideId, guideId), visible(e, reader))),
  );
  if (!row) return null;
  return { contentType: part === "file" ? row.type : "image/webp", data: new Uint8Array(row.data), at: Number(row.at) };
}

/** The right holders a writer may keep guides for: a member its own company, an admin any. */
export async function guideHolderChoices(e: Engine, reader: GuideReader): Promise<{ id: number; name: string }[]> {
  const h = e.t.rightHolders;
  if (reader.kind === "officer") return [];
  const where = reader.kind === "member" ? (reader.holderId === null ? e.say.never : eq(h.id, reader.holderId)) : undefined;
  return e.db.select({ id: h.id, name: h.name }).from(h).where(where).orderBy(asc(h.name));
}

/** The 42 direct customs districts, for sharing a guide and for an account's district. */
export async function customsDistricts(e: Engine): Promise<{ id: number; code: string; nameEn: string; nameZh: string }[]> {
  const o = e.t.customsOffices;
  return e.db.select({ id: o.id, code: o.code, nameEn: o.nameEn, nameZh: o.nameZh }).from(o).where(sql`${o.districtId} is null`).orderBy(asc(o.code));
}

// ---- writes ---------------------------------------------------------------------------------

type Stored = Omit<GuideInput, "holderId" | "districts" | "recordations"> & { holderId: number; districts: string[]; recordations: string[] };

/** The guide as the writer may change it (locked), or GuideNotFoundError. */
async function writable(tx: Engine, writer: GuideWriter, id: number) {
  if (writer.reader.kind === "officer" || !validId(id)) throw new GuideNotFoundError("No such guide.");
  const g = tx.t.guides;
  const row = await tx.get<{ id: number; version: number; updated_at: number; updated_by: string | null }>(
    sql`select ${g.id} as id, ${g.version} as version, ${g.updatedAt} as updated_at, ${g.updatedBy} as updated_by from ${g}
      where ${g.id} = ${id} and ${visible(tx, writer.reader) ?? sql`1 = 1`}${tx.say.forUpdate}`,
  );
  if (!row) throw new GuideNotFoundError("No such guide.");
  return { version: Number(row.version), updatedAt: Number(row.updated_at), updatedBy: row.updated_by };
}

/** The right holder a guide is written for: a member's own company, whatever the form said. */
function holderOf(writer: GuideWriter, input: GuideInput): number {
  if (writer.reader.kind === "member") {
    if (writer.reader.holderId === null) throw new GuideNotFoundError("No right holder.");
    return writer.reader.holderId;
  }
  if (!input.holderId) throw new GuideFieldError("holderId", "required");
  return input.holderId;
}

async function storedOf(tx: Engine, id: number): Promise<Stored> {
  const { guides: g, guideDistricts: gd, customsOffices: o, guideCategories: gc, guideRecordations: gr, recordations: r } = tx.t;
  const row = (await first(tx.db.select().from(g).where(eq(g.id, id))))!;
  const districts = (await tx.db.select({ code: o.code }).from(gd).innerJoin(o, eq(o.id, gd.districtId)).where(eq(gd.guideId, id)).orderBy(asc(o.code))).map((x) => x.code);
  const categories = (await tx.db.select({ c: gc.category }).from(gc).where(eq(gc.guideId, id)).orderBy(asc(gc.category))).map((x) => x.c);
  const recordations = (await tx.db.select({ n: r.number }).from(gr).innerJoin(r, eq(r.id, gr.recordationId)).where(eq(gr.guideId, id)).orderBy(asc(r.number))).map((x) => x.n);
  return {
    holderId: row.holderId, brand: row.brand, productLine: row.productLine, titleEn: row.titleEn, titleZh: row.titleZh, summaryEn: row.summaryEn,
    summaryZh: row.summaryZh, fakesEn: row.fakesEn, fakesZh: row.fakesZh, routesEn: row.routesEn, routesZh: row.routesZh, contact: row.contact,
    sharing: row.sharing, districts, categories: categories as Stored["categories"], recordations,
  };
}

/** Writes the guide's districts, categories and recordations again; refuses a district or recordation that is not one. */
async function writeLinks(tx: Engine, id: number, holderId: number, input: GuideInput): Promise<Stored> {
  const { guideDistricts: gd, customsOffices: o, guideCategories: gc, guideRecordations: gr, recordations: r, rightHolders: h } = tx.t;
  if (!(await first(tx.db.select({ id: h.id }).from(h).where(eq(h.id, holderId))))) throw new GuideFieldError("holderId", "unknown", { value: String(holderId) });
  const codes = input.sharing === "districts" ? [...new Set(input.districts)].sort() : [];
  const districtRows = codes.length ? await tx.db.select({ id: o.id, code: o.code }).from(o).where(and(sql`${o.districtId} is null`, tx.say.inList(sql`${o.code}`, codes))) : [];
  const missingDistrict = codes.find((c) => !districtRows.some((d) => d.code === c));
  if (missingDistrict) throw new GuideFieldError("districts", "unknown", { value: missingDistrict });
  const numbers = [...new Set(input.recordations)].sort();
  const recordationRows = numbers.length ? await tx.db.select({ id: r.id, number: r.number }).from(r).where(and(eq(r.holderId, holderId), tx.say.inList(sql`${r.number}`, numbers))) : [];
  const missingRecordation = numbers.find((n) => !recordationRows.some((x) => x.number === n));
  if (missingRecordation) throw new GuideFieldError("recordations", "not_holders_recordation", { number: missingRecordation });
  const categories = [...new Set(input.categories)].sort();
  await tx.db.delete(gd).where(eq(gd.guideId, id));
  await tx.db.delete(gc).where(eq(gc.guideId, id));
  await tx.db.delete(gr).where(eq(gr.guideId, id));
  if (districtRows.length) await tx.db.insert(gd).values(districtRows.map((d) => ({ guideId: id, districtId: d.id })));
  if (categories.length) await tx.db.insert(gc).values(categories.map((category) => ({ guideId: id, category })));
  if (recordationRows.length) await tx.db.insert(gr).values(recordationRows.map((x) => ({ guideId: id, recordationId: x.id })));
  const { holderId: _h, districts: _d, recordations: _r, categories: _c, ...fields } = input;
  return { ...fields, holderId, districts: codes, categories, recordations: numbers };
}

async function writeVersion(tx: Engine, guideId: number, version: number, userId: string, changed: GuidePart[], at: number) {
  await tx.db.insert(tx.t.guideVersions).values({ guideId, version, at, userId, changed: JSON.stringify(changed) });
}

const textColumns = (input: GuideInput) => ({
  brand: input.brand, productLine: input.productLine, titleEn: input.titleEn, titleZh: input.titleZh, summaryEn: input.summaryEn, summaryZh: input.summaryZh,
  fakesEn: input.fakesEn, fakesZh: input.fakesZh, routesEn: input.routesEn, routesZh: input.routesZh, contact: input.contact, sharing: input.sharing,
});

/** Creates a guide (version 1) with its links, history row and audit row. */
export async function createGuide(e: Engine, writer: GuideWriter, input: GuideInput, now = Date.now()): Promise<number> {
  if (writer.reader.kind === "officer") throw new GuideNotFoundError("Customs officers do not keep guides.");
  const holderId = holderOf(writer, input);
  return e.transaction(async (tx) => {
    const g = tx.t.guides;
    const [row] = await tx.db
      .insert(g)
      .values({ holderId, ...textColumns(input), version: 1, createdAt: now, createdBy: writer.userId, updatedAt: now, updatedBy: writer.userId })
      .returning({ id: g.id });
    const id = row!.id;
    const after = await writeLinks(tx, id, holderId, input);
    await writeVersion(tx, id, 1, writer.userId, ["created"], now);
    await writeAudit(tx, { userId: writer.userId, action: "create", entity: "guide", entityId: id, before: null, after, at: now });
    return id;
  });
}

/** Changes a guide made against `version`; a stale edit is refused naming who changed it (nothing written). */
export async function updateGuide(e: Engine, writer: GuideWriter, id: number, version: number, input: GuideInput, now = Date.now()): Promise<number> {
  return e.transaction(async (tx) => {
    const current = await writable(tx, writer, id);
    if (current.version !== version) throw new VersionConflictError(current);
    const before = await storedOf(tx, id);
    const holderId = writer.reader.kind === "member" ? before.holderId : holderOf(writer, input);
    const g = tx.t.guides;
    const after = await writeLinks(tx, id, holderId, input);
    const changed = changedParts(before, after);
    if (changed.length === 0) return version;
    const next = version + 1;
    await tx.db.update(g).set({ holderId, ...textColumns(input), version: next, updatedAt: now, updatedBy: writer.userId }).where(eq(g.id, id));
    await writeVersion(tx, id, next, writer.userId, changed, now);
    await writeAudit(tx, { userId: writer.userId, action: "update", entity: "guide", entityId: id, before, after, at: now });
    return next;
  });
}

/** A prepared picture (lib/images.ts), as a pair keeps it. */
export type GuideImage = { contentType: string; data: Uint8Array; thumbnail: Uint8Array; width: number; height: number; sha256: string };

/** Bumps a guide's version for a change of its pairs, with the history and audit rows. */
async function touched(tx: Engine, writer: GuideWriter, id: number, part: GuidePart, audit: { action: string; before: unknown; after: unknown }, now: number) {
  const current = await writable(tx, writer, id);
  const next = current.version + 1;
  const g = tx.t.guides;
  await tx.db.update(g).set({ version: next, updatedAt: now, updatedBy: writer.userId }).where(eq(g.id, id));
  await writeVersion(tx, id, next, writer.userId, [part], now);
  await writeAudit(tx, { userId: writer.userId, action: audit.action, entity: "guide", entityId: id, before: audit.before, after: audit.after, at: now });
}

/** Adds a genuine-versus-fake pair at the end of a guide. */
export async function addGuidePair(e: Engine, writer: GuideWriter, guideId: number, pair: PairInput, genuine: GuideImage, fake: GuideImage, now = Date.now()): Promise<number> {
  return e.transaction(async (tx) => {
    await writable(tx, writer, guideId);
    const p = tx.t.guidePairs;
    const stats = await first(tx.db.select({ n: sql<number>`count(*)`, last: sql<number | null>`max(${p.position})` }).from(p).where(eq(p.guideId, guideId)));
    if (Number(stats?.n ?? 0) >= MAX_GUIDE_PAIRS) throw new GuideFieldError("genuine", "too_many_pairs", { max: MAX_GUIDE_PAIRS });
    const [row] = await tx.db
      .insert(p)
      .values({
        guideId, position: Number(stats?.last ?? 0) + 1, feature: pair.feature, captionEn: pair.captionEn, captionZh: pair.captionZh,
        genuineType: genuine.contentType, genuineData: Buffer.from(genuine.data), genuineThumbnail: Buffer.from(genuine.thumbnail),
        genuineWidth: genuine.width, genuineHeight: genuine.height, genuineSha256: genuine.sha256,
        fakeType: fake.contentType, fakeData: Buffer.from(fake.data), fakeThumbnail: Buffer.from(fake.thumbnail),
        fakeWidth: fake.width, fakeHeight: fake.height, fakeSha256: fake.sha256,
        markers: JSON.stringify(pair.markers), createdAt: now, createdBy: writer.userId,
      })
      .returning({ id: p.id });
    const after = { pairId: row!.id, feature: pair.feature, captionEn: pair.captionEn, captionZh: pair.captionZh, markers: pair.markers, genuineSha256: genuine.sha256, fakeSha256: fake.sha256 };
    await touched(tx, writer, guideId, "pairs", { action: "update", before: null, after }, now);
    return row!.id;
  });
}

async function pairOf(tx: Engine, guideId: number, pairId: number) {
  const p = tx.t.guidePairs;
  if (!validId(pairId)) throw new GuideNotFoundError("No such pair.");
  const row = await first(
    tx.db
      .select({ feature: p.feature, captionEn: p.captionEn, captionZh: p.captionZh, markers: p.markers, genuineSha256: p.genuineSha256, fakeSha256: p.fakeSha256 })
      .from(p)
      .where(and(eq(p.id, pairId), eq(p.guideId, guideId))),
  );
  if (!row) throw new GuideNotFoundError("No such pair.");
  return { pairId, ...row, markers: JSON.parse(row.markers) as Marker[] };
}

/** Changes a pair's feature, captions and markers. */
export async function updateGuidePair(e: Engine, writer: GuideWriter, guideId: number, pairId: number, pair: PairInput, now = Date.now()): Promise<void> {
  await e.transaction(async (tx) => {
    await writable(tx, writer, guideId);
    const before = await pairOf(tx, guideId, pairId);
    const p = tx.t.guidePairs;
    await tx.db.update(p).set({ feature: pair.feature, captionEn: pair.captionEn, captionZh: pair.captionZh, markers: JSON.stringify(pair.markers) }).where(eq(p.id, pairId));
    const part: GuidePart = JSON.stringify(before.markers) !== JSON.stringify(pair.markers) ? "markers" : "pairs";
    await touched(tx, writer, guideId, part, { action: "update", before, after: { ...before, ...pair } }, now);
  });
}

/** Removes a pair (its pictures are gone from every answer; the audit row keeps their digests). */
export async function removeGuidePair(e: Engine, writer: GuideWriter, guideId: number, pairId: number, now = Date.now()): Promise<void> {
  await e.transaction(async (tx) => {
    await writable(tx, writer, guideId);
    const before = await pairOf(tx, guideId, pairId);
    await tx.db.delete(tx.t.guidePairs).where(eq(tx.t.guidePairs.id, pairId));
    await touched(tx, writer, guideId, "pairs", { action: "update", before, after: null }, now);
  });
}

/** Sets a customs account's district (an admin's change, audited); members have none. */
export async function setAccountDistrict(e: Engine, adminId: string, userId: string, districtCode: string | null, now = Date.now()): Promise<void> {
  await e.transaction(async (tx) => {
    const { users: u, customsOffices: o } = tx.t;
    const account = await first(tx.db.select({ role: u.role, email: u.email, districtId: u.districtId }).from(u).where(eq(u.id, userId)));
    if (!account) throw new GuideNotFoundError("No such account.");
    if (account.role === "member" && districtCode !== null) throw new GuideFieldError("district", "district_staff_only");
    let districtId: number | null = null;
    if (districtCode !== null) {
      const d = await first(tx.db.select({ id: o.id }).from(o).where(and(eq(o.code, districtCode), sql`${o.districtId} is null`)));
      if (!d) throw new GuideFieldError("district", "unknown", { value: districtCode });
      districtId = d.id;
    }
    if (account.districtId === districtId) return;
    await tx.db.update(u).set({ districtId }).where(eq(u.id, userId));
    // an account's audit key as the accounts' other entries have it (db/mutations/reference.ts)
    const key = tx.dialect === "sqlite" ? Number((await tx.get<{ k: number }>(sql`select rowid as k from ${u} where id = ${userId}`))!.k) : accountKeyOf(userId);
    await writeAudit(tx, { userId: adminId, action: "update", entity: "user", entityId: key, before: { id: userId, email: account.email, districtId: account.districtId }, after: { id: userId, email: account.email, districtId, district: districtCode }, at: now });
  });
}

/** The district of an account (null: none), read at every request: an admin's change counts at once. */
export async function accountDistrict(e: Engine, userId: string): Promise<number | null> {
  const u = e.t.users;
  const row = await first(e.db.select({ d: u.districtId }).from(u).where(eq(u.id, userId)));
  return row?.d ?? null;
}
