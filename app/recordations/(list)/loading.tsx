import { getTranslations } from "next-intl/server";

export default async function Loading() {
  const t = await getTranslations("recordations");
  return (
    <div role="status" aria-live="polite">
      <h1>{t("title")}</h1>
      <div className="table-placeholder skeleton" aria-hidden="true" />
      <span className="visually-hidden">{t("loading")}</span>
    </div>
  );
}
