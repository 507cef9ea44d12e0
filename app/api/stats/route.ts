import { NextResponse, type NextRequest } from "next/server";
import { dashboardStats } from "@/db/repo/dashboard";
import { parseFilters } from "@/lib/filters";
import { requireApiReader } from "@/app/session";
import { badParameter, guarded } from "../respond";

export const dynamic = "force-dynamic";

/**
 * GET /api/stats?<filters> → every figure of the dashboard for those filters:
 * { filters, kpis, previous, byYear, byDistrict, byOffice, byType, byCategory, byDirection,
 *   byChannel, byTransport, byMode, byStatus, byDisposal, byIndustry }. Money is in fen.
 * A member's figures are over its own company's cases and links only.
 */
export function GET(request: NextRequest) {
  return guarded(async () => {
    const reader = await requireApiReader(request, "readAggregates");
    if (reader instanceof Response) return reader;
    const { filters, ignored } = parseFilters(request.nextUrl.searchParams);
    if (ignored.length) return badParameter(ignored);
    return NextResponse.json({ filters, ...(await dashboardStats(reader.scope, filters)) });
  });
}
