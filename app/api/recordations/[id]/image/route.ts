import { getRecordationImage } from "@/db/repo/recordations";
import { requireApiReader } from "@/app/session";
import { guarded, notFound } from "../../../respond";

export const dynamic = "force-dynamic";

/**
 * GET /api/recordations/{id}/image → the mark's image (PNG, JPEG or WebP, re-encoded on
 * upload). A member asking for another company's recordation gets the same 404 as for none.
 */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  return guarded(async () => {
    const reader = await requireApiReader(request, "readRecordations");
    if (reader instanceof Response) return reader;
    const { id } = await context.params;
    if (!/^\d{1,15}$/.test(id)) return notFound("No such image.");
    const image = await getRecordationImage(reader.scope, Number(id));
    if (!image) return notFound("No such image.");
    return new Response(new Uint8Array(image.bytes), {
      headers: {
        "content-type": image.contentType,
        "content-length": String(image.bytes.length),
        // private: an image of one company's recordation is not for shared caches
        "cache-control": "private, no-cache",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
        "last-modified": new Date(image.updatedAt).toUTCString(),
      },
    });
  });
}
