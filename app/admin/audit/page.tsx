import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { AdminNav } from "@/components/admin/AdminNav";
import { AuditChanges, AuditRecord } from "@/components/admin/AuditEntry";
import { shanghaiDateTime } from "@/components/admin/format";
import { IgnoredNotice } from "@/components/ui/IgnoredNotice";
import { auditFilterOptions, auditNames, listAuditEntries } from "@/db/repo/audit";
import { auditActions, type AuditAction, type Locale } from "@/lib/enums";
import { formatCount } from "@/lib/format";
import { pathWithQuery, requirePageUser } from "@/app/session";
import { auditHref, parseAuditParams } from "./filters";
import { DateInput } from "@/components/ui/DateInput";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.audit"))("title") };
}

/** Page numbers to offer: the first, the last, and two either side of the current one. */
function pageWindow(page: number, pageCount: number): (number | null)[] {
  const wanted = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pageCount])].filter((p) => p >= 1 && p <= pageCount).sort((a, b) => a - b);
  const out: (number | null)[] = [];
  wanted.forEach((p, i) => {
    if (i > 0 && p - wanted[i - 1]! > 1) out.push(null);
    out.push(p);
  });
  return out;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  await requirePageUser("write", pathWithQuery("/admin/audit", raw));
  const t = await getTranslations("admin.audit");
  const tr = Object.assign((key: string, values?: Record<string, string | number>) => t(key as never, values as never), {
    has: (key: string) => t.has(key as never),
  });
  const locale = (await getLocale()) as Locale;
  const { filter, page, ignored } = parseAuditParams(raw);
  const entries = await listAuditEntries(filter, page);
  const options = await auditFilterOptions();
  const format = { t: tr, locale, names: await auditNames(entries.rows) };
  const entities = [...new Set([...options.entities, ...(filter.entity ? [filter.entity] : [])])];
  const actionLabel = (a: string) => (auditActions.is(a) ? auditActions.label(a as AuditAction, locale) : a);
  const filtered = Object.keys(filter).length > 0;

  return (
    <>
      <AdminNav current="audit" />
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede")}</p>
      <IgnoredNotice ignored={ignored} />
      <form method="get" action="/admin/audit" className="filter-bar audit-filters" role="search" aria-label={t("filtersLabel")}>
        <div className="filter-row">
          <label className="date-field">
            {t("user")}
            <select name="user" defaultValue={filter.userId ?? ""}>
              <option value="">{t("anyUser")}</option>
              {options.accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.email}
                </option>
              ))}
              {filter.userId && !options.accounts.some((a) => a.id === filter.userId) && <option value={filter.userId}>{filter.userId}</option>}
            </select>
          </label>
          <label className="date-field">
            {t("action")}
            <select name="action" defaultValue={filter.action ?? ""}>
              <option value="">{t("anyAction")}</option>
              {auditActions.values.map((a) => (
                <option key={a} value={a}>
                  {actionLabel(a)}
                </option>
              ))}
            </select>
          </label>
          <label className="date-field">
            {t("entity")}
            <select name="entity" defaultValue={filter.entity ?? ""}>
              <option value="">{t("anyEntity")}</option>
              {entities.map((e) => (
                <option key={e} value={e}>
                  {tr.has(`entities.${e}`) ? tr(`entities.${e}`) : e}
                </option>
              ))}
            </select>
          </label>
          <label className="date-field">
            {t("from")}
            <DateInput name="from" defaultValue={filter.from ?? ""} />
          </label>
          <label className="date-field">
            {t("to")}
            <DateInput name="to" defaultValue={filter.to ?? ""} />
          </label>
          <button type="submit" className="primary">
            {t("apply")}
          </button>
          {filtered && <Link href="/admin/audit">{t("clear")}</Link>}
        </div>
        <p className="admin-hint">{t("timeZone")}</p>
      </form>

      <p className="ref-count" data-testid="audit-count" role="status">
        {t("count", { count: entries.total, formatted: formatCount(entries.total, locale) })}
      </p>
      {entries.rows.length === 0 ? (
        <p className="empty-state">{filtered ? t("noMatch") : t("empty")}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table admin-table audit-table" data-testid="audit-table">
            <caption className="visually-hidden">{t("caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("when")}</th>
                <th scope="col">{t("who")}</th>
                <th scope="col">{t("action")}</th>
                <th scope="col">{t("record")}</th>
                <th scope="col">{t("changes")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.rows.map((row) => (
                <tr key={row.id} data-action={row.action} data-entity={row.entity}>
                  <td className="nowrap">
                    <time dateTime={new Date(row.at).toISOString()}>{shanghaiDateTime(row.at, locale)}</time>
                  </td>
                  <td>{row.userLabel ?? t("system")}</td>
                  <td className="nowrap">{actionLabel(row.action)}</td>
                  <td>
                    <AuditRecord row={row} t={tr} />
                  </td>
                  <td>
                    <AuditChanges row={row} format={format} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {entries.pageCount > 1 && (
        <nav className="pager admin-pager" aria-label={t("pages")}>
          <span className="pager-rows">{t("pageOf", { page: entries.page, pages: entries.pageCount })}</span>
          {entries.page > 1 ? <Link href={auditHref(filter, entries.page - 1)} rel="prev">{t("previous")}</Link> : <span className="muted">{t("previous")}</span>}
          {pageWindow(entries.page, entries.pageCount).map((p, i) =>
            p === null ? (
              <span key={`gap-${i}`} aria-hidden="true">
                …
              </span>
            ) : (
              <Link key={p} href={auditHref(filter, p)} aria-current={p === entries.page ? "page" : undefined} aria-label={t("pageLabel", { page: p })}>
                {p}
              </Link>
            ),
          )}
          {entries.page < entries.pageCount ? <Link href={auditHref(filter, entries.page + 1)} rel="next">{t("next")}</Link> : <span className="muted">{t("next")}</span>}
        </nav>
      )}
    </>
  );
}
