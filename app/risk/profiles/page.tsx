import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { Sparkline } from "@/components/risk/charts";
import { riskProfiles, type ProfileSummary } from "@/db/repo/risk-profiles";
import { shareText } from "@/lib/chart-scale";
import type { Locale } from "@/lib/enums";
import { formatCount, formatDate, formatMoney, intlLocaleOf, latinLang } from "@/lib/format";
import { shanghaiDate, STALE_DAYS } from "@/lib/risk-profiles";
import { pathWithQuery, requirePageUser } from "../../session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("profiles"))("title") };
}

const SHOWS = ["all", "stale", "active", "archived"] as const;
type Show = (typeof SHOWS)[number];
const SORTS = ["stale", "name", "hits30", "hits90", "value", "share", "last"] as const;
type SortBy = (typeof SORTS)[number];

const shareOf = (p: ProfileSummary) => (p.periodCases ? p.periodHits / p.periodCases : 0);

function sorted(list: ProfileSummary[], by: SortBy): ProfileSummary[] {
  const name = (a: ProfileSummary, b: ProfileSummary) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id);
  const key: Record<SortBy, (a: ProfileSummary, b: ProfileSummary) => number> = {
    stale: () => 0, // the list's own order: stale first, then the active, then by name
    name,
    hits30: (a, b) => b.hits30 - a.hits30 || name(a, b),
    hits90: (a, b) => b.hits90 - a.hits90 || name(a, b),
    value: (a, b) => b.valueFen - a.valueFen || name(a, b),
    share: (a, b) => shareOf(b) - shareOf(a) || name(a, b),
    last: (a, b) => (a.lastHitAt ?? 0) - (b.lastHitAt ?? 0) || name(a, b),
  };
  return [...list].sort(key[by]);
}

/**
 * The risk profiles (issue 18, item 4), staff only: each with its owner, validity, hits in the
 * last 30 and 90 days, the value of the cases it hit (to the fen), the share of its period's
 * cases it caught and a sparkline of monthly hits. The active profiles that stopped hitting
 * (no hit for STALE_DAYS days) come first, highlighted, and can be shown alone.
 */
export default async function RiskProfilesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  await requirePageUser("readRisk", pathWithQuery("/risk/profiles", raw));
  const t = await getTranslations("profiles");
  const locale = (await getLocale()) as Locale;
  const show: Show = (SHOWS as readonly string[]).includes(String(raw.show)) ? (raw.show as Show) : "all";
  const sortBy: SortBy = (SORTS as readonly string[]).includes(String(raw.sort)) ? (raw.sort as SortBy) : "stale";
  const all = await riskProfiles();
  const counts: Record<Show, number> = {
    all: all.length,
    stale: all.filter((p) => p.stale).length,
    active: all.filter((p) => p.active).length,
    archived: all.filter((p) => p.archived).length,
  };
  const shown = sorted(
    all.filter((p) => show === "all" || (show === "stale" ? p.stale : show === "active" ? p.active : p.archived)),
    sortBy,
  );
  const link = (over: { show?: Show; sort?: SortBy }) => {
    const params = new URLSearchParams();
    const s = over.show ?? show;
    const o = over.sort ?? sortBy;
    if (s !== "all") params.set("show", s);
    if (o !== "stale") params.set("sort", o);
    const q = params.toString();
    return q ? `/risk/profiles?${q}` : "/risk/profiles";
  };
  const today = shanghaiDate(Date.now());
  const state = (p: ProfileSummary) =>
    p.archived ? t("state.archived") : p.validFrom > today ? t("state.upcoming") : p.validTo !== null && p.validTo < today ? t("state.ended") : t("state.active");
  const sortHeader = (by: SortBy, label: string, num = false) => (
    <th scope="col" className={num ? "num" : undefined} aria-sort={sortBy === by ? (by === "name" || by === "last" ? "ascending" : "descending") : undefined}>
      <Link href={link({ sort: by })}>{label}</Link>
    </th>
  );
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede", { days: STALE_DAYS })}</p>
      <p>
        <Link href="/risk/profiles/new" data-testid="new-profile">{t("newLink")}</Link>
      </p>
      <nav aria-label={t("showLabel")} className="profile-shows">
        <ul>
          {SHOWS.map((s) => (
            <li key={s}>
              <Link href={link({ show: s })} aria-current={s === show ? "page" : undefined} data-testid={`profiles-show-${s}`}>
                {t(`show.${s}`, { count: counts[s] })}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {shown.length === 0 ? (
        <p className="empty" data-testid="profiles-empty">{all.length === 0 ? t("empty") : t("emptyShown")}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table profiles-table" data-testid="profiles-table">
            <caption>{t("caption", { count: shown.length })}</caption>
            <thead>
              <tr>
                {sortHeader("name", t("name"))}
                <th scope="col">{t("owner")}</th>
                <th scope="col">{t("validity")}</th>
                {sortHeader("hits30", t("hits30"), true)}
                {sortHeader("hits90", t("hits90"), true)}
                {sortHeader("value", t("value"), true)}
                {sortHeader("share", t("share"), true)}
                <th scope="col">{t("monthly")}</th>
                {sortHeader("last", t("lastHit"))}
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr key={p.id} data-testid={`profile-row-${p.id}`} className={p.stale ? "profile-stale" : p.archived ? "profile-archived" : undefined}>
                  <th scope="row">
                    <Link href={`/risk/profiles/${p.id}`} lang={latinLang(p.name)}>{p.name}</Link>
                    <br />
                    <span className={p.stale ? "profile-flag" : "muted profile-state"}>{p.stale ? t("stale", { days: STALE_DAYS }) : state(p)}</span>
                  </th>
                  <td lang={latinLang(p.ownerName)}>{p.ownerName}</td>
                  <td className="nowrap">
                    {formatDate(p.validFrom, locale)} – {p.validTo ? formatDate(p.validTo, locale) : t("openEnded")}
                  </td>
                  <td className="num">{formatCount(p.hits30, locale)}</td>
                  <td className="num">{formatCount(p.hits90, locale)}</td>
                  <td className="num nowrap">{formatMoney(p.valueFen, locale)}</td>
                  <td className="num">
                    {p.periodCases ? shareText(Math.round(shareOf(p) * 1000), intlLocaleOf(locale)) : "—"}
                    <br />
                    <span className="muted">{t("shareOf", { hits: p.periodHits, cases: p.periodCases })}</span>
                  </td>
                  <td>
                    <Sparkline
                      months={p.months}
                      label={t("sparkLabel", { months: p.months.length, hits: p.months.reduce((s, m) => s + m.hits, 0) })}
                    />
                  </td>
                  <td className="nowrap">{p.lastHitAt ? formatDate(shanghaiDate(p.lastHitAt), locale) : t("never")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
