import "server-only";
import crypto from "node:crypto";
import { getEngine } from "../client";
import * as q from "../queries/attachments";
import { safeFileName, sniffFileType } from "../../lib/file-types";
import { ImageError, prepareImage, thumbnailOf } from "../../lib/images";
import { MAX_ATTACHMENT_SIDE, type AttachmentEdit, type AttachmentProblem } from "../../lib/attachments";
import type { AttachmentKind } from "../../lib/enums";
import { caseScope, type Scope, type SessionUser } from "../../lib/roles";

// Files attached to cases for routes, actions and the case page (db/queries/attachments.ts):
// what a reader may see is decided by its Scope; an upload is checked by its content here
// (lib/file-types.ts, lib/images.ts) before one transaction writes it with its audit row.

export type { AttachmentRow } from "../queries/attachments";
export { AttachmentLimitError, AttachmentNotFoundError } from "../queries/attachments";

/** An upload refused for what the file is: the code names the problem (lib/attachments.ts). */
export class AttachmentFileError extends Error {
  override name = "AttachmentFileError";
  constructor(
    readonly code: AttachmentProblem,
    readonly params: Record<string, number> = {},
  ) {
    super(code);
  }
}

export function attachmentWriter(user: SessionUser): q.AttachmentWriter {
  const staff = user.role !== "member";
  return { userId: user.id, scope: caseScope(user), holderId: staff ? null : user.holderId, staff };
}

export async function listAttachments(scope: Scope, caseId: number) {
  return q.listAttachments(getEngine(), scope, caseId);
}

export async function readAttachment(scope: Scope, caseId: number, id: number, part: "file" | "thumbnail") {
  return q.readAttachment(getEngine(), scope, caseId, id, part);
}

/**
 * A file as the tracker keeps it: its type read from its bytes (JPEG, PNG, WebP or PDF only);
 * an image turned upright and written again without metadata, at most 2,560 px a side, with a
 * 320 px WebP thumbnail; a PDF kept as sent (it is only ever served as a download).
 */
export async function prepareAttachment(bytes: Uint8Array, name: string, kind: AttachmentKind, caption: string | null): Promise<q.NewAttachment> {
  if (bytes.byteLength === 0) throw new AttachmentFileError("empty");
  const type = sniffFileType(bytes);
  if (!type) throw new AttachmentFileError("type");
  let data = bytes;
  let thumbnail: Uint8Array | null = null;
  let width: number | null = null;
  let height: number | null = null;
  if (type !== "application/pdf") {
    try {
      const image = await prepareImage(bytes, { maxSide: MAX_ATTACHMENT_SIDE });
      ({ width, height } = image);
      data = image.bytes;
      thumbnail = await thumbnailOf(data);
    } catch (error) {
      if (error instanceof ImageError) throw new AttachmentFileError(error.code, error.params);
      throw error;
    }
  }
  const sha256 = crypto.createHash("sha256").update(data).digest("hex");
  return { kind, caption, fileName: safeFileName(name, type), contentType: type, data, thumbnail, width, height, sha256 };
}

export async function addAttachment(user: SessionUser, caseId: number, file: q.NewAttachment): Promise<number> {
  return q.addAttachment(getEngine(), attachmentWriter(user), caseId, file);
}

export async function updateAttachment(user: SessionUser, caseId: number, id: number, edit: AttachmentEdit): Promise<void> {
  return q.updateAttachment(getEngine(), attachmentWriter(user), caseId, id, edit);
}

export async function removeAttachment(user: SessionUser, caseId: number, id: number): Promise<void> {
  return q.removeAttachment(getEngine(), attachmentWriter(user), caseId, id);
}
