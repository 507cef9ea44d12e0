import sharp from "sharp";
import { sniffImageType, type ImageType } from "./file-types";

// THE image pipeline, for every picture a user uploads (case attachments, recordation marks):
// the type read from the bytes; the size read from the header and refused past 40 megapixels
// before anything is decoded (a 30000×30000 PNG of a few kilobytes would take 3.6 GB to
// decode); a truncated file refused; the picture turned upright by its EXIF orientation and
// written again by sharp, which keeps none of the metadata (EXIF with its GPS position, XMP,
// the ICC profile: the pixels are converted to sRGB), at most `maxSide` pixels a side.

/** The most pixels an uploaded image may have (read from its header, before decoding). */
export const MAX_IMAGE_PIXELS = 40_000_000;
export const THUMBNAIL_SIDE = 320;

export type ImageProblem = "type" | "too_many_pixels" | "unreadable";

export class ImageError extends Error {
  override name = "ImageError";
  constructor(
    readonly code: ImageProblem,
    readonly params: Record<string, number> = {},
  ) {
    super(code);
  }
}

export type PreparedImage = { contentType: ImageType; bytes: Uint8Array; width: number; height: number };

const decodeOptions = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: "truncated", sequentialRead: true } as const;

/** The image's size from its header, refused when it is not a readable image or too large. */
async function checkedHeader(bytes: Uint8Array): Promise<{ type: ImageType; width: number; height: number }> {
  const type = sniffImageType(bytes);
  if (!type) throw new ImageError("type");
  let width: number | undefined;
  let height: number | undefined;
  try {
    // the header only: sharp reads the size without decoding a pixel
    ({ width, height } = await sharp(bytes, { limitInputPixels: false }).metadata());
  } catch {
    throw new ImageError("unreadable");
  }
  if (!width || !height) throw new ImageError("unreadable");
  if (width * height > MAX_IMAGE_PIXELS) throw new ImageError("too_many_pixels", { megapixels: MAX_IMAGE_PIXELS / 1_000_000 });
  return { type, width, height };
}

/** An uploaded image, checked and written again (upright, no metadata, at most `maxSide` px a side), in its own type. */
export async function prepareImage(bytes: Uint8Array, options: { maxSide: number }): Promise<PreparedImage> {
  const { type } = await checkedHeader(bytes);
  try {
    const pipeline = sharp(bytes, decodeOptions)
      .rotate()
      .resize({ width: options.maxSide, height: options.maxSide, fit: "inside", withoutEnlargement: true });
    const encoded =
      type === "image/png" ? pipeline.png({ compressionLevel: 8 }) : type === "image/webp" ? pipeline.webp({ quality: 85 }) : pipeline.jpeg({ quality: 86, mozjpeg: true });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { contentType: type, bytes: new Uint8Array(data), width: info.width, height: info.height };
  } catch {
    throw new ImageError("unreadable");
  }
}

/** A small WebP of an image already prepared (prepareImage's output): at most 320 px a side. */
export async function thumbnailOf(bytes: Uint8Array): Promise<Uint8Array> {
  try {
    const data = await sharp(bytes, decodeOptions)
      .resize({ width: THUMBNAIL_SIDE, height: THUMBNAIL_SIDE, fit: "inside", withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
    return new Uint8Array(data);
  } catch {
    throw new ImageError("unreadable");
  }
}
