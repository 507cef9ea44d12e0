import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { EditGuideForm } from "@/components/guides/GuideForm";
import { customsDistricts, getGuide, guideHolderChoices } from "@/db/repo/guides";
import { goodsCategories, guideSharings, type Locale } from "@/lib/enums";
import { requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("guides"))("editTitle") };
}

/** A guide's edit form: a member for its own company's guides (another's is a 404), admins for any. */
export default async function EditGuidePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser("keepGuides", `/guides/${id}/edit`);
  const g = /^\d{1,9}$/.test(id) ? await getGuide(user, Number(id)) : null;
  if (!g) notFound();
  const t = await getTranslations("guides");
  const locale = (await getLocale()) as Locale;
  const [holders, districts] = await Promise.all([guideHolderChoices(user), customsDistricts()]);
  const member = user.role === "member";
  return (
    <>
      <p className="ref-back">
        <Link href={`/guides/${g.id}`}>{t("backToGuide")}</Link>
      </p>
      <h1>{t("editTitle")}</h1>
      <section className="panel">
        <EditGuideForm
          id={g.id}
          version={g.version}
          g={{
            holderId: g.holderId, brand: g.brand, productLine: g.productLine ?? "", titleEn: g.titleEn, titleZh: g.titleZh, summaryEn: g.summaryEn,
            summaryZh: g.summaryZh, fakesEn: g.fakesEn ?? "", fakesZh: g.fakesZh ?? "", routesEn: g.routesEn ?? "", routesZh: g.routesZh ?? "",
            contact: g.contact, sharing: g.sharing, districts: g.districts.map((d) => d.code), categories: g.categories,
            recordations: g.recordations.map((r) => r.number).join(", "),
          }}
          holders={member ? null : holders.map((h) => ({ value: String(h.id), label: h.name }))}
          districts={districts.map((d) => ({ value: d.code, label: locale === "zh" ? d.nameZh : `${d.nameEn} (${d.code})` }))}
          categories={goodsCategories.values.map((c) => ({ value: c, label: goodsCategories.label(c, locale) }))}
          sharings={guideSharings.values.map((s) => ({ value: s, label: guideSharings.label(s, locale) }))}
        />
      </section>
    </>
  );
}
