import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function Forbidden() {
  const t = await getTranslations("auth.forbidden");
  return (
    <div className="error-page">
      <h1>{t("title")}</h1>
      <p>{t("text")}</p>
      <Link href="/">{t("home")}</Link>
    </div>
  );
}
