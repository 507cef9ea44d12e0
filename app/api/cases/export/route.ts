import type { NextRequest } from "next/server";
import { getLocale, getTranslations } from "next-intl/server";
import { exportRows, filterNames } from "@/db/repo/cases";
import type { Locale } from "@/lib/enums";
import { filterSummary } from "@/lib/filter-labels";
import { filtersSlug, parseCaseQuery, type Ignored } from "@/lib/filters";
import { csvStream, xlsxStream } from "@/lib/export-stream";
import { requireApiReader } from "@/app/session";
import { badParameter, guarded } from "../../respond";

export const dynamic = "force-dynamic";

/** GET /api/cases/export?format=csv|xlsx&<filters>&sort → exactly the filtered set, streamed. */
export function GET(request: NextRequest) {
  return guarded(async () => {
    const reader = await requireApiReader(request, "exportCases");
    if (reader instanceof Response) return reader;
    const params = new URLSearchParams(request.nextUrl.searchParams);
    const format = params.get("format") ?? "csv";
    params.delete("format");
    // page and size do not apply to an export: it is the whole filtered set
    params.delete("page");
    params.delete("size");
    const { query, ignored } = parseCaseQuery(params);
    if (format !== "csv" && format !== "xlsx") {
      ignored.unshift({ parameter: "format", value: format, reason: "value" } as Ignored);
    }
    if (ignored.length) return badParameter(ignored);

    const locale = (await getLocale()) as Locale;
    const t = await getTranslations("export");
    const stamp = new Date().toISOString().slice(0, 10);
    const fileName = `cases_${filtersSlug(query.filters)}_${stamp}.${format}`;
    // read in a reader process a chunk at a time, each within the time budget (db/budget)
    const cursor = await exportRows(reader.scope, query.filters, query.sort);
    const headers = new Headers({
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    });
    if (format === "csv") {
      headers.set("Content-Type", "text/csv; charset=utf-8");
      return new Response(csvStream(cursor.rows, locale, cursor.close), { headers });
    }
    const summary = filterSummary(query.filters, locale, await filterNames(reader.scope, query.filters));
    headers.set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const stream = xlsxStream(
      cursor.rows,
      locale,
      {
        title: t("filtersTitle"),
        lines: summary.length ? summary : [{ label: t("filtersTitle"), value: t("noFilters") }],
        exportedAtLabel: t("exportedAt"),
        rowsLabel: t("rows"),
        sheetName: t("casesSheet"),
        filtersSheetName: t("filtersSheet"),
      },
      cursor.close,
    );
    return new Response(stream, { headers });
  });
}
