import { sql } from "drizzle-orm";
import type { Reference } from "../seed/generate";
import type { GeneratedRecordation } from "../seed/recordations";
import { classesToText } from "../lib/recordations";
import type { Engine } from "./engine";
import { withPostgresChangeLogPaused } from "./postgres/change-log";
import { restartPostgresIdentities } from "./postgres/bulk";
import { withSqliteChangeLogPaused } from "./sqlite/change-log";
import { sqliteConnectionOf } from "./engine";
import type { SeedAttachment } from "../seed/attachments";
import type { SeedGuide, SeedGuideHolder } from "../seed/guides";

// The demo seed's housekeeping: is the database empty, wipe it, load the reference data
// (offices, right holders, campaigns), mark it as demo data. The seed's cases go through the
// one writer (db/writer.ts) like every other write to cases.

/** Every row of `cases`, live and deleted (not a filtered count: see db/queries/totals.ts). */
export async function countCaseRows(e: Engine): Promise<number> {
  return (await e.get<{ n: number }>(sql`select count(*) as n from ${e.t.cases}`))!.n;
}

export async function isEmpty(e: Engine): Promise<boolean> {
  const { cases, customsOffices, rightHolders, users } = e.t;
  const row = await e.get<{ n: number }>(
    sql`select (select count(*) from ${cases}) + (select count(*) from ${customsOffices}) + (select count(*) from ${rightHolders})
      + (select count(*) from ${users}) as n`,
  );
  return row!.n === 0;
}

/** Runs `load` with the change log paused: one "everything changed" row instead of one per case and link. */
export function withChangeLogPaused<T>(tx: Engine, load: () => Promise<T>): Promise<T> {
  const sqlite = sqliteConnectionOf(tx);
  return sqlite ? withSqliteChangeLogPaused(sqlite, load) : withPostgresChangeLogPaused(tx, load);
}

/**
 * Removes every row, children first, and restarts the id sequences, in the caller's
 * transaction; the change log is paused meanwhile.
 */
export async function deleteAllData(tx: Engine): Promise<void> {
  if (!tx.inTransaction) throw new Error("deleteAllData runs inside the seed's transaction.");
  await withChangeLogPaused(tx, async () => {
    const t = tx.t;
    const search = tx.dialect === "sqlite" ? [sql`cases_fts`, sql`cases_redacted_fts`] : [sql`cases_search`];
    for (const table of [...search, t.profileHits, t.riskProfiles, t.subscriptions, t.savedViews, t.notifications, t.auditLog, t.guideVersions, t.guidePairs, t.guideRecordations, t.guideCategories, t.guideDistricts, t.guides, t.caseAttachments, t.caseSteps, t.caseRecordations, t.caseRightHolders, t.caseParties, t.cases, t.parties, t.recordationImages, t.recordationParties, t.recordations, t.sessions, t.accounts, t.apiTokens, t.invitations, t.outbox, t.users, t.signInFailures, t.campaigns, t.rightHolders, t.customsOffices]) {
      await tx.run(sql`delete from ${table}`);
    }
    // app_meta keeps what is not data (the session secret); the demo mark goes
    await tx.run(sql`delete from ${t.appMeta} where key = ${DEMO_META_KEY}`);
    if (tx.dialect === "sqlite") await tx.run(sql`delete from sqlite_sequence`);
    else await restartPostgresIdentities(tx);
  });
}

/** The reference data with the ids the generator gave it (1..n in array order). */
export async function insertReference(tx: Engine, reference: Reference): Promise<void> {
  const { customsOffices, rightHolders, campaigns } = tx.t;
  const codeToId = new Map(reference.offices.map((o, i) => [o.code, i + 1]));
  // districts first, so a subordinate's foreign key finds its district
  const ordered = reference.offices.map((o, i) => [o, i + 1] as const).sort((a, b) => Number(a[0].districtCode !== null) - Number(b[0].districtCode !== null));
  await tx.db.insert(customsOffices).values(
    ordered.map(([o, id]) => ({ id, code: o.code, nameEn: o.nameEn, nameZh: o.nameZh, province: o.province, districtId: o.districtCode ? codeToId.get(o.districtCode)! : null })),
  );
  await tx.db.insert(rightHolders).values(
    reference.holders.map((h, i) => ({ id: i + 1, name: h.name, nameZh: h.nameZh, country: h.country, industry: h.industry, foreignInvested: h.foreignInvested, qbpcMember: h.qbpcMember })),
  );
  await tx.db.insert(campaigns).values(
    reference.campaigns.map((c, i) => ({ id: i + 1, code: c.code, nameEn: c.nameEn, nameZh: c.nameZh, startsOn: c.startsOn, endsOn: c.endsOn })),
  );
  // PostgreSQL: the identity sequences move past the ids given (SQLite's rowids follow by themselves)
  if (tx.dialect === "postgres") await restartPostgresIdentities(tx);
}

/** The demo seed's recordations (seed/recordations.ts) and their parties, with the ids 1..n in order, inside the seed's transaction. */
export async function insertRecordations(tx: Engine, rows: readonly GeneratedRecordation[], now: number): Promise<void> {
  const { recordations, recordationParties } = tx.t;
  for (let i = 0; i < rows.length; i += 400) {
    await tx.db.insert(recordations).values(
      rows.slice(i, i + 400).map((r, k) => ({
        id: i + k + 1, number: r.number, holderId: r.holderId, kind: r.kind, rightNo: r.rightNo, titleEn: r.titleEn, titleZh: r.titleZh,
        classes: classesToText(r.classes), validFrom: r.validFrom, validTo: r.validTo, status: r.status, revokedReason: r.revokedReason,
        createdAt: now, createdBy: null, updatedAt: now, updatedBy: null, version: 1,
      })),
    );
  }
  const parties = rows.flatMap((r, i) => r.parties.map((p) => ({ recordationId: i + 1, kind: p.kind, name: p.name })));
  for (let i = 0; i < parties.length; i += 1000) await tx.db.insert(recordationParties).values(parties.slice(i, i + 1000));
  // PostgreSQL: the identity sequences move past the ids given
  if (tx.dialect === "postgres") await restartPostgresIdentities(tx);
}

export const DEMO_META_KEY = "demo_seed";

export async function isDemo(e: Engine): Promise<boolean> {
  return (await e.get(sql`select 1 from ${e.t.appMeta} where key = ${DEMO_META_KEY}`)) !== undefined;
}

/** Marks the database as holding generated demo data (and with which arguments). */
export async function markDemo(e: Engine, info: { cases: number; seed: number }): Promise<void> {
  const value = JSON.stringify({ ...info, seededAt: new Date().toISOString() });
  await e.run(sql`insert into ${e.t.appMeta} (key, value) values (${DEMO_META_KEY}, ${value}) on conflict(key) do update set value = excluded.value`);
}

/** Demo files, written by the seed in one statement per batch (no audit: generated data, not anyone's change). */
export async function insertSeedAttachments(tx: Engine, rows: readonly SeedAttachment[]): Promise<void> {
  const a = tx.t.caseAttachments;
  for (let i = 0; i < rows.length; i += 100) {
    await tx.db.insert(a).values(
      rows.slice(i, i + 100).map((r) => ({
        caseId: r.caseId, holderId: r.holderId, kind: r.kind, caption: r.caption, fileName: r.fileName, contentType: r.contentType,
        bytes: r.data.byteLength, sha256: r.sha256, width: r.width, height: r.height, shared: r.shared,
        data: Buffer.from(r.data), thumbnail: r.thumbnail ? Buffer.from(r.thumbnail) : null,
        createdAt: r.createdAt, createdBy: null, updatedAt: r.createdAt, updatedBy: null,
      })),
    );
  }
}

/**
 * The right holders of the demo guides: those named in most of Kunming's cases of the published
 * period (2016-01-01 … 2017-06-07), the demo member's company first (db/auth.ts demoMemberHolder
 * orders them the same way), with their recordation numbers.
 */
export async function seedGuideHolders(tx: Engine, count: number): Promise<SeedGuideHolder[]> {
  const { caseRightHolders, cases, customsOffices, rightHolders, recordations } = tx.t;
  const rows = await tx.all<{ id: number; name: string; industry: string }>(sql`select l.right_holder_id as id, h.name as name, h.industry as industry
      from ${caseRightHolders} l join ${cases} c on c.id = l.case_id join ${customsOffices} o on o.id = c.office_id join ${rightHolders} h on h.id = l.right_holder_id
      where c.deleted_at is null and c.seized_on between '2016-01-01' and '2017-06-07'
        and coalesce(o.district_id, o.id) = (select id from ${customsOffices} where code = '8600')
      group by l.right_holder_id, h.name, h.industry order by count(*) desc, l.right_holder_id limit ${count}`);
  const out: SeedGuideHolder[] = [];
  for (const r of rows) {
    const numbers = await tx.all<{ n: string }>(sql`select number as n from ${recordations} where holder_id = ${Number(r.id)} order by number`);
    out.push({ id: Number(r.id), name: r.name, industry: r.industry as SeedGuideHolder["industry"], recordationNumbers: numbers.map((x) => x.n) });
  }
  return out;
}

/** Demo guides with their links, pairs and first version, written by the seed (no audit: generated data, not anyone's change). */
export async function insertSeedGuides(tx: Engine, guides: readonly SeedGuide[]): Promise<void> {
  const { guides: g, guideDistricts, guideCategories, guideRecordations, guidePairs, guideVersions, customsOffices, recordations } = tx.t;
  for (const guide of guides) {
    const { pairs, districtCodes, categories, recordationNumbers, at, ...fields } = guide;
    const [row] = await tx.db.insert(g).values({ ...fields, version: 1, createdAt: at, createdBy: null, updatedAt: at, updatedBy: null }).returning({ id: g.id });
    const guideId = row!.id;
    if (districtCodes.length) {
      const ids = await tx.db.select({ id: customsOffices.id }).from(customsOffices).where(tx.say.inList(sql`${customsOffices.code}`, districtCodes));
      await tx.db.insert(guideDistricts).values(ids.map((d) => ({ guideId, districtId: d.id })));
    }
    if (categories.length) await tx.db.insert(guideCategories).values(categories.map((category) => ({ guideId, category })));
    if (recordationNumbers.length) {
      const ids = await tx.db.select({ id: recordations.id }).from(recordations).where(tx.say.inList(sql`${recordations.number}`, recordationNumbers));
      if (ids.length) await tx.db.insert(guideRecordations).values(ids.map((r) => ({ guideId, recordationId: r.id })));
    }
    for (const [i, p] of pairs.entries()) {
      await tx.db.insert(guidePairs).values({
        guideId, position: i + 1, feature: p.feature, captionEn: p.captionEn, captionZh: p.captionZh,
        genuineType: p.genuine.contentType, genuineData: Buffer.from(p.genuine.data), genuineThumbnail: Buffer.from(p.genuine.thumbnail),
        genuineWidth: p.genuine.width, genuineHeight: p.genuine.height, genuineSha256: p.genuine.sha256,
        fakeType: p.fake.contentType, fakeData: Buffer.from(p.fake.data), fakeThumbnail: Buffer.from(p.fake.thumbnail),
        fakeWidth: p.fake.width, fakeHeight: p.fake.height, fakeSha256: p.fake.sha256,
        markers: JSON.stringify(p.markers), createdAt: at, createdBy: null,
      });
    }
    await tx.db.insert(guideVersions).values({ guideId, version: 1, at, userId: null, changed: JSON.stringify(["created"]) });
  }
}
