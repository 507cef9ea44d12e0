import { NextResponse, type NextRequest } from "next/server";
import { marketView } from "@/db/repo/market";
import { parseMarketPeriod } from "@/lib/market-period";
import { requireApiReader } from "@/app/session";
import { guarded } from "../respond";

export const dynamic = "force-dynamic";

/**
 * GET /api/market?from=&to= → the market section's published tables about all cases, for the
 * whole years the period touches: { period, threshold, availableYears, years, whole, byYear,
 * total, tables: [{ name, rows: [{ key, en, zh, cells, total }], columnTotals, total }] }.
 * A suppressed cell or total is null. Money is in fen. Only the period filters these tables:
 * any other parameter is a 400. For a member, cells where fewer than the threshold of cases
 * do not name its company are suppressed as well (otherwise it could subtract its own).
 */
export function GET(request: NextRequest) {
  return guarded(async () => {
    // Cache-Control: private, no-store comes with every /api/ answer (proxy.ts)
    const reader = await requireApiReader(request, "readAggregates");
    if (reader instanceof Response) return reader;
    const { fromYear, toYear, problems } = parseMarketPeriod(request.nextUrl.searchParams);
    if (problems.length) {
      const first = problems[0]!;
      return NextResponse.json(
        { error: "invalid_parameter", parameter: first.parameter, value: first.value, message: first.message, problems },
        { status: 400 },
      );
    }
    // the member's company (from its scope) counts for the dominance rule
    const view = await marketView(reader.scope, { fromYear, toYear });
    return NextResponse.json({ period: { fromYear, toYear }, ...view });
  });
}
