import { NextResponse, type NextRequest } from "next/server";
import { revalidatePath } from "next/cache";
import {
  AttachmentFileError, AttachmentLimitError, AttachmentNotFoundError, addAttachment, listAttachments, prepareAttachment,
} from "@/db/repo/attachments";
import { requireApiReader, requireApiUser } from "@/app/session";
import { caption as captionSchema, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_OWNER } from "@/lib/attachments";
import { attachmentKinds } from "@/lib/enums";
import { MAX_IMAGE_PIXELS } from "@/lib/images";
import { boundedBody } from "../../../bounded-body";
import { crossSite, guarded, notFound, sameOrigin } from "../../../respond";

export const dynamic = "force-dynamic";

const caseIdOf = (id: string) => (/^\d{1,15}$/.test(id) ? Number(id) : null);

/**
 * GET /api/cases/{id}/attachments → the files of a case the reader may see (a member: its own
 * company's and those customs shared), without their bytes. Another company's case is a 404.
 */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  return guarded(async () => {
    const reader = await requireApiReader(request, "readCases");
    if (reader instanceof Response) return reader;
    const caseId = caseIdOf((await context.params).id);
    const rows = caseId === null ? null : await listAttachments(reader.scope, caseId);
    if (!rows) return notFound();
    return NextResponse.json({ attachments: rows });
  });
}

const MESSAGES: Record<AttachmentFileError["code"], string> = {
  too_large: `The file is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.`,
  type: "The file must be a JPEG, PNG or WebP image or a PDF document (read from its content, not its name).",
  too_many_pixels: `The image has more than ${MAX_IMAGE_PIXELS / 1_000_000} million pixels.`,
  unreadable: "The file could not be read; it may be damaged or cut short.",
  too_many: `This case already holds ${MAX_ATTACHMENTS_PER_OWNER} files of yours.`,
  empty: "The file is empty.",
  caption_too_long: "The caption is too long.",
  kind: "Choose what the file is.",
};

const refusal = (code: AttachmentFileError["code"], status = 400) => NextResponse.json({ error: code, message: MESSAGES[code] }, { status });

/**
 * POST /api/cases/{id}/attachments?name=…&kind=…&caption=… with the file itself as the body
 * (admins: any case; a member: its own company's cases). One file a request, at most 20 MB;
 * its type is read from its content. Answers 201 with the stored file's row; a refusal is
 * 400/413/409 with a code and a sentence, and nothing is written.
 */
export function POST(request: NextRequest, context: { params: Promise<{ id: string }> }) {
  return guarded(async () => {
    // a cross-site form must not make a signed-in browser upload (CSRF)
    if (!sameOrigin(request)) return crossSite();
    const user = await requireApiUser(request, "addAttachments");
    if (user instanceof Response) return user;
    const caseId = caseIdOf((await context.params).id);
    if (caseId === null) return notFound();
    const params = request.nextUrl.searchParams;
    const kind = params.get("kind") ?? "other";
    if (!attachmentKinds.is(kind)) return refusal("kind");
    const caption = captionSchema.safeParse(params.get("caption") ?? "");
    if (!caption.success) return refusal("caption_too_long");
    const body = await boundedBody(request, MAX_ATTACHMENT_BYTES);
    if (!body) return refusal("too_large", 413);
    try {
      const file = await prepareAttachment(body, params.get("name") ?? "", kind, caption.data);
      const id = await addAttachment(user, caseId, file);
      revalidatePath(`/cases/${caseId}`);
      return NextResponse.json({ id, fileName: file.fileName, contentType: file.contentType, bytes: file.data.byteLength }, { status: 201 });
    } catch (error) {
      if (error instanceof AttachmentFileError) return refusal(error.code, error.code === "too_large" ? 413 : 400);
      if (error instanceof AttachmentLimitError) return refusal("too_many", 409);
      if (error instanceof AttachmentNotFoundError) return notFound();
      throw error;
    }
  });
}
