import { getTranslations } from "next-intl/server";
import { FilterBarSkeleton } from "@/components/filters/FilterBarSkeleton";

/** The dashboard's shape while it loads: title, filter bar, key figures, charts. */
export default async function Loading() {
  const t = await getTranslations();
  return (
    <div className="loading">
      <h1>{t("dashboard.title")}</h1>
      <p className="lede">{t("dashboard.lede")}</p>
      <FilterBarSkeleton />
      <div className="kpi-grid" aria-hidden="true">
        {[0, 1, 2, 3, 4].map((i) => (
          <div key={i} className="kpi-card skeleton" />
        ))}
      </div>
      <div className="chart-grid" aria-hidden="true">
        {[0, 1, 2, 3, 4, 5].map((i) => (
          <div key={i} className={`panel chart skeleton chart-placeholder${i < 2 ? " wide" : ""}`} />
        ))}
      </div>
      <p className="visually-hidden" role="status">{t("loading")}</p>
    </div>
  );
}
