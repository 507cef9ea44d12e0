import { readGuideImage } from "@/db/repo/guides";
import { requireApiUser } from "@/app/session";
import { contentDisposition, extensionOf, type FileType } from "@/lib/file-types";
import { guarded, notFound } from "../../../../../respond";

export const dynamic = "force-dynamic";

/**
 * GET /api/guides/{id}/pairs/{pairId}/{genuine|fake}[?thumbnail] → one picture of a pair, with
 * the guide's access checks (a guide the reader may not see is the same 404 as none), nosniff,
 * a sandbox policy and private caching, as the case attachments are served.
 */
export function GET(request: Request, context: { params: Promise<{ id: string; pairId: string; side: string }> }) {
  return guarded(async () => {
    const user = await requireApiUser(request, "readGuides", true);
    if (user instanceof Response) return user;
    const { id, pairId, side } = await context.params;
    if (!/^\d{1,9}$/.test(id) || !/^\d{1,9}$/.test(pairId) || (side !== "genuine" && side !== "fake")) return notFound("No such picture.");
    const thumbnail = new URL(request.url).searchParams.has("thumbnail");
    const image = await readGuideImage(user, Number(id), Number(pairId), side, thumbnail ? "thumbnail" : "file");
    if (!image) return notFound("No such picture.");
    const name = `guide-${id}-pair-${pairId}-${side}${thumbnail ? ".thumbnail" : ""}.${extensionOf(image.contentType as FileType)}`;
    return new Response(new Uint8Array(image.data), {
      headers: {
        "content-type": image.contentType,
        "content-length": String(image.data.byteLength),
        "content-disposition": contentDisposition("inline", name),
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
        "cache-control": "private, no-cache",
        "last-modified": new Date(image.at).toUTCString(),
      },
    });
  });
}
