import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { RestoreCaseButton } from "@/components/forms/RestoreCaseButton";
import { userLabels } from "@/db/repo/accounts";
import { caseNumberOf, listDeletedCases } from "@/db/repo/cases";
import type { Locale } from "@/lib/enums";
import { formatCount, formatDate } from "@/lib/format";
import { pathWithQuery, requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("forms.deleted");
  return { title: t("title") };
}

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

export default async function DeletedCasesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  await requirePageUser("write", pathWithQuery("/admin/deleted", raw));
  const t = await getTranslations("forms.deleted");
  const locale = (await getLocale()) as Locale;
  const requested = Number(one(raw.page) ?? "1");
  let page = Number.isSafeInteger(requested) && requested >= 1 ? requested : 1;
  let list = await listDeletedCases(page, PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
  if (page > pages) list = await listDeletedCases((page = pages), PAGE_SIZE);
  const who = await userLabels(list.rows.map((r) => r.deletedBy));
  const restoredId = /^\d{1,15}$/.test(one(raw.restored) ?? "") ? Number(raw.restored) : null;
  const restoredNo = restoredId === null ? null : await caseNumberOf(restoredId, "live");
  const name = (n: { nameEn: string; nameZh: string }) => (locale === "zh" ? n.nameZh : n.nameEn);
  const dateTime = (ms: number) =>
    new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(new Date(ms));

  return (
    <div className="deleted-cases">
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede")}</p>
      {restoredNo && (
        <p className="form-ok notice-line" role="status" data-testid="restored-notice">
          {t.rich("restored", { caseNo: restoredNo, link: (chunks) => <Link href={`/cases/${restoredId}`}>{chunks}</Link> })}
        </p>
      )}
      {list.total === 0 ? (
        <p className="empty-state">{t("empty")}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="deleted-table">
            <caption data-testid="deleted-count">{t("caption", { count: list.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("caseNo")}</th>
                <th scope="col">{t("seizedOn")}</th>
                <th scope="col">{t("office")}</th>
                <th scope="col">{t("deletedAt")}</th>
                <th scope="col">{t("deletedBy")}</th>
                <th scope="col">{t("action")}</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((r) => (
                <tr key={r.id} data-case-no={r.caseNo}>
                  <th scope="row" className="case-link">{r.caseNo}</th>
                  <td>{formatDate(r.seizedOn, locale)}</td>
                  <td>
                    {`${name(r.office)} (${r.office.code})`}
                    {r.district.code !== r.office.code && <span className="ref-alt">{`${name(r.district)} (${r.district.code})`}</span>}
                  </td>
                  <td>{dateTime(r.deletedAt)}</td>
                  <td>{r.deletedBy ? (who.get(r.deletedBy) ?? r.deletedBy) : t("unknownUser")}</td>
                  <td>
                    <RestoreCaseButton caseId={r.id} caseNo={r.caseNo} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav className="pager" aria-label={t("pages")}>
          <span className="pager-rows">{t("page", { page: formatCount(page, locale), pages: formatCount(pages, locale) })}</span>
          {page > 1 && <Link href={`/admin/deleted?page=${page - 1}`}>{t("previous")}</Link>}
          {page < pages && <Link href={`/admin/deleted?page=${page + 1}`}>{t("next")}</Link>}
        </nav>
      )}
    </div>
  );
}
