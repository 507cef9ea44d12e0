import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function CaseNotFound() {
  const t = await getTranslations("case");
  const n = await getTranslations("notFound");
  return (
    <section className="error-page">
      <h1>{n("title")}</h1>
      <p>{t("notFound")}</p>
      <Link href="/cases">{t("back")}</Link>
    </section>
  );
}
