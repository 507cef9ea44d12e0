import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { CreateGuideForm } from "@/components/guides/GuideForm";
import { customsDistricts, guideHolderChoices } from "@/db/repo/guides";
import { goodsCategories, guideSharings, type Locale } from "@/lib/enums";
import { requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("guides"))("createTitle") };
}

export default async function NewGuidePage() {
  const user = await requirePageUser("keepGuides", "/guides/new");
  const t = await getTranslations("guides");
  const locale = (await getLocale()) as Locale;
  const [holders, districts] = await Promise.all([guideHolderChoices(user), customsDistricts()]);
  const member = user.role === "member";
  return (
    <>
      <p className="ref-back">
        <Link href="/guides">{t("back")}</Link>
      </p>
      <h1>{t("createTitle")}</h1>
      <p className="lede">{member ? t("createLedeMember", { holder: holders[0]?.name ?? "—" }) : t("createLede")}</p>
      <section className="panel">
        <CreateGuideForm
          holders={member ? null : holders.map((h) => ({ value: String(h.id), label: h.name }))}
          districts={districts.map((d) => ({ value: d.code, label: locale === "zh" ? d.nameZh : `${d.nameEn} (${d.code})` }))}
          categories={goodsCategories.values.map((c) => ({ value: c, label: goodsCategories.label(c, locale) }))}
          sharings={guideSharings.values.map((s) => ({ value: s, label: guideSharings.label(s, locale) }))}
        />
      </section>
    </>
  );
}
