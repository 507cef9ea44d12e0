import { revalidatePath } from "next/cache";
import { NextResponse, type NextRequest } from "next/server";
import { commitImport, planImport } from "@/db/repo/imports";
import { requireApiUser } from "@/app/session";
import { ImportFileError, MAX_IMPORT_BYTES, parseImportFile, tooLargeError } from "@/lib/import/parse";
import { crossSite, guarded, sameOrigin } from "../../respond";
import { readBounded } from "../../bounded-body";

export const dynamic = "force-dynamic";

/** Room for the multipart envelope and the option fields around the file. */
const ENVELOPE_BYTES = 64 * 1024;

const fileError = (error: ImportFileError) =>
  NextResponse.json({ error: error.code, message: error.message }, { status: error.code === "too_large" || error.code === "too_large_unpacked" ? 413 : 400 });

/** The body, refused as soon as it grows past the limit (never read whole when too large), with the size said. */
async function boundedBody(request: NextRequest): Promise<Uint8Array | ImportFileError> {
  const body = await readBounded(request, MAX_IMPORT_BYTES + ENVELOPE_BYTES);
  if (body instanceof Uint8Array) return body;
  return body.tooLarge.declared ? tooLargeError(body.tooLarge.size - ENVELOPE_BYTES) : tooLargeError(body.tooLarge.size, true);
}

const ticked = (v: FormDataEntryValue | null) => v === "on" || v === "true" || v === "1";

/**
 * POST /api/admin/import?mode=dry-run|commit (admins), multipart: `file` (CSV or XLSX, at most
 * 50 MB), and the options `update`, `skipInvalid`, `createHolders`. Answers the import report
 * as JSON; a commit writes everything or nothing (db/import.ts).
 */
export function POST(request: NextRequest) {
  return guarded(async () => {
    // a cross-site form or script must not make a signed-in admin's browser import (CSRF)
    if (!sameOrigin(request)) return crossSite();
    const user = await requireApiUser(request, "write");
    if (user instanceof Response) return user;
    const mode = request.nextUrl.searchParams.get("mode");
    if (mode !== "dry-run" && mode !== "commit") {
      return NextResponse.json({ error: "invalid_parameter", parameter: "mode", value: mode, message: "mode must be dry-run or commit." }, { status: 400 });
    }
    const body = await boundedBody(request);
    if (body instanceof ImportFileError) return fileError(body);
    let form: FormData;
    try {
      form = await new Response(body as BodyInit, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
    } catch {
      return NextResponse.json({ error: "invalid_body", message: "Send the file as multipart/form-data, in a field named file." }, { status: 400 });
    }
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) {
      return NextResponse.json({ error: "no_file", message: "Choose a CSV or XLSX file to import." }, { status: 400 });
    }
    if (file.size > MAX_IMPORT_BYTES) return fileError(tooLargeError(file.size));
    const options = { update: ticked(form.get("update")), skipInvalid: ticked(form.get("skipInvalid")), createHolders: ticked(form.get("createHolders")) };
    let parsed;
    try {
      parsed = await parseImportFile(new Uint8Array(await file.arrayBuffer()), file.name);
    } catch (error) {
      if (error instanceof ImportFileError) return fileError(error);
      throw error;
    }
    const started = performance.now();
    const report = mode === "commit" ? await commitImport(parsed, options, user.id) : await planImport(parsed, options);
    const milliseconds = Math.round(performance.now() - started);
    if (report.committed) revalidatePath("/", "layout");
    return NextResponse.json({ mode, fileName: file.name, options, milliseconds, ...report }, { headers: { "Cache-Control": "no-store" } });
  });
}
