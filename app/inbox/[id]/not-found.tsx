import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function NoticeNotFound() {
  const t = await getTranslations("inbox");
  return (
    <>
      <h1>{t("notFound")}</h1>
      <p>{t("notFoundText")}</p>
      <p>
        <Link href="/inbox">{t("back")}</Link>
      </p>
    </>
  );
}
