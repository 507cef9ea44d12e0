import { getTranslations } from "next-intl/server";

export default async function Loading() {
  const t = await getTranslations();
  return (
    <div className="loading" role="status" aria-live="polite">
      <div className="kpi-grid" aria-hidden="true">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="kpi-card skeleton" />
        ))}
      </div>
      <span className="visually-hidden">{t("loading")}</span>
    </div>
  );
}
