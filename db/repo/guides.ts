import "server-only";
import crypto from "node:crypto";
import { getEngine } from "../client";
import * as q from "../queries/guides";
import { ImageError, prepareImage, thumbnailOf } from "../../lib/images";
import { MAX_GUIDE_IMAGE_BYTES, MAX_GUIDE_IMAGE_SIDE, type GuideInput, type GuideSearch, type PairInput } from "../../lib/guides";
import type { SessionUser } from "../../lib/roles";

// Authentication guides for pages, actions and routes (db/queries/guides.ts). Whom a guide is
// shown to is decided here from the session's account alone: its role, its company (a member)
// and its district, read from the database at each request (an admin's change counts at once).
// Guide pictures go through the attachments' one image pipeline (lib/images.ts).

export type { GuideDetail, GuideListRow, GuidePair, GuideReader } from "../queries/guides";
export { GuideFieldError, GuideNotFoundError } from "../queries/guides";

export async function guideReaderOf(user: SessionUser): Promise<q.GuideReader> {
  if (user.role === "admin") return { kind: "admin" };
  if (user.role === "member") return { kind: "member", holderId: user.holderId };
  return { kind: "officer", districtId: await q.accountDistrict(getEngine(), user.id) };
}

async function writerOf(user: SessionUser): Promise<q.GuideWriter> {
  return { userId: user.id, reader: await guideReaderOf(user) };
}

export async function listGuides(user: SessionUser, search: GuideSearch) {
  return q.listGuides(getEngine(), await guideReaderOf(user), search);
}

/** The guides of a case's right holders the user may see (a member: its own company's only). */
export async function guidesOfHolders(user: SessionUser, holderIds: number[]) {
  if (holderIds.length === 0) return [];
  return q.listGuides(getEngine(), await guideReaderOf(user), { holders: holderIds });
}

export async function getGuide(user: SessionUser, id: number) {
  return q.getGuide(getEngine(), await guideReaderOf(user), id);
}

export async function readGuideImage(user: SessionUser, guideId: number, pairId: number, side: "genuine" | "fake", part: "file" | "thumbnail") {
  return q.readGuideImage(getEngine(), await guideReaderOf(user), guideId, pairId, side, part);
}

export async function guideHolderChoices(user: SessionUser) {
  return q.guideHolderChoices(getEngine(), await guideReaderOf(user));
}

export async function customsDistricts() {
  return q.customsDistricts(getEngine());
}

export async function accountDistrictCode(userId: string): Promise<string | null> {
  const id = await q.accountDistrict(getEngine(), userId);
  if (id === null) return null;
  return (await q.customsDistricts(getEngine())).find((d) => d.id === id)?.code ?? null;
}

export async function createGuide(user: SessionUser, input: GuideInput) {
  return q.createGuide(getEngine(), await writerOf(user), input);
}

export async function updateGuide(user: SessionUser, id: number, version: number, input: GuideInput) {
  return q.updateGuide(getEngine(), await writerOf(user), id, version, input);
}

/**
 * One picture of a pair as the attachments keep theirs: its type read from its bytes (JPEG,
 * PNG or WebP), at most 40 megapixels, turned upright and written again without metadata (no
 * EXIF or GPS), at most 2,560 px a side, with a 320 px WebP thumbnail. `field` names the
 * form's file field in a refusal.
 */
export async function prepareGuideImage(file: File | undefined, field: "genuine" | "fake"): Promise<q.GuideImage> {
  if (!file || file.size === 0) throw new q.GuideFieldError(field, "image_required");
  if (file.size > MAX_GUIDE_IMAGE_BYTES) throw new q.GuideFieldError(field, "image_too_large", { max: MAX_GUIDE_IMAGE_BYTES / 1024 / 1024 });
  try {
    const image = await prepareImage(new Uint8Array(await file.arrayBuffer()), { maxSide: MAX_GUIDE_IMAGE_SIDE });
    const thumbnail = await thumbnailOf(image.bytes);
    const sha256 = crypto.createHash("sha256").update(image.bytes).digest("hex");
    return { contentType: image.contentType, data: image.bytes, thumbnail, width: image.width, height: image.height, sha256 };
  } catch (error) {
    if (error instanceof ImageError) throw new q.GuideFieldError(field, `image_${error.code}`, error.params);
    throw error;
  }
}

export async function addGuidePair(user: SessionUser, guideId: number, pair: PairInput, genuine: q.GuideImage, fake: q.GuideImage) {
  return q.addGuidePair(getEngine(), await writerOf(user), guideId, pair, genuine, fake);
}

export async function updateGuidePair(user: SessionUser, guideId: number, pairId: number, pair: PairInput) {
  return q.updateGuidePair(getEngine(), await writerOf(user), guideId, pairId, pair);
}

export async function removeGuidePair(user: SessionUser, guideId: number, pairId: number) {
  return q.removeGuidePair(getEngine(), await writerOf(user), guideId, pairId);
}

export async function setAccountDistrict(admin: SessionUser, userId: string, districtCode: string | null) {
  return q.setAccountDistrict(getEngine(), admin.id, userId, districtCode);
}
