import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { filterNames } from "@/db/repo/cases";
import { profileFilters } from "@/lib/risk-profiles";
import { FilterWords } from "@/components/risk/FilterWords";
import { ProfileForm } from "@/components/risk/ProfileForm";
import { riskProfileOwners } from "@/db/repo/risk-profiles";
import { todayInShanghai } from "@/lib/case-schema";
import { canonicalProfileQuery, MAX_PROFILE_QUERY } from "@/lib/risk-profiles";
import { pathWithQuery, requirePageUser } from "../../../session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("profiles"))("newTitle") };
}

/**
 * A new risk profile from a filter (issue 18, item 4): "Save as risk profile" beside the filter
 * bar (components/views/ViewsBar.tsx) brings the dashboard's or the table's filter as `query`,
 * parsed again by the one filter model; the analyst names it, sets its owner (itself by
 * default), its validity (from today by default) and the reason.
 */
export default async function NewRiskProfilePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const user = await requirePageUser("keepProfiles", pathWithQuery("/risk/profiles/new", raw));
  const t = await getTranslations("profiles");
  const given = typeof raw.query === "string" && raw.query.length <= MAX_PROFILE_QUERY ? raw.query : "";
  const query = canonicalProfileQuery(given);
  const owners = await riskProfileOwners();
  return (
    <>
      <p className="ref-back">
        <Link href="/risk/profiles">{t("back")}</Link>
      </p>
      <h1>{t("newTitle")}</h1>
      <p className="lede">{t("newLede")}</p>
      {query === "" ? (
        <p className="empty-state" data-testid="profile-no-filter">
          {t.rich("chooseFilter", { dashboard: (c) => <Link href="/">{c}</Link>, cases: (c) => <Link href="/cases">{c}</Link> })}
        </p>
      ) : (
        <>
          <section className="panel">
            <h2>{t("filter")}</h2>
            <FilterWords query={query} names={filterNames({}, profileFilters(query))} />
            <p><Link href={`/cases?${query}`}>{t("openCases")}</Link></p>
          </section>
          <ProfileForm owners={owners} values={{ name: "", ownerId: user.id, query, validFrom: todayInShanghai(), validTo: "", reason: "" }} />
        </>
      )}
    </>
  );
}
