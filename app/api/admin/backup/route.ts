import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { NextResponse } from "next/server";
import { backupDatabaseToTemp, backupUnavailable } from "@/db/repo/backup";
import { requireApiUser } from "@/app/session";
import { guarded } from "../../respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * GET /api/admin/backup → a fresh backup of the database (admins only), as a download: on
 * SQLite an online backup (`ipr-backup-YYYY-MM-DD.db`), on PostgreSQL a `pg_dump -Fc`
 * (`ipr-backup-YYYY-MM-DD.dump`; where pg_dump is not installed, 503 with the command to run).
 * The copy is made in a temporary file, which is unlinked as soon as it is open: it is gone
 * when the download ends, however it ends.
 */
export function GET(request: Request) {
  return guarded(async () => {
    const user = await requireApiUser(request, "write");
    if (user instanceof Response) return user;
    const unavailable = backupUnavailable();
    if (unavailable) {
      return NextResponse.json({ error: "backup_unavailable", message: unavailable }, { status: 503, headers: { "Cache-Control": "no-store" } });
    }
    const result = await backupDatabaseToTemp(os.tmpdir());
    const handle = await fs.promises.open(result.file, "r");
    fs.rmSync(path.dirname(result.file), { recursive: true, force: true });
    const stream = handle.createReadStream();
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
      headers: {
        "Content-Type": result.contentType,
        "Content-Length": String(result.bytes),
        "Content-Disposition": `attachment; filename="${result.fileName}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "X-Backup-Cases": String(result.cases),
      },
    });
  });
}
