import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function RecordationNotFound() {
  const t = await getTranslations("recordations");
  return (
    <>
      <h1>{t("notFound")}</h1>
      <p>{t("notFoundText")}</p>
      <p>
        <Link href="/recordations">{t("back")}</Link>
      </p>
    </>
  );
}
