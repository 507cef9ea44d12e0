import "server-only";
import { and, asc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import { first, type Engine } from "../engine";
import { writeAudit } from "../audit";
import { CaseNotFoundError } from "../case-errors";
import type { AttachmentKind } from "../../lib/enums";
import type { AttachmentEdit } from "../../lib/attachments";
import { MAX_ATTACHMENTS_PER_OWNER } from "../../lib/attachments";
import type { Scope } from "../../lib/roles";

// Files attached to a case (issue 17), on both engines. Who sees what:
// - customs staff (admins, analysts): every file of every live case;
// - a member: on its own company's cases only, the files its company's members added and those
//   customs shared with the right holders; anything else (another company's case or file, a
//   customs file not shared, a file of another case, a removed one) is "none", the same answer
//   as a file that never existed.
// Every write is one transaction with its audit row (entity "attachment").

/** Not there, or outside the reader's scope: the same answer, so nothing is disclosed. */
export class AttachmentNotFoundError extends CaseNotFoundError {
  override name = "AttachmentNotFoundError";
}

/** The owner (customs, or a right holder's members) already has the most files a case holds. */
export class AttachmentLimitError extends Error {
  override name = "AttachmentLimitError";
  constructor(readonly max: number) {
    super(`This case already holds ${max} files of yours.`);
  }
}

/** Who writes: the account, and the right holder it writes for (null: customs staff). */
export type AttachmentWriter = { userId: string; scope: Scope; holderId: number | null; staff: boolean };

export type AttachmentRow = {
  id: number;
  caseId: number;
  kind: AttachmentKind;
  caption: string | null;
  fileName: string;
  contentType: string;
  bytes: number;
  width: number | null;
  height: number | null;
  shared: boolean;
  /** added by customs (not by a right holder's member) */
  byCustoms: boolean;
  hasThumbnail: boolean;
  createdAt: number;
  updatedAt: number;
};

export type NewAttachment = {
  kind: AttachmentKind;
  caption: string | null;
  fileName: string;
  contentType: string;
  data: Uint8Array;
  thumbnail: Uint8Array | null;
  width: number | null;
  height: number | null;
  sha256: string;
};

const validId = (id: number) => Number.isSafeInteger(id) && id >= 1 && id <= 2_147_483_647;

/** The live case, if the reader may see it (a member: a case naming its company). */
async function caseVisible(e: Engine, scope: Scope, caseId: number, lock = false): Promise<boolean> {
  if (!validId(caseId)) return false;
  const { cases, caseRightHolders } = e.t;
  const own = scope.restrictToHolders;
  const member = own
    ? sql` and exists (select 1 from ${caseRightHolders} l where l.case_id = ${cases.id} and ${e.say.inList(sql`l.right_holder_id`, own.length ? own : [-1])})`
    : sql``;
  const row = await e.get(sql`select ${cases.id} from ${cases} where ${cases.id} = ${caseId} and ${cases.deletedAt} is null${member}${lock ? e.say.forUpdate : sql``}`);
  return row !== undefined;
}

/** The files of a case the reader may see (a member: its own company's, and customs' shared ones). */
function seen(e: Engine, scope: Scope): SQL | undefined {
  const a = e.t.caseAttachments;
  const own = scope.restrictToHolders;
  if (!own) return undefined;
  return or(and(isNull(a.holderId), eq(a.shared, true)), own.length ? e.say.inList(sql`${a.holderId}`, own) : e.say.never);
}

function listColumns(e: Engine) {
  const a = e.t.caseAttachments;
  return {
    id: a.id, caseId: a.caseId, kind: a.kind, caption: a.caption, fileName: a.fileName, contentType: a.contentType, bytes: a.bytes,
    width: a.width, height: a.height, shared: a.shared, holderId: a.holderId,
    hasThumbnail: sql<number>`case when ${a.thumbnail} is null then 0 else 1 end`, createdAt: a.createdAt, updatedAt: a.updatedAt,
  };
}

type RawRow = Omit<AttachmentRow, "byCustoms" | "hasThumbnail"> & { holderId: number | null; hasThumbnail: number | string };
const toRow = ({ holderId, hasThumbnail, ...r }: RawRow): AttachmentRow => ({
  ...r, shared: Boolean(r.shared), byCustoms: holderId === null, hasThumbnail: Number(hasThumbnail) === 1,
});

/** The files of a case, oldest first; null when the reader may not see the case (a 404). */
export async function listAttachments(e: Engine, scope: Scope, caseId: number): Promise<AttachmentRow[] | null> {
  if (!(await caseVisible(e, scope, caseId))) return null;
  const a = e.t.caseAttachments;
  const rows = (await e.db.select(listColumns(e)).from(a).where(and(eq(a.caseId, caseId), seen(e, scope))).orderBy(asc(a.id))) as RawRow[];
  return rows.map(toRow);
}

/** One file's bytes (or its thumbnail's), or null for none / not the reader's to see. */
export async function readAttachment(
  e: Engine,
  scope: Scope,
  caseId: number,
  id: number,
  part: "file" | "thumbnail",
): Promise<{ fileName: string; contentType: string; data: Uint8Array; updatedAt: number } | null> {
  if (!validId(id) || !(await caseVisible(e, scope, caseId))) return null;
  const a = e.t.caseAttachments;
  const row = await first(
    e.db
      .select({ fileName: a.fileName, contentType: a.contentType, data: part === "file" ? a.data : a.thumbnail, updatedAt: a.updatedAt })
      .from(a)
      .where(and(eq(a.id, id), eq(a.caseId, caseId), seen(e, scope))),
  );
  if (!row || !row.data) return null;
  return { fileName: row.fileName, contentType: part === "file" ? row.contentType : "image/webp", data: new Uint8Array(row.data), updatedAt: row.updatedAt };
}

/** How many files the owner (customs: null, or a right holder) already has on the case. */
async function countOwned(tx: Engine, caseId: number, holderId: number | null): Promise<number> {
  const a = tx.t.caseAttachments;
  const row = await first(tx.db.select({ n: sql<number>`count(*)` }).from(a).where(and(eq(a.caseId, caseId), holderId === null ? isNull(a.holderId) : eq(a.holderId, holderId))));
  return Number(row?.n ?? 0);
}

/** What the audit log keeps of a file: everything but its bytes. */
const audited = (r: { caseId: number; kind: string; caption: string | null; fileName: string; contentType: string; bytes: number; sha256: string; shared: boolean; holderId: number | null }) => ({
  caseId: r.caseId, kind: r.kind, caption: r.caption, fileName: r.fileName, contentType: r.contentType, bytes: r.bytes, sha256: r.sha256, shared: r.shared, holderId: r.holderId,
});

/** Adds a file to a case, with its audit row; refused when the owner has 60 files on it already. */
export async function addAttachment(e: Engine, writer: AttachmentWriter, caseId: number, file: NewAttachment, now = Date.now()): Promise<number> {
  return e.transaction(async (tx) => {
    // the case row locked (PostgreSQL): two uploads at once cannot both take the 60th place
    if (!(await caseVisible(tx, writer.scope, caseId, true))) throw new AttachmentNotFoundError("No such case.");
    if ((await countOwned(tx, caseId, writer.holderId)) >= MAX_ATTACHMENTS_PER_OWNER) throw new AttachmentLimitError(MAX_ATTACHMENTS_PER_OWNER);
    const a = tx.t.caseAttachments;
    const values = {
      caseId, holderId: writer.holderId, kind: file.kind, caption: file.caption, fileName: file.fileName, contentType: file.contentType,
      bytes: file.data.byteLength, sha256: file.sha256, width: file.width, height: file.height, shared: false,
      data: Buffer.from(file.data), thumbnail: file.thumbnail ? Buffer.from(file.thumbnail) : null,
      createdAt: now, createdBy: writer.userId, updatedAt: now, updatedBy: writer.userId,
    };
    const [row] = await tx.db.insert(a).values(values).returning({ id: a.id });
    await writeAudit(tx, { userId: writer.userId, action: "create", entity: "attachment", entityId: row!.id, before: null, after: audited(values), at: now });
    return row!.id;
  });
}

/** The file as the writer may change it: visible to it, and its own company's (staff: any). */
async function ownedRow(tx: Engine, writer: AttachmentWriter, caseId: number, id: number) {
  if (!validId(id) || !(await caseVisible(tx, writer.scope, caseId))) throw new AttachmentNotFoundError("No such file.");
  const a = tx.t.caseAttachments;
  const row = await first(
    tx.db
      .select({ caseId: a.caseId, kind: a.kind, caption: a.caption, fileName: a.fileName, contentType: a.contentType, bytes: a.bytes, sha256: a.sha256, shared: a.shared, holderId: a.holderId })
      .from(a)
      .where(and(eq(a.id, id), eq(a.caseId, caseId), seen(tx, writer.scope))),
  );
  if (!row) throw new AttachmentNotFoundError("No such file.");
  const mine = writer.staff || (row.holderId !== null && row.holderId === writer.holderId);
  return { row: { ...row, shared: Boolean(row.shared) }, mine };
}

/** Changes a file's kind and caption (and, for customs, whether the right holders see it). */
export async function updateAttachment(e: Engine, writer: AttachmentWriter, caseId: number, id: number, edit: AttachmentEdit, now = Date.now()): Promise<void> {
  await e.transaction(async (tx) => {
    const { row, mine } = await ownedRow(tx, writer, caseId, id);
    // a member may see a file customs shared, but not change it: for it, there is no such file to edit
    if (!mine) throw new AttachmentNotFoundError("No such file.");
    const shared = writer.staff && edit.shared !== undefined ? edit.shared : row.shared;
    const a = tx.t.caseAttachments;
    await tx.db.update(a).set({ kind: edit.kind, caption: edit.caption, shared, updatedAt: now, updatedBy: writer.userId }).where(eq(a.id, id));
    await writeAudit(tx, { userId: writer.userId, action: "update", entity: "attachment", entityId: id, before: audited(row), after: audited({ ...row, kind: edit.kind, caption: edit.caption, shared }), at: now });
  });
}

/** Removes a file for good (it is gone from every answer); the audit row keeps what it was. */
export async function removeAttachment(e: Engine, writer: AttachmentWriter, caseId: number, id: number, now = Date.now()): Promise<void> {
  await e.transaction(async (tx) => {
    const { row, mine } = await ownedRow(tx, writer, caseId, id);
    if (!mine) throw new AttachmentNotFoundError("No such file.");
    const a = tx.t.caseAttachments;
    await tx.db.delete(a).where(eq(a.id, id));
    await writeAudit(tx, { userId: writer.userId, action: "delete", entity: "attachment", entityId: id, before: audited(row), after: null, at: now });
  });
}

export type { AttachmentKind };
