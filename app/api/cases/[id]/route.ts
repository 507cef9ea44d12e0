import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { getCase } from "@/db/queries/cases";
import { requireApiUser } from "@/app/session";
import { caseScope } from "@/lib/roles";
import { guarded, notFound } from "../../respond";

export const dynamic = "force-dynamic";

/** GET /api/cases/{id} → the case with every field, its right holders and its history. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  return guarded(async () => {
    const user = await requireApiUser(request, "readCases");
    if (user instanceof Response) return user;
    const { id } = await context.params;
    if (!/^\d{1,15}$/.test(id)) return notFound();
    // a member asking for another company's case learns nothing: the same 404 as for none
    const found = getCase(getDb(), Number(id), caseScope(user));
    return found ? NextResponse.json(found) : notFound();
  });
}
