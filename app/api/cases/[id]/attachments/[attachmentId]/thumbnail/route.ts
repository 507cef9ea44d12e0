import { serveAttachment } from "../serve";

export const dynamic = "force-dynamic";

/** GET /api/cases/{id}/attachments/{attachmentId}/thumbnail → a 320 px WebP of an image (a PDF has none: 404). */
export function GET(request: Request, context: { params: Promise<{ id: string; attachmentId: string }> }) {
  return serveAttachment(request, context.params, "thumbnail");
}
