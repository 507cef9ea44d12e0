import { NextResponse, type NextRequest } from "next/server";
import { dashboardStats } from "@/db/repo/dashboard";
import { parseComparison, parseFilters } from "@/lib/filters";
import { requireApiReader } from "@/app/session";
import { badParameter, guarded } from "../respond";

export const dynamic = "force-dynamic";

/**
 * GET /api/stats?<filters>[&cmp=prev|yoy|custom&cmpFrom=&cmpTo=] → every figure of the
 * dashboard for those filters:
 * { filters, kpis, previous, comparison, byYear, byDistrict, byOffice, byType, byCategory,
 *   byDirection, byChannel, byTransport, byMode, byStatus, byDisposal, byIndustry }. Money is in fen.
 * `comparison` is the chosen comparison (default prev): { kind, current: { from, to, partial },
 * period: { from, to, partial, kpis, differences, byYear } | null }.
 * A member's figures (both periods) are over its own company's cases and links only.
 */
export function GET(request: NextRequest) {
  return guarded(async () => {
    const reader = await requireApiReader(request, "readAggregates");
    if (reader instanceof Response) return reader;
    const { filters, ignored } = parseFilters(request.nextUrl.searchParams);
    const { comparison, ignored: comparisonIgnored } = parseComparison(request.nextUrl.searchParams);
    if (ignored.length || comparisonIgnored.length) return badParameter([...ignored, ...comparisonIgnored]);
    return NextResponse.json({ filters, ...(await dashboardStats(reader.scope, filters, comparison)) });
  });
}
