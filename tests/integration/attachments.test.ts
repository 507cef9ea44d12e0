import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { sql } from "drizzle-orm";
import Database from "better-sqlite3";
import pg from "pg";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyDatabase } from "../../db/copy";
import { parseJson, type Engine } from "../../db/engine";
import {
  AttachmentLimitError, AttachmentNotFoundError, addAttachment, listAttachments, readAttachment, removeAttachment, updateAttachment,
  type AttachmentWriter,
} from "../../db/queries/attachments";
import { AttachmentFileError, prepareAttachment } from "../../db/repo/attachments";
import { backupDatabase, restoreDatabase } from "../../db/sqlite/backup";
import { backupPostgres, restorePostgres } from "../../db/postgres/backup";
import { openSqlite } from "../../db/sqlite/open";
import { MAX_ATTACHMENTS_PER_OWNER } from "../../lib/attachments";
import { detentionNoticePdf } from "../../seed/attachments";
import { seedDatabase } from "../../seed/run";
import { tempDir } from "../support/db";
import { ENGINES, freshEngine, type FreshEngine } from "../support/engines";
import { emptyDatabase } from "../support/postgres";

// Files attached to cases (issue 17): hostile uploads refused with their reason or
// neutralised, images served without EXIF/GPS, the demo's files on Kunming's cases, who sees
// what (a member: its own company's files and customs' shared ones, anything else none), the
// 60-file limits, the audit rows; and on both engines, backup and restore bring the files back
// byte for byte, and db:copy carries them (compared by digest).

const dir = tempDir("attachments");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sha = (b: Uint8Array) => crypto.createHash("sha256").update(b).digest("hex");
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
    return "accepted";
  } catch (error) {
    if (error instanceof AttachmentFileError) return error.code;
    throw error;
  }
};

async function photo(options: { width?: number; height?: number; exif?: boolean } = {}): Promise<Uint8Array> {
  const image = sharp({ create: { width: options.width ?? 800, height: options.height ?? 400, channels: 3, background: "#3366aa" } }).jpeg();
  if (options.exif) {
    image
      .withExif({
        IFD0: { Make: "SpyCam", Model: "X1", Copyright: "Officer Wang" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "25/1 2/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "102/1 42/1 0/1" },
      })
      .withMetadata({ orientation: 6 });
  }
  return new Uint8Array(await image.toBuffer());
}

/** A PNG whose header says 30000×30000 (900 megapixels, 3.6 GB decoded) in a file of a few kilobytes. */
function pngBomb(): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "latin1");
    data.copy(out, 8);
    out.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, "latin1"), data])), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30_000, 0);
  ihdr.writeUInt32BE(30_000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = deflateSync(Buffer.alloc(200 * (1 + 30_000 * 3)));
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", rows), chunk("IEND", Buffer.alloc(0))]));
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

describe("an uploaded file is checked by its content", () => {
  it("refuses an HTML page named .jpg, an SVG with script, a GIF, an empty file, a truncated JPEG and a 30000×30000 PNG bomb, each with its reason", async () => {
    const html = new TextEncoder().encode("<!doctype html><script>alert(document.cookie)</script>");
    expect(await refusal(prepareAttachment(html, "photo.jpg", "goods_photo", null))).toBe("type");
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect(await refusal(prepareAttachment(svg, "mark.svg", "goods_photo", null))).toBe("type");
    expect(await refusal(prepareAttachment(new TextEncoder().encode("GIF89a......"), "x.gif", "other", null))).toBe("type");
    expect(await refusal(prepareAttachment(new Uint8Array(), "x.jpg", "other", null))).toBe("empty");
    const whole = await photo({ width: 1600, height: 1200 });
    expect(await refusal(prepareAttachment(whole.slice(0, Math.floor(whole.length / 2)), "cut.jpg", "goods_photo", null))).toBe("unreadable");
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(100_000);
    const started = performance.now();
    expect(await refusal(prepareAttachment(bomb, "bomb.png", "goods_photo", null))).toBe("too_many_pixels");
    // refused from the header: nothing near 3.6 GB was decoded (a bound for a hang, not a measure)
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("keeps a PDF (with JavaScript) as it came, to be served only as a download; a path in the name is dropped", async () => {
    const pdf = new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n");
    const kept = await prepareAttachment(pdf, "../../etc/passwd.pdf", "determination", "JS inside");
    expect(kept.contentType).toBe("application/pdf");
    expect(kept.fileName).toBe("passwd.pdf");
    expect(kept.thumbnail).toBeNull();
    expect(sha(kept.data)).toBe(sha(pdf));
    const png = new Uint8Array(await sharp({ create: { width: 10, height: 10, channels: 3, background: "#fff" } }).png().toBuffer());
    expect((await prepareAttachment(png, "C:\\fakepath\\invoice.html", "other", null)).fileName).toBe("invoice.html.png");
    expect((await prepareAttachment(png, '..\\..\\"evil"\r\n.png', "other", null)).fileName).toBe("evil.png");
  });

  it("re-encodes an image upright without its EXIF, GPS or camera data, at most 2,560 px, with a 320 px thumbnail", async () => {
    const original = await photo({ width: 3000, height: 1000, exif: true });
    const before = await sharp(original).metadata();
    expect(before.exif).toBeDefined();
    expect(before.orientation).toBe(6);
    expect(Buffer.from(original).includes("SpyCam")).toBe(true);
    const kept = await prepareAttachment(original, "IMG_0001.JPG", "goods_photo", null);
    const after = await sharp(kept.data).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(Buffer.from(kept.data).includes("SpyCam")).toBe(false);
    // turned upright (orientation 6: a quarter turn), then capped at 2,560 px
    expect([after.width, after.height]).toEqual([853, 2560]);
    expect([kept.width, kept.height]).toEqual([853, 2560]);
    expect(kept.fileName).toBe("IMG_0001.jpg");
    const thumb = await sharp(kept.thumbnail!).metadata();
    expect(thumb.format).toBe("webp");
    expect(Math.max(thumb.width!, thumb.height!)).toBe(320);
  });
});

describe.each(ENGINES)("attachments on %s", (dialect) => {
  let fresh: FreshEngine;
  let e: Engine;
  const admin = (): AttachmentWriter => ({ userId: "u-admin", scope: {}, holderId: null, staff: true });
  const member = (holderId: number): AttachmentWriter => ({ userId: `u-member-${holderId}`, scope: { restrictToHolders: [holderId] }, holderId, staff: false });
  let caseId = 0;
  let holders: number[] = [];
  let stranger = 0;

  beforeAll(async () => {
    fresh = await freshEngine(dialect, "attachments");
    e = fresh.e;
    await seedDatabase(e, { cases: 1000, seed: 3 });
    // a case with two right holders, where the first has added a file (the seed's every third case)
    const row = await e.get<{ id: number }>(sql`select a.case_id as id from case_attachments a
      where a.holder_id is not null and (select count(*) from case_right_holders l where l.case_id = a.case_id) >= 2 order by a.case_id limit 1`);
    caseId = row!.id;
    holders = (await e.all<{ h: number }>(sql`select right_holder_id as h from case_right_holders where case_id = ${caseId} order by right_holder_id`)).map((r) => Number(r.h));
    stranger = Number((await e.get<{ h: number }>(sql`select min(id) as h from right_holders where id not in (select right_holder_id from case_right_holders where case_id = ${caseId})`))!.h);
  }, 180_000);
  afterAll(async () => fresh?.close());

  it("the demo holds a few files on each of Kunming's cases of the published period, and none elsewhere", async () => {
    const rows = await e.all<{ files: number; cases: number; outside: number; pdfs: number }>(sql`select count(*) as files, count(distinct a.case_id) as cases,
      sum(case when c.case_no not like '8600-%' and c.office_id not in (select id from customs_offices where district_id = (select id from customs_offices where code = '8600')) then 1 else 0 end) as outside,
      sum(case when a.content_type = 'application/pdf' then 1 else 0 end) as pdfs
      from case_attachments a join cases c on c.id = a.case_id where c.seized_on between '2016-01-01' and '2017-06-07'`);
    const r = rows[0]!;
    expect(Number(r.cases)).toBe(63);
    expect(Number(r.pdfs)).toBe(63);
    expect(Number(r.files)).toBeGreaterThan(200);
    expect(Number(r.outside)).toBe(0);
    const all = await e.get<{ n: number }>(sql`select count(*) as n from case_attachments`);
    expect(Number(all!.n)).toBe(Number(r.files));
  });

  it("a member sees on its own company's case only its own files and those customs shared; another company's member sees neither; a stranger gets none", async () => {
    const staff = (await listAttachments(e, {}, caseId))!;
    const [first, second] = holders as [number, number];
    const own = (await listAttachments(e, { restrictToHolders: [first] }, caseId))!;
    const other = (await listAttachments(e, { restrictToHolders: [second] }, caseId))!;
    const firstsFile = staff.find((a) => !a.byCustoms)!;
    const unshared = staff.find((a) => a.byCustoms && !a.shared)!;
    expect(own.map((a) => a.id)).toContain(firstsFile.id);
    expect(own.map((a) => a.id)).not.toContain(unshared.id);
    expect(own.every((a) => !a.byCustoms || a.shared)).toBe(true);
    expect(other.map((a) => a.id)).not.toContain(firstsFile.id);
    expect(other.every((a) => a.byCustoms && a.shared)).toBe(true);
    expect(other.length).toBeGreaterThan(0);
    // another company's file, a customs file not shared, another case's file: the same none as a file that does not exist
    expect(await readAttachment(e, { restrictToHolders: [second] }, caseId, firstsFile.id, "file")).toBeNull();
    expect(await readAttachment(e, { restrictToHolders: [first] }, caseId, unshared.id, "file")).toBeNull();
    expect(await readAttachment(e, { restrictToHolders: [first] }, caseId, 999_999, "file")).toBeNull();
    expect(await listAttachments(e, { restrictToHolders: [stranger] }, caseId)).toBeNull();
    expect(await readAttachment(e, { restrictToHolders: [stranger] }, caseId, firstsFile.id, "thumbnail")).toBeNull();
    expect(await readAttachment(e, {}, caseId + 1, firstsFile.id, "file")).toBeNull();
    const file = (await readAttachment(e, { restrictToHolders: [first] }, caseId, firstsFile.id, "file"))!;
    expect(file.contentType).toBe("image/jpeg");
    // a member may not change a file customs shared with it, nor add to a case not its company's
    const shared = own.find((a) => a.byCustoms)!;
    await expect(updateAttachment(e, member(first), caseId, shared.id, { kind: "other", caption: "mine now" })).rejects.toBeInstanceOf(AttachmentNotFoundError);
    await expect(removeAttachment(e, member(second), caseId, firstsFile.id)).rejects.toBeInstanceOf(AttachmentNotFoundError);
    const pdf = await prepareAttachment(detentionNoticePdf(["x"]), "x.pdf", "other", null);
    await expect(addAttachment(e, member(stranger), caseId, pdf)).rejects.toBeInstanceOf(AttachmentNotFoundError);
  });

  it("adds, edits, shares and removes with an audit row each; a removed file is gone from every answer", async () => {
    const audits = async () => Number((await e.get<{ n: number }>(sql`select count(*) as n from audit_log where entity = 'attachment'`))!.n);
    const before = await audits();
    const [first] = holders as [number];
    const file = await prepareAttachment(await photo(), "report.jpg", "holder_answer", "Identification report");
    const id = await addAttachment(e, member(first), caseId, file);
    await updateAttachment(e, member(first), caseId, id, { kind: "goods_photo", caption: "Genuine, for comparison" });
    const mine = (await listAttachments(e, { restrictToHolders: [first] }, caseId))!.find((a) => a.id === id)!;
    expect([mine.kind, mine.caption, mine.byCustoms]).toEqual(["goods_photo", "Genuine, for comparison", false]);
    const customs = await addAttachment(e, admin(), caseId, await prepareAttachment(detentionNoticePdf(["Penalty"]), "penalty.pdf", "penalty_decision", null));
    expect((await listAttachments(e, { restrictToHolders: [first] }, caseId))!.map((a) => a.id)).not.toContain(customs);
    await updateAttachment(e, admin(), caseId, customs, { kind: "penalty_decision", caption: null, shared: true });
    expect((await listAttachments(e, { restrictToHolders: [first] }, caseId))!.map((a) => a.id)).toContain(customs);
    await removeAttachment(e, member(first), caseId, id);
    await removeAttachment(e, admin(), caseId, customs);
    expect(await readAttachment(e, {}, caseId, id, "file")).toBeNull();
    expect(await readAttachment(e, {}, caseId, id, "thumbnail")).toBeNull();
    expect((await listAttachments(e, {}, caseId))!.map((a) => a.id)).not.toContain(id);
    expect(await audits()).toBe(before + 6);
    const removal = await e.get<{ before: unknown; after: unknown; user: string }>(sql`select before, after, user_id as "user" from audit_log where entity = 'attachment' and entity_id = ${id} and action = 'delete'`);
    expect(parseJson(removal!.before)).toMatchObject({ caseId, fileName: "report.jpg", sha256: file.sha256, holderId: first });
    expect(removal!.user).toBe(`u-member-${first}`);
  });

  it("holds at most 60 files a case from customs, and 60 from each company, nothing written past them", async () => {
    const target = Number((await e.get<{ id: number }>(sql`select min(case_id) as id from case_right_holders where case_id not in (select case_id from case_attachments)`))!.id);
    const holder = Number((await e.get<{ h: number }>(sql`select min(right_holder_id) as h from case_right_holders where case_id = ${target}`))!.h);
    const pdf = await prepareAttachment(detentionNoticePdf(["limit"]), "n.pdf", "other", null);
    for (let i = 0; i < MAX_ATTACHMENTS_PER_OWNER; i++) await addAttachment(e, admin(), target, pdf);
    await expect(addAttachment(e, admin(), target, pdf)).rejects.toBeInstanceOf(AttachmentLimitError);
    // the company's own sixty are apart from customs'
    await addAttachment(e, member(holder), target, pdf);
    const n = Number((await e.get<{ n: number }>(sql`select count(*) as n from case_attachments where case_id = ${target}`))!.n);
    expect(n).toBe(MAX_ATTACHMENTS_PER_OWNER + 1);
  });

  it("a backup and its restore bring every file back byte for byte", async () => {
    const digests = async (read: (q: string) => Promise<{ id: number; data: Buffer; thumbnail: Buffer | null; sha256: string }[]>) =>
      (await read("select id, data, thumbnail, sha256 from case_attachments order by id")).map((r) => [Number(r.id), sha(r.data), r.thumbnail ? sha(r.thumbnail) : null, r.sha256]);
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
      const read = (file: string) => async (q: string) => {
        const db = new Database(file, { readonly: true });
        try {
          return db.prepare(q).all() as never;
        } finally {
          db.close();
        }
      };
      const original = await digests(read(source));
      expect(original.length).toBeGreaterThan(200);
      expect(original.every(([, data, , stored]) => data === stored)).toBe(true);
      expect(await digests(read(target))).toEqual(original);
    } else {
      const dump = path.join(dir, "backup.dump");
      await backupPostgres(fresh.url, dump);
      const target = await emptyDatabase();
      try {
        await restorePostgres(dump, target.url);
        const read = (url: string) => async (q: string) => {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            return (await client.query(q)).rows as never;
          } finally {
            await client.end();
          }
        };
        const original = await digests(read(fresh.url));
        expect(original.length).toBeGreaterThan(200);
        expect(original.every(([, data, , stored]) => data === stored)).toBe(true);
        expect(await digests(read(target.url))).toEqual(original);
      } finally {
        await target.drop();
      }
    }
  });

  it("db:copy to the other engine and back carries every file, compared by digest", async () => {
    const other = await freshEngine(dialect === "sqlite" ? "postgres" : "sqlite", "attachments-copy");
    const empty = dialect === "sqlite" ? null : await emptyDatabase();
    const back = empty ? empty.url : `file:${path.join(dir, "back.db")}`;
    try {
      // the target must be empty: a fresh engine is migrated but holds no rows
      const there = await copyDatabase({ from: fresh.url, to: other.url });
      expect(there.target.rows.case_attachments).toBe(there.source.rows.case_attachments);
      const home = await copyDatabase({ from: other.url, to: back });
      expect(home.target).toEqual(there.source);
      const digest = (x: Engine) => x.all<{ id: number; d: string }>(sql`select id, sha256 as d from case_attachments order by id`);
      const blobs = async (x: Engine) => (await x.all<{ id: number; data: Buffer }>(sql`select id, data from case_attachments order by id`)).map((r) => [Number(r.id), sha(r.data)]);
      const original = await blobs(e);
      expect(await blobs(other.e)).toEqual(original);
      expect((await digest(other.e)).map((r) => [Number(r.id), r.d])).toEqual(original);
    } finally {
      await other.close();
      await empty?.drop();
    }
  });
});
