import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function RightHolderNotFound() {
  const t = await getTranslations("reference.holder");
  const n = await getTranslations("notFound");
  return (
    <section className="error-page">
      <h1>{n("title")}</h1>
      <p>{t("notFound")}</p>
      <Link href="/right-holders">{t("back")}</Link>
    </section>
  );
}
