import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { backupDatabaseToTemp, backupFileName } from "@/db/repo/backup";
import { requireApiUser } from "@/app/session";
import { guarded } from "../../respond";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * GET /api/admin/backup → a fresh online backup of the database (admins only), as a download.
 * The copy is made in a temporary file, which is unlinked as soon as it is open: it is gone
 * when the download ends, however it ends.
 */
export function GET(request: Request) {
  return guarded(async () => {
    const user = await requireApiUser(request, "write");
    if (user instanceof Response) return user;
    const result = await backupDatabaseToTemp(os.tmpdir());
    const handle = await fs.promises.open(result.file, "r");
    fs.rmSync(path.dirname(result.file), { recursive: true, force: true });
    const stream = handle.createReadStream();
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
      headers: {
        "Content-Type": "application/vnd.sqlite3",
        "Content-Length": String(result.bytes),
        "Content-Disposition": `attachment; filename="${backupFileName()}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "X-Backup-Cases": String(result.cases),
      },
    });
  });
}
