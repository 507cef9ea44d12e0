import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { StateBadge } from "@/components/recordations/StateBadge";
import { listRecordations, recordationHolderChoices } from "@/db/repo/recordations";
import { infringementTypes, recordationStates, type Locale } from "@/lib/enums";
import { parseRecordationFilters, type RecordationFilters } from "@/lib/recordations";
import { can } from "@/lib/roles";
import { pathWithQuery, requirePageReader } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("recordations"))("title") };
}

function hrefOf(filters: RecordationFilters, page: number): string {
  const params = new URLSearchParams();
  if (filters.holder !== undefined) params.set("holder", String(filters.holder));
  if (filters.kind) params.set("kind", filters.kind);
  if (filters.state) params.set("state", filters.state);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/recordations?${query}` : "/recordations";
}

export default async function RecordationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const { user, scope } = await requirePageReader("readRecordations", pathWithQuery("/recordations", raw));
  const t = await getTranslations("recordations");
  const locale = (await getLocale()) as Locale;
  const { filters, ignored } = parseRecordationFilters(raw);
  const [list, holders] = await Promise.all([listRecordations(scope, filters), recordationHolderChoices(scope)]);
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  const member = user.role === "member";
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lede">{member ? t("ledeMember") : t("lede")}</p>
      {can(user.role, "keepRecordations") && (
        <p>
          <Link href="/recordations/new" className="primary" data-testid="new-recordation">
            {t("new")}
          </Link>
        </p>
      )}
      {ignored.length > 0 && (
        <p className="notice" role="status">
          {t("ignored", { names: ignored.join(", ") })}
        </p>
      )}
      <section className="panel" aria-labelledby="recordations-list-title">
        <h2 id="recordations-list-title" className="visually-hidden">
          {t("listTitle")}
        </h2>
        <form method="get" action="/recordations" className="ref-search recordation-filters" role="search" aria-label={t("filtersLabel")}>
          {!member && (
            <label>
              {t("filterHolder")}{" "}
              <select name="holder" defaultValue={filters.holder !== undefined ? String(filters.holder) : ""}>
                <option value="">{t("any")}</option>
                {holders.map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            {t("filterKind")}{" "}
            <select name="kind" defaultValue={filters.kind ?? ""}>
              <option value="">{t("any")}</option>
              {infringementTypes.values.map((k) => (
                <option key={k} value={k}>
                  {infringementTypes.label(k, locale)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("filterState")}{" "}
            <select name="state" defaultValue={filters.state ?? ""}>
              <option value="">{t("any")}</option>
              {recordationStates.values.map((s) => (
                <option key={s} value={s}>
                  {recordationStates.label(s, locale)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t("apply")}</button>
          {(filters.holder !== undefined || filters.kind || filters.state) && <Link href="/recordations">{t("clear")}</Link>}
          <p className="ref-count" role="status" data-testid="recordation-count">
            {t("shown", { total: list.total })}
          </p>
        </form>
        {list.rows.length === 0 ? (
          <p data-testid="recordations-empty">{t("none")}</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" data-testid="recordations-table">
              <caption className="visually-hidden">{t("caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("number")}</th>
                  <th scope="col">{t("mark")}</th>
                  {!member && <th scope="col">{t("holder")}</th>}
                  <th scope="col">{t("kind")}</th>
                  <th scope="col">{t("classes")}</th>
                  <th scope="col">{t("validTo")}</th>
                  <th scope="col">{t("state")}</th>
                </tr>
              </thead>
              <tbody>
                {list.rows.map((r) => (
                  <tr key={r.id} data-recordation={r.number}>
                    <th scope="row">
                      <Link href={`/recordations/${r.id}`}>{r.number}</Link>
                    </th>
                    <td>
                      {locale === "zh" && r.titleZh ? <span lang="zh-CN">{r.titleZh}</span> : <span lang="en">{r.titleEn}</span>}
                    </td>
                    {!member && <td>{r.holderName}</td>}
                    <td>{infringementTypes.label(r.kind, locale)}</td>
                    <td>{r.classes.join(", ") || "—"}</td>
                    <td>
                      <time dateTime={r.validTo}>{r.validTo}</time>
                    </td>
                    <td>
                      <StateBadge state={r.state} locale={locale} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {pages > 1 && (
          <nav className="pager" aria-label={t("pages")}>
            <span className="pager-rows">{t("pageOf", { page: list.page, pages })}</span>
            {list.page > 1 && <Link href={hrefOf(filters, list.page - 1)}>{t("previous")}</Link>}
            {list.page < pages && <Link href={hrefOf(filters, list.page + 1)}>{t("next")}</Link>}
          </nav>
        )}
      </section>
    </>
  );
}
