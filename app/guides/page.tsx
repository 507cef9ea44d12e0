import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { listGuides } from "@/db/repo/guides";
import { goodsCategories, guideSharings, type Locale } from "@/lib/enums";
import { formatCount, latinLang } from "@/lib/format";
import { parseGuideSearch } from "@/lib/guides";
import { can } from "@/lib/roles";
import { pathWithQuery, requirePageUser } from "@/app/session";
import { imageUrl } from "@/components/guides/PairFigure";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("guides"))("title") };
}

/**
 * Authentication guides: customs officers find the guides shared with them by brand, product,
 * goods category or recordation; a member sees and keeps its own company's guides.
 */
export default async function GuidesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const user = await requirePageUser("readGuides", pathWithQuery("/guides", raw));
  const t = await getTranslations("guides");
  const locale = (await getLocale()) as Locale;
  const search = parseGuideSearch(raw);
  const member = user.role === "member";
  const [rows, visible] = await Promise.all([listGuides(user, search), member ? Promise.resolve([]) : listGuides(user, {})]);
  // the right holders whose guides this officer may see, to search by
  const holders = [...new Map(visible.map((g) => [g.holderId, { id: g.holderId, name: g.holderName }])).values()].sort((a, b) => a.name.localeCompare(b.name));
  const dateTime = new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeZone: "Asia/Shanghai" });
  const searched = Boolean(search.q || search.category || search.recordation || search.holder !== undefined);
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lede">{member ? t("ledeMember") : t("lede")}</p>
      {can(user.role, "keepGuides") && (
        <p>
          <Link href="/guides/new" className="primary" data-testid="new-guide">
            {t("new")}
          </Link>
        </p>
      )}
      <section className="panel" aria-labelledby="guides-list-title">
        <h2 id="guides-list-title" className="visually-hidden">
          {t("listTitle")}
        </h2>
        <form method="get" action="/guides" className="ref-search guide-search" role="search" aria-label={t("searchLabel")}>
          <label>
            {t("searchText")} <input type="search" name="q" defaultValue={search.q ?? ""} maxLength={100} />
          </label>
          <label>
            {t("category")}{" "}
            <select name="category" defaultValue={search.category ?? ""}>
              <option value="">{t("any")}</option>
              {goodsCategories.values.map((c) => (
                <option key={c} value={c}>
                  {goodsCategories.label(c, locale)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("recordation")} <input type="text" name="recordation" defaultValue={search.recordation ?? ""} maxLength={20} />
          </label>
          {!member && (
            <label>
              {t("holder")}{" "}
              <select name="holder" defaultValue={search.holder !== undefined ? String(search.holder) : ""}>
                <option value="">{t("any")}</option>
                {holders.map((h) => (
                  <option key={h.id} value={h.id} lang="en">
                    {h.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="submit">{t("search")}</button>
          {searched && <Link href="/guides">{t("clear")}</Link>}
          <p className="ref-count" role="status" data-testid="guide-count">
            {t("shown", { total: rows.length })}
          </p>
        </form>
        {rows.length === 0 ? (
          <p data-testid="guides-empty">{searched ? t("noneFound") : t("none")}</p>
        ) : (
          <ul className="guide-list" data-testid="guide-list">
            {rows.map((g) => {
              const title = locale === "zh" ? g.titleZh : g.titleEn;
              return (
                <li key={g.id} className="guide-card" data-guide={g.id}>
                  {g.firstPair !== null ? (
                    // eslint-disable-next-line @next/next/no-img-element -- a stored thumbnail, served by the API with its own access checks
                    <img src={imageUrl(g.id, g.firstPair, "genuine", true)} alt="" width={160} height={120} loading="lazy" />
                  ) : (
                    <span className="guide-card-blank" aria-hidden="true" />
                  )}
                  <div>
                    <h3>
                      <Link href={`/guides/${g.id}`} lang={latinLang(title)}>
                        {title}
                      </Link>
                    </h3>
                    <p className="muted">
                      <span lang="en">{g.brand}</span>
                      {g.productLine ? (
                        <>
                          {" · "}
                          <span lang={latinLang(g.productLine)}>{g.productLine}</span>
                        </>
                      ) : null}
                      {!member && g.holderName !== g.brand ? (
                        <>
                          {" · "}
                          <span lang="en">{g.holderName}</span>
                        </>
                      ) : null}
                    </p>
                    <p className="guide-meta">
                      {g.categories.map((c) => goodsCategories.label(c, locale)).join(locale === "zh" ? "、" : ", ") || "—"}
                      {" · "}
                      {t("pairs", { count: g.pairs, formatted: formatCount(g.pairs, locale) })}
                      {" · "}
                      {guideSharings.label(g.sharing, locale)}
                      {" · "}
                      {t("versionOn", { version: g.version, date: dateTime.format(new Date(g.updatedAt)) })}
                    </p>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </>
  );
}
