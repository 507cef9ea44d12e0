import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ImportForm } from "@/components/import/ImportForm";
import { MAX_IMPORT_BYTES } from "@/lib/import/parse";
import { requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("import"))("title") };
}

const TEMPLATES = [
  ["csv", "en", "templateCsvEn"],
  ["csv", "zh", "templateCsvZh"],
  ["xlsx", "en", "templateXlsxEn"],
  ["xlsx", "zh", "templateXlsxZh"],
] as const;

export default async function ImportPage() {
  await requirePageUser("write", "/admin/import");
  const t = await getTranslations("import");
  return (
    <div className="import-page">
      <p className="import-back">
        <Link href="/admin">{t("back")}</Link>
      </p>
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede")}</p>
      <section className="panel" aria-labelledby="import-template-title">
        <h2 id="import-template-title">{t("templateTitle")}</h2>
        <p className="admin-hint">{t("templateText")}</p>
        <ul className="import-templates">
          {TEMPLATES.map(([format, locale, label]) => (
            <li key={`${format}-${locale}`}>
              <a href={`/api/admin/import/template?format=${format}&locale=${locale}`} download data-testid={`template-${format}-${locale}`}>
                {t(label)}
              </a>
            </li>
          ))}
        </ul>
      </section>
      <ImportForm maxBytes={MAX_IMPORT_BYTES} />
    </div>
  );
}
