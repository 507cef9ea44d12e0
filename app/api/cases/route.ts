import { NextResponse, type NextRequest } from "next/server";
import { listCases } from "@/db/repo/cases";
import { parseCaseQuery } from "@/lib/filters";
import { requireApiReader } from "@/app/session";
import { badParameter, guarded } from "../respond";

export const dynamic = "force-dynamic";

/** GET /api/cases?<filters>&page&size&sort → { total, page, size, rows } */
export function GET(request: NextRequest) {
  return guarded(async () => {
    const reader = await requireApiReader(request, "readCases");
    if (reader instanceof Response) return reader;
    const { query, ignored } = parseCaseQuery(request.nextUrl.searchParams);
    if (ignored.length) return badParameter(ignored);
    return NextResponse.json(await listCases(reader.scope, query));
  });
}
