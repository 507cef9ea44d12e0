import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { HitsChart } from "@/components/risk/charts";
import { filterNames } from "@/db/repo/cases";
import { profileFilters } from "@/lib/risk-profiles";
import { FilterWords } from "@/components/risk/FilterWords";
import { ArchiveProfileButton, ProfileForm } from "@/components/risk/ProfileForm";
import { riskProfile, riskProfileOwners } from "@/db/repo/risk-profiles";
import { shareText } from "@/lib/chart-scale";
import type { Locale } from "@/lib/enums";
import { formatCount, formatDate, formatMoney, intlLocaleOf, latinLang } from "@/lib/format";
import { can } from "@/lib/roles";
import { LATEST_HITS, shanghaiDate, STALE_DAYS } from "@/lib/risk-profiles";
import { metadataUser, requirePageUser } from "../../../session";

export const dynamic = "force-dynamic";

const idOf = (raw: string) => (/^\d{1,10}$/.test(raw) ? Number(raw) : 0);

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const t = await getTranslations("profiles");
  // the name is loaded only for a reader the page itself would serve
  const user = await metadataUser("readRisk");
  const profile = user ? await riskProfile(idOf((await params).id)) : null;
  return { title: profile ? t("detailTitle", { name: profile.name }) : t("title") };
}

/**
 * One risk profile (issue 18, item 4): its filter in words, its figures, its hits over time
 * (a server-drawn chart), its latest hit cases linking to them, and — for its keepers — the
 * edit form (version-checked) and "Archive" with a confirmation.
 */
export default async function RiskProfilePage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const user = await requirePageUser("readRisk", `/risk/profiles/${raw}`);
  const profile = await riskProfile(idOf(raw));
  if (!profile) notFound();
  const t = await getTranslations("profiles");
  const locale = (await getLocale()) as Locale;
  const keeper = can(user.role, "keepProfiles");
  const owners = keeper && !profile.archived ? await riskProfileOwners() : [];
  const monthLabel = (month: string) => {
    const [y, m] = month.split("-");
    return locale === "zh" ? `${y}年${Number(m)}月` : new Intl.DateTimeFormat("en-US", { month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));
  };
  const today = shanghaiDate(Date.now());
  const state = profile.archived ? t("state.archived") : profile.validFrom > today ? t("state.upcoming") : profile.validTo !== null && profile.validTo < today ? t("state.ended") : t("state.active");
  const totalShown = profile.history.reduce((s, m) => s + m.hits, 0);
  return (
    <>
      <p className="ref-back">
        <Link href="/risk/profiles">{t("back")}</Link>
      </p>
      <h1 lang={latinLang(profile.name)}>{profile.name}</h1>
      <p className="lede">
        <span className={profile.stale ? "profile-flag" : undefined} data-testid="profile-state">{profile.stale ? t("stale", { days: STALE_DAYS }) : state}</span>
        {" · "}
        {t("ownedBy", { name: profile.ownerName })}
      </p>
      <dl className="profile-facts">
        <div><dt>{t("validity")}</dt><dd>{formatDate(profile.validFrom, locale)} – {profile.validTo ? formatDate(profile.validTo, locale) : t("openEnded")}</dd></div>
        <div><dt>{t("reason")}</dt><dd lang={latinLang(profile.reason)} className="profile-reason">{profile.reason}</dd></div>
        <div><dt>{t("hitsTotal")}</dt><dd data-testid="profile-hits">{formatCount(profile.hits, locale)}</dd></div>
        <div><dt>{t("hits30")}</dt><dd>{formatCount(profile.hits30, locale)}</dd></div>
        <div><dt>{t("hits90")}</dt><dd>{formatCount(profile.hits90, locale)}</dd></div>
        <div><dt>{t("value")}</dt><dd data-testid="profile-value">{formatMoney(profile.valueFen, locale)}</dd></div>
        <div>
          <dt>{t("share")}</dt>
          <dd>
            {profile.periodCases ? shareText(Math.round((profile.periodHits / profile.periodCases) * 1000), intlLocaleOf(locale)) : "—"}{" "}
            <span className="muted">{t("shareOf", { hits: profile.periodHits, cases: profile.periodCases })}</span>
          </dd>
        </div>
        <div><dt>{t("lastHit")}</dt><dd>{profile.lastHitAt ? formatDate(shanghaiDate(profile.lastHitAt), locale) : t("never")}</dd></div>
      </dl>

      <section className="panel">
        <h2>{t("filter")}</h2>
        <FilterWords query={profile.query} names={filterNames({}, profileFilters(profile.query))} />
        <p><Link href={`/cases?${profile.query}`}>{t("openCases")}</Link></p>
      </section>

      <section className="panel">
        <h2>{t("overTime")}</h2>
        <HitsChart
          months={profile.history}
          monthLabel={monthLabel}
          label={t("chartLabel", { from: monthLabel(profile.history[0]!.month), to: monthLabel(profile.history.at(-1)!.month), hits: totalShown })}
        />
      </section>

      <section className="panel">
        <h2>{t("hitCases")}</h2>
        {profile.latest.length === 0 ? (
          <p className="empty" data-testid="profile-no-hits">{t("noHits")}</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" data-testid="profile-hit-cases">
              <caption>{t("hitCasesCaption", { shown: profile.latest.length, count: profile.hits, max: LATEST_HITS })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("caseNo")}</th>
                  <th scope="col">{t("seizedOn")}</th>
                  <th scope="col" className="num">{t("caseValue")}</th>
                  <th scope="col">{t("hitOn")}</th>
                </tr>
              </thead>
              <tbody>
                {profile.latest.map((h) => (
                  <tr key={h.caseId}>
                    <th scope="row"><Link href={`/cases/${h.caseId}`}>{h.caseNo}</Link></th>
                    <td className="nowrap">{formatDate(h.seizedOn, locale)}</td>
                    <td className="num nowrap">{formatMoney(h.valueFen, locale)}</td>
                    <td className="nowrap">{formatDate(shanghaiDate(h.hitAt), locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {keeper && !profile.archived && (
        <section className="panel">
          <h2>{t("editTitle")}</h2>
          <ProfileForm
            id={profile.id}
            version={profile.version}
            owners={owners}
            values={{ name: profile.name, ownerId: profile.ownerId, query: profile.query, validFrom: profile.validFrom, validTo: profile.validTo ?? "", reason: profile.reason }}
          />
          <p className="profile-archive">
            <ArchiveProfileButton id={profile.id} version={profile.version} name={profile.name} />
          </p>
        </section>
      )}
    </>
  );
}
