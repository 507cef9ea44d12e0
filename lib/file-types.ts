// What a file is, by its first bytes (its "magic"), never by its name or the type a browser
// claims: the only types the tracker keeps are JPEG, PNG and WebP images and PDF documents.
// An HTML page named photo.jpg or an SVG (text, which may hold script) is none of these.

export const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
export const FILE_TYPES = [...IMAGE_TYPES, "application/pdf"] as const;
export type FileType = (typeof FILE_TYPES)[number];

const EXTENSIONS: Record<FileType, string> = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf" };

const startsWith = (bytes: Uint8Array, magic: readonly number[], at = 0) =>
  bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The type of a file by its content, or null when it is none the tracker keeps. */
export function sniffFileType(bytes: Uint8Array): FileType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  if (startsWith(bytes, ascii("%PDF-"))) return "application/pdf";
  return null;
}

/** The image type of a file by its content, or null (a PDF is not an image). */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  const type = sniffFileType(bytes);
  return type && (IMAGE_TYPES as readonly string[]).includes(type) ? (type as ImageType) : null;
}

export const isImageType = (type: string): type is ImageType => (IMAGE_TYPES as readonly string[]).includes(type);

export function extensionOf(type: FileType): string {
  return EXTENSIONS[type];
}

/**
 * A file name safe to keep and to send in Content-Disposition: the last part of whatever path
 * the browser sent ("C:\\fakepath\\x.jpg", "../../etc/passwd"), without control characters,
 * quotes, slashes or leading dots, at most 120 characters, and ending in the extension of the
 * type the content has (so "invoice.html" holding a PNG is kept as "invoice.html.png").
 */
export function safeFileName(name: string, type: FileType): string {
  const last = name.split(/[\\/]/).pop() ?? "";
  let base = last
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f-\u009f"*:<>?|;\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/\s+/g, " ")
    .replace(/^[.\s]+/, "")
    .trim();
  const ext = EXTENSIONS[type];
  const lower = base.toLowerCase();
  const own = type === "image/jpeg" ? [".jpg", ".jpeg"] : [`.${ext}`];
  if (own.some((e) => lower.endsWith(e))) base = base.slice(0, base.lastIndexOf("."));
  base = [...base].slice(0, 110).join("").trim();
  return `${base || "file"}.${ext}`;
}

/** Content-Disposition with the name in both forms: ASCII fallback and RFC 5987 UTF-8. */
export function contentDisposition(kind: "inline" | "attachment", name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, "_").replace(/[\\"]/g, "_");
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
