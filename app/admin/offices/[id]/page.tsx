import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { AdminNav } from "@/components/admin/AdminNav";
import { EditOfficeForm } from "@/components/admin/OfficeForms";
import { districtOptions, getOfficeForAdmin } from "@/db/repo/admin";
import type { Locale } from "@/lib/enums";
import { requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.offices"))("editTitle") };
}

export default async function AdminOfficePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePageUser("write", `/admin/offices/${id}`);
  const t = await getTranslations("admin.offices");
  const locale = (await getLocale()) as Locale;
  const office = /^\d{1,9}$/.test(id) ? await getOfficeForAdmin(Number(id)) : null;
  if (!office) notFound();
  const districts = (await districtOptions()).map((d) => ({ id: d.id, label: `${d.code} ${locale === "zh" ? d.nameZh : d.nameEn}` }));
  const district = districts.find((d) => d.id === office.districtId);
  return (
    <>
      <AdminNav current="offices" />
      <p className="ref-back">
        <Link href="/admin/offices">← {t("back")}</Link>
      </p>
      <h1>
        {locale === "zh" ? office.nameZh : office.nameEn} <span className="ref-code">{office.code}</span>
      </h1>
      <p className="lede">
        {office.districtId === null ? t("districtFacts", { cases: office.cases }) : t("officeFacts", { district: district?.label ?? "", cases: office.cases })}
      </p>
      <section className="panel admin-narrow" aria-labelledby="edit-office-title">
        <h2 id="edit-office-title">{t("editTitle")}</h2>
        <EditOfficeForm office={office} districts={districts} />
      </section>
    </>
  );
}
