import { getTranslations } from "next-intl/server";

export default async function Loading() {
  const t = await getTranslations();
  return (
    <div className="loading" role="status" aria-live="polite">
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
      <span className="visually-hidden">{t("loading")}</span>
    </div>
  );
}
