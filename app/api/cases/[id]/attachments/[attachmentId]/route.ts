import { serveAttachment } from "./serve";

export const dynamic = "force-dynamic";

/** GET /api/cases/{id}/attachments/{attachmentId}[?download] → the file (see ./serve.ts). */
export function GET(request: Request, context: { params: Promise<{ id: string; attachmentId: string }> }) {
  return serveAttachment(request, context.params, "file");
}
