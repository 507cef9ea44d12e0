import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { AdminNav } from "@/components/admin/AdminNav";
import { CreateOfficeForm } from "@/components/admin/OfficeForms";
import { listOfficesForAdmin, type AdminOffice } from "@/db/repo/admin";
import { provinceLabel, type Locale } from "@/lib/enums";
import { formatCount } from "@/lib/format";
import { requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.offices"))("title") };
}

export default async function AdminOfficesPage() {
  await requirePageUser("write", "/admin/offices");
  const t = await getTranslations("admin.offices");
  const locale = (await getLocale()) as Locale;
  const districts = await listOfficesForAdmin();
  const subordinates = districts.reduce((n, d) => n + d.subordinates.length, 0);
  const name = (o: AdminOffice) => (locale === "zh" ? o.nameZh : o.nameEn);
  const other = (o: AdminOffice) => (locale === "zh" ? o.nameEn : o.nameZh);
  const row = (o: AdminOffice, district: boolean) => (
    <tr key={o.id} className={district ? "ref-district" : "ref-office"} data-code={o.code}>
      <td className="nowrap">{o.code}</td>
      <th scope="row">
        <span className="ref-name">{name(o)}</span>
        <span className="ref-alt" lang={locale === "zh" ? "en" : "zh-CN"}>
          {other(o)}
        </span>
      </th>
      <td>{provinceLabel(o.province, locale)}</td>
      <td className="num">{formatCount(o.cases, locale)}</td>
      <td>
        <Link href={`/admin/offices/${o.id}`} aria-label={t("editLabel", { name: name(o), code: o.code })}>
          {t("edit")}
        </Link>
      </td>
    </tr>
  );
  return (
    <>
      <AdminNav current="offices" />
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede", { districts: districts.length, subordinates })}</p>
      <section className="panel" aria-labelledby="new-office-title">
        <h2 id="new-office-title">{t("newTitle")}</h2>
        <CreateOfficeForm districts={districts.map((d) => ({ id: d.id, label: `${d.code} ${name(d)}` }))} />
      </section>
      <section className="panel" aria-labelledby="offices-title">
        <h2 id="offices-title">{t("listTitle")}</h2>
        <div className="table-scroll">
          <table className="data-table admin-table ref-offices nested" data-testid="admin-offices-table">
            <thead>
              <tr>
                <th scope="col">{t("code")}</th>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("province")}</th>
                <th scope="col" className="num">{t("cases")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            {districts.map((d) => (
              <tbody key={d.id}>
                {row(d, true)}
                {d.subordinates.map((s) => row(s, false))}
              </tbody>
            ))}
          </table>
        </div>
      </section>
    </>
  );
}
