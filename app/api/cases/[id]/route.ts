import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { getCase } from "@/db/queries/cases";
import { guarded, notFound } from "../../respond";

export const dynamic = "force-dynamic";

/** GET /api/cases/{id} → the case with every field, its right holders and its history. */
export async function GET(_request: Request, context: { params: Promise<{ id: string }> }) {
  return guarded(async () => {
    const { id } = await context.params;
    if (!/^\d{1,15}$/.test(id)) return notFound();
    const found = getCase(getDb(), Number(id));
    return found ? NextResponse.json(found) : notFound();
  });
}
