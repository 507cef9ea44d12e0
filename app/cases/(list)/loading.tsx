import { getTranslations } from "next-intl/server";

export default async function Loading() {
  const t = await getTranslations("cases");
  return (
    <div role="status" aria-live="polite">
      <h1>{t("title")}</h1>
      <div className="totals skeleton totals-placeholder" aria-hidden="true" />
      <div className="table-placeholder skeleton" aria-hidden="true" />
      <span className="visually-hidden">{t("table.loading")}</span>
    </div>
  );
}
