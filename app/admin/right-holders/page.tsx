import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { AdminNav } from "@/components/admin/AdminNav";
import { CreateHolderForm, MergeForm } from "@/components/admin/HolderForms";
import { countryName } from "@/components/reference/names";
import { listHoldersForAdmin } from "@/db/repo/admin";
import { industries, type Locale } from "@/lib/enums";
import { formatCount } from "@/lib/format";
import { pathWithQuery, requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.holders"))("title") };
}

export default async function AdminHoldersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  await requirePageUser("write", pathWithQuery("/admin/right-holders", raw));
  const t = await getTranslations("admin.holders");
  const locale = (await getLocale()) as Locale;
  const q = (Array.isArray(raw.q) ? raw.q[0] : raw.q)?.slice(0, 200) ?? "";
  const all = await listHoldersForAdmin();
  const shown = q.trim() ? await listHoldersForAdmin(q) : all;
  const industryOptions = industries.values.map((value) => ({ value, label: industries.label(value, locale) }));
  const yesNo = (v: boolean) => (v ? t("yes") : t("no"));
  return (
    <>
      <AdminNav current="holders" />
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede")}</p>

      <section className="panel" aria-labelledby="holders-list-title">
        <h2 id="holders-list-title">{t("listTitle")}</h2>
        <form method="get" action="/admin/right-holders" className="ref-search" role="search">
          <label htmlFor="admin-holder-q" className="visually-hidden">
            {t("searchLabel")}
          </label>
          <input id="admin-holder-q" type="search" name="q" defaultValue={q} placeholder={t("searchPlaceholder")} />
          <button type="submit">{t("search")}</button>
          {q && <Link href="/admin/right-holders">{t("clear")}</Link>}
          <p className="ref-count" role="status" data-testid="admin-holder-count">
            {t("shown", { shown: shown.length, total: all.length })}
          </p>
        </form>
        <div className="table-scroll admin-scroll">
          <table className="data-table admin-table" data-testid="admin-holders-table">
            <thead>
              <tr>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("country")}</th>
                <th scope="col">{t("industry")}</th>
                <th scope="col">{t("foreignInvested")}</th>
                <th scope="col">{t("qbpcMember")}</th>
                <th scope="col" className="num">{t("cases")}</th>
                <th scope="col" className="num">{t("members")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((h) => (
                <tr key={h.id} data-holder={h.id}>
                  <th scope="row">
                    {h.name}
                    {h.nameZh && (
                      <span className="ref-alt" lang="zh-CN">
                        {h.nameZh}
                      </span>
                    )}
                  </th>
                  <td>{countryName(h.country, locale)}</td>
                  <td>{industries.label(h.industry, locale)}</td>
                  <td>{yesNo(h.foreignInvested)}</td>
                  <td>{yesNo(h.qbpcMember)}</td>
                  <td className="num">{h.cases > 0 ? <Link href={`/cases?holder=${h.id}`}>{formatCount(h.cases, locale)}</Link> : "0"}</td>
                  <td className="num">{formatCount(h.members, locale)}</td>
                  <td>
                    <Link href={`/admin/right-holders/${h.id}`} aria-label={t("editLabel", { name: h.name })}>
                      {t("edit")}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <div className="admin-columns">
        <section className="panel" aria-labelledby="new-holder-title">
          <h2 id="new-holder-title">{t("newTitle")}</h2>
          <CreateHolderForm industries={industryOptions} />
        </section>
        <section className="panel" aria-labelledby="merge-title">
          <h2 id="merge-title">{t("merge.title")}</h2>
          <p className="muted">{t("merge.text")}</p>
          <MergeForm holders={all.map((h) => ({ id: h.id, name: h.name, nameZh: h.nameZh, cases: h.cases, members: h.members }))} />
        </section>
      </div>
    </>
  );
}
