import { NextResponse, type NextRequest } from "next/server";
import { budgetedRead } from "@/db/budget";
import { parseFilters } from "@/lib/filters";
import { requireApiUser } from "@/app/session";
import { badParameter, guarded } from "../respond";

export const dynamic = "force-dynamic";

/**
 * GET /api/stats?<filters> → every figure of the dashboard for those filters:
 * { filters, kpis, previous, byYear, byDistrict, byOffice, byType, byCategory, byDirection,
 *   byChannel, byTransport, byMode, byStatus, byDisposal, byIndustry }. Money is in fen.
 */
export function GET(request: NextRequest) {
  return guarded(async () => {
    // aggregates over all cases: every role may read them
    const user = await requireApiUser(request, "readAggregates");
    if (user instanceof Response) return user;
    const { filters, ignored } = parseFilters(request.nextUrl.searchParams);
    if (ignored.length) return badParameter(ignored);
    return NextResponse.json({ filters, ...(await budgetedRead("dashboardStats", filters)) });
  });
}
