import { getTranslations } from "next-intl/server";

export default async function Loading() {
  const t = await getTranslations("reference.holders");
  return (
    <div role="status" aria-live="polite">
      <h1>{t("title")}</h1>
      <div className="filter-bar skeleton ref-filter-placeholder" aria-hidden="true" />
      <div className="table-placeholder skeleton" aria-hidden="true" />
      <span className="visually-hidden">{t("loading")}</span>
    </div>
  );
}
