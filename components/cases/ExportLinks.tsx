import { getLocale, getTranslations } from "next-intl/server";
import type { Locale } from "@/lib/enums";
import { serializeFilters, type CaseQuery } from "@/lib/filters";
import { formatCount } from "@/lib/format";

/** Plain download links: the export route reads the same filters from its URL. */
export async function ExportLinks({ query, total }: { query: CaseQuery; total: number }) {
  const t = await getTranslations("cases.export");
  const locale = (await getLocale()) as Locale;
  const params = serializeFilters(query.filters);
  params.set("sort", `${query.sort.key}.${query.sort.dir}`);
  const href = (format: string) => `/api/cases/export?${new URLSearchParams([["format", format], ...params])}`;
  return (
    <div className="export-links" role="group" aria-label={t("label")}>
      <a href={href("csv")} download data-testid="export-csv">
        {t("csv")}
      </a>
      <a href={href("xlsx")} download data-testid="export-xlsx">
        {t("xlsx")}
      </a>
      <span className="muted">{t("hint", { count: formatCount(total, locale) })}</span>
    </div>
  );
}
