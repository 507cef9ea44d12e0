import { NextResponse } from "next/server";
import { getCase } from "@/db/repo/cases";
import { requireApiReader } from "@/app/session";
import { guarded, notFound } from "../../respond";

export const dynamic = "force-dynamic";

/**
 * GET /api/cases/{id} → the case with every field, its right holders and its history. A
 * member gets its own company only among the right holders, redacted free text, and of the
 * history only when and what kind of change (no values, no staff accounts).
 */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  return guarded(async () => {
    const reader = await requireApiReader(request, "readCases");
    if (reader instanceof Response) return reader;
    const { id } = await context.params;
    if (!/^\d{1,15}$/.test(id)) return notFound();
    // a member asking for another company's case learns nothing: the same 404 as for none
    const found = await getCase(reader.scope, Number(id));
    return found ? NextResponse.json(found) : notFound();
  });
}
