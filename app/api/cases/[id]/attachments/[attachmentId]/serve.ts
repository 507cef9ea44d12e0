import "server-only";
import { readAttachment } from "@/db/repo/attachments";
import { requireApiReader } from "@/app/session";
import { contentDisposition } from "@/lib/file-types";
import { guarded, notFound } from "../../../../respond";

/**
 * One stored file (or its thumbnail) with the case's access checks: a file the reader may not
 * see is the same 404 as none. Every answer says nosniff, a sandbox policy (a document opened
 * from here runs nothing) and private caching; a PDF is only ever a download, an image is shown
 * inline unless ?download asks for it as a file. The name is the safe one kept on upload.
 */
export function serveAttachment(request: Request, params: Promise<{ id: string; attachmentId: string }>, part: "file" | "thumbnail") {
  return guarded(async () => {
    const reader = await requireApiReader(request, "readCases");
    if (reader instanceof Response) return reader;
    const { id, attachmentId } = await params;
    if (!/^\d{1,15}$/.test(id) || !/^\d{1,15}$/.test(attachmentId)) return notFound("No such file.");
    const file = await readAttachment(reader.scope, Number(id), Number(attachmentId), part);
    if (!file) return notFound("No such file.");
    const download = file.contentType === "application/pdf" || (part === "file" && new URL(request.url).searchParams.has("download"));
    const name = part === "thumbnail" ? file.fileName.replace(/\.[a-z]+$/, "") + ".thumbnail.webp" : file.fileName;
    return new Response(new Uint8Array(file.data), {
      headers: {
        "content-type": file.contentType,
        "content-length": String(file.data.byteLength),
        "content-disposition": contentDisposition(download ? "attachment" : "inline", name),
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
        "cache-control": "private, no-cache",
        "last-modified": new Date(file.updatedAt).toUTCString(),
      },
    });
  });
}
