import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function DistrictNotFound() {
  const t = await getTranslations("reference.district");
  const n = await getTranslations("notFound");
  return (
    <section className="error-page">
      <h1>{n("title")}</h1>
      <p>{t("notFound")}</p>
      <Link href="/districts">{t("back")}</Link>
    </section>
  );
}
