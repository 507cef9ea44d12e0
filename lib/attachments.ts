import { z } from "zod";
import { attachmentKinds } from "./enums";

// Files attached to a case (issue 17): the limits and the editable fields, with no I/O.
// The error codes are translated by the gallery (messages/*.json, "attachments.errors").

/** The most bytes one uploaded file may have, counted while it streams in. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
/** The most files one case holds from customs, and from each right holder's members. */
export const MAX_ATTACHMENTS_PER_OWNER = 60;
/** Images are kept at most this many pixels a side. */
export const MAX_ATTACHMENT_SIDE = 2560;
export const MAX_CAPTION = 500;

export type AttachmentProblem = "too_large" | "type" | "too_many_pixels" | "unreadable" | "too_many" | "empty" | "caption_too_long" | "kind";

const blankToNull = (v: unknown) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? null : v);

export const caption = z.preprocess(blankToNull, z.string().trim().max(MAX_CAPTION, "caption_too_long").nullable());
export const attachmentKind = z.enum(attachmentKinds.values, { error: "kind" });

/** What an officer or a member may change of a file: its kind and caption (customs also whether the right holders see it). */
export const attachmentEdit = z.object({ kind: attachmentKind, caption, shared: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).optional() });
export type AttachmentEdit = z.infer<typeof attachmentEdit>;

/** A readable size: "2.4 MB", "310 KB"; in Chinese in words ("2.4 兆字节"), no Latin letters on a Chinese page. */
export function formatBytes(n: number, locale: "en" | "zh"): string {
  const format = (v: number, digits: number) => new Intl.NumberFormat(locale === "zh" ? "zh-CN" : "en-US", { maximumFractionDigits: digits }).format(v);
  const [mb, kb] = locale === "zh" ? ["兆字节", "千字节"] : ["MB", "KB"];
  if (n >= 1024 * 1024) return `${format(n / 1024 / 1024, 1)} ${mb}`;
  return `${format(Math.max(1, Math.round(n / 1024)), 0)} ${kb}`;
}
