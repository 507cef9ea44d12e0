import type { NextRequest } from "next/server";
import { getLocale } from "next-intl/server";
import { filterNames } from "@/db/repo/cases";
import { dashboardStats, isDemoDatabase } from "@/db/repo/dashboard";
import { isLocale, type Locale } from "@/lib/enums";
import { filtersSlug, parseComparison, parseFilters, type Ignored } from "@/lib/filters";
import { reportModel } from "@/components/reports/draw/model";
import { reportPdf } from "@/components/reports/draw/pdf";
import { reportXlsx } from "@/components/reports/draw/xlsx";
import { requireApiReader } from "@/app/session";
import { badParameter, guarded } from "../respond";

export const dynamic = "force-dynamic";

/**
 * GET /api/report?format=pdf|xlsx&lang=en|zh&<the dashboard's filters> → the dashboard of that
 * view as a report: a PDF (A4, the key figures, every chart drawn as vector graphics with its
 * figures as a table) or a workbook of the charts' figures. The figures are the dashboard's
 * own (dashboardStats over the reader's scope, within the read budget: a 503 when it runs
 * out); a member's report counts its own company's cases only. `lang` defaults to the UI's
 * language (the locale cookie).
 */
export function GET(request: NextRequest) {
  return guarded(async () => {
    const reader = await requireApiReader(request, "readAggregates");
    if (reader instanceof Response) return reader;
    const params = new URLSearchParams(request.nextUrl.searchParams);
    const format = params.get("format") ?? "pdf";
    const lang = params.get("lang");
    params.delete("format");
    params.delete("lang");
    const { filters, ignored } = parseFilters(params);
    // the chosen comparison of the dashboard's view (cmp, cmpFrom, cmpTo): the cards' changes
    const { comparison, ignored: badComparison } = parseComparison(params);
    ignored.push(...badComparison);
    if (format !== "pdf" && format !== "xlsx") ignored.unshift({ parameter: "format", value: format, reason: "value" } as Ignored);
    if (lang !== null && !isLocale(lang)) ignored.unshift({ parameter: "lang", value: lang, reason: "value" } as Ignored);
    if (ignored.length) return badParameter(ignored);

    const locale: Locale = lang !== null && isLocale(lang) ? lang : ((await getLocale()) as Locale);
    const now = new Date();
    const [stats, names, demo] = await Promise.all([dashboardStats(reader.scope, filters, comparison), filterNames(reader.scope, filters), isDemoDatabase()]);
    const model = reportModel({ stats, filters, names, locale, now, demo, member: Boolean(reader.scope.restrictToHolders) });
    const body = format === "pdf" ? await reportPdf(model) : await reportXlsx(model);
    const fileName = `report_${filtersSlug(filters)}_${now.toISOString().slice(0, 10)}_${locale}.${format}`;
    return new Response(new Uint8Array(body), {
      headers: {
        "Content-Type": format === "pdf" ? "application/pdf" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Content-Length": String(body.length),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
}
