import "server-only";
import { budgetedRead } from "../budget";
import { getEngine } from "../client";
import * as q from "../queries/recordations";
import type { RecordationDetail, RecordationHistoryEntry, RecordationRow } from "../queries/recordations";
import { ImageError, prepareImage as preparedImage } from "../../lib/images";
import { MAX_IMAGE_BYTES, todayInBeijing, type PartyInput, type RecordationFilters, type RecordationInput } from "../../lib/recordations";
import type { Scope } from "../../lib/roles";
import type { Filters } from "../../lib/filters";

// Customs IP recordations for pages, routes and actions: the reader's Scope decides what is
// seen (a member: its own company's only); every write is one transaction with its audit row
// (db/queries/recordations.ts). "Today" is Beijing's date.

export type { RecordationDetail, RecordationHistoryEntry, RecordationRow };
export { RecordationFieldError, RecordationNotFoundError } from "../queries/recordations";
export type Writer = q.Writer;

export async function listRecordations(scope: Scope, filters: RecordationFilters) {
  return q.listRecordations(getEngine(), scope, filters, todayInBeijing());
}

export async function recordationHolderChoices(scope: Scope) {
  return q.recordationHolderChoices(getEngine(), scope);
}

export async function getRecordation(scope: Scope, id: number): Promise<RecordationDetail | null> {
  return q.getRecordation(getEngine(), scope, id, todayInBeijing());
}

export async function recordationHistory(scope: Scope, id: number): Promise<RecordationHistoryEntry[]> {
  return q.recordationHistory(getEngine(), scope, id);
}

export async function getRecordationImage(scope: Scope, id: number) {
  return q.getRecordationImage(getEngine(), scope, id);
}

/**
 * An uploaded mark image, checked and re-encoded by the one image pipeline (lib/images.ts):
 * PNG, JPEG or WebP by its bytes (not by the name or the type the browser claims), at most
 * 2 MB, at most 1600 px a side, its metadata such as EXIF and GPS dropped. Null for no file.
 */
export async function prepareImage(file: File | null | undefined): Promise<q.ImageInput | null> {
  if (!file || file.size === 0) return null;
  if (file.size > MAX_IMAGE_BYTES) throw new q.RecordationFieldError("image", "image_too_large", { max: MAX_IMAGE_BYTES / 1024 / 1024 });
  try {
    const image = await preparedImage(new Uint8Array(await file.arrayBuffer()), { maxSide: 1600 });
    return { contentType: image.contentType, bytes: image.bytes };
  } catch (error) {
    if (!(error instanceof ImageError)) throw error;
    throw new q.RecordationFieldError("image", error.code === "type" ? "image_type" : error.code === "too_many_pixels" ? "image_too_many_pixels" : "image_unreadable", error.params);
  }
}

export async function createRecordation(writer: Writer, input: RecordationInput, image: q.ImageInput | null): Promise<number> {
  return q.createRecordation(getEngine(), writer, input, image);
}

export async function updateRecordation(writer: Writer, id: number, version: number, input: RecordationInput, image: q.ImageInput | null): Promise<void> {
  return q.updateRecordation(getEngine(), writer, id, version, input, image);
}

export async function setRecordationParties(writer: Writer, id: number, version: number, parties: PartyInput[]): Promise<void> {
  return q.setRecordationParties(getEngine(), writer, id, version, parties);
}

export async function renewRecordation(writer: Writer, id: number, version: number): Promise<string> {
  return q.renewRecordation(getEngine(), writer, id, version, todayInBeijing());
}

export async function approveRecordation(writer: Writer, id: number, version: number): Promise<void> {
  return q.approveRecordation(getEngine(), writer, id, version);
}

export async function revokeRecordation(writer: Writer, id: number, version: number, reason: string): Promise<void> {
  return q.revokeRecordation(getEngine(), writer, id, version, reason);
}

/** The recordations a case rests on, as the reader may see them (a member: its own company's). */
export async function caseRecordations(scope: Scope, caseId: number) {
  return q.recordationsOfCase(getEngine(), caseId, scope);
}

/** The dashboard panel: approved recordations expiring within 6 months, and the filtered cases by recordation (top `limit`), in the reader's scope. */
export async function recordationPanel(scope: Scope, filters: Filters, limit = 10) {
  const e = getEngine();
  // the cases by recordation come from the aggregate store, in a reader process within the time budget
  const [expiring, byRecordation] = await Promise.all([q.expiringRecordations(e, scope, todayInBeijing(), limit), budgetedRead("casesByRecordation", filters, scope, limit)]);
  return { expiring, byRecordation };
}
