import { getTranslations } from "next-intl/server";
import { FilterBarSkeleton } from "@/components/filters/FilterBarSkeleton";

/** The case table's shape while it loads: title, filter bar, totals, table. */
export default async function Loading() {
  const t = await getTranslations("cases");
  return (
    <div className="loading">
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede")}</p>
      <FilterBarSkeleton />
      <div className="results-head" aria-hidden="true">
        <div className="totals skeleton totals-placeholder" />
      </div>
      <div className="table-placeholder skeleton" aria-hidden="true" />
      <p className="visually-hidden" role="status">{t("table.loading")}</p>
    </div>
  );
}
