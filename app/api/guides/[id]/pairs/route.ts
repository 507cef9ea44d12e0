import { NextResponse } from "next/server";
import { revalidatePath } from "next/cache";
import { GuideFieldError, GuideNotFoundError, addGuidePair, prepareGuideImage } from "@/db/repo/guides";
import { requireApiUser } from "@/app/session";
import { MAX_GUIDE_IMAGE_BYTES, pairInput } from "@/lib/guides";
import { boundedBody } from "../../../bounded-body";
import { crossSite, guarded, notFound, sameOrigin } from "../../../respond";

export const dynamic = "force-dynamic";

/** Two pictures and the pair's text: at most twice a picture's limit, and some room for the fields. */
const MAX_BODY = 2 * MAX_GUIDE_IMAGE_BYTES + 256 * 1024;

const refusal = (field: string, code: string, params: Record<string, string | number> = {}, status = 400) =>
  NextResponse.json({ error: code, field, params, message: `${field}: ${code}` }, { status });

/**
 * POST /api/guides/{id}/pairs, multipart/form-data with `genuine` and `fake` (the two pictures),
 * `feature`, `captionEn`, `captionZh` and `markers` (JSON): adds a genuine-versus-fake pair to a
 * guide (a member: its own company's guides; admins: any). Each picture goes through the
 * attachments' image pipeline (type by content, no EXIF or GPS, thumbnails). Answers 201 with
 * the pair's id; a refusal is 400/413 naming the field, and nothing is written.
 */
export function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  return guarded(async () => {
    if (!sameOrigin(request)) return crossSite();
    const user = await requireApiUser(request, "keepGuides");
    if (user instanceof Response) return user;
    const { id } = await context.params;
    if (!/^\d{1,9}$/.test(id)) return notFound("No such guide.");
    const type = request.headers.get("content-type") ?? "";
    if (!type.startsWith("multipart/form-data")) return refusal("_form", "multipart");
    const body = await boundedBody(request, MAX_BODY);
    if (!body) return refusal("_form", "image_too_large", { max: MAX_GUIDE_IMAGE_BYTES / 1024 / 1024 }, 413);
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
    } catch {
      return refusal("_form", "multipart");
    }
    const text = (name: string) => {
      const v = form.get(name);
      return typeof v === "string" ? v : undefined;
    };
    const parsed = pairInput.safeParse({ feature: text("feature"), captionEn: text("captionEn"), captionZh: text("captionZh"), markers: text("markers") });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return refusal(String(issue.path[0] ?? "_form"), /^[a-z_]+$/.test(issue.message) ? issue.message : "invalid");
    }
    const file = (name: string) => {
      const f = form.get(name);
      return f instanceof File ? f : undefined;
    };
    try {
      const genuine = await prepareGuideImage(file("genuine"), "genuine");
      const fake = await prepareGuideImage(file("fake"), "fake");
      const pairId = await addGuidePair(user, Number(id), parsed.data, genuine, fake);
      revalidatePath(`/guides/${id}`);
      return NextResponse.json({ id: pairId }, { status: 201 });
    } catch (error) {
      if (error instanceof GuideFieldError) return refusal(error.field, error.code, error.params, error.code === "image_too_large" ? 413 : 400);
      if (error instanceof GuideNotFoundError) return notFound("No such guide.");
      throw error;
    }
  });
}
