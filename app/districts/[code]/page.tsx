import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { Dashboard } from "@/components/dashboard/Dashboard";
import { OfficeTable } from "@/components/reference/OfficeTable";
import { districtGroups, totalRow } from "@/components/reference/officeRows";
import { FilterExplorer } from "@/components/filters/FilterExplorer";
import { FactsPanel } from "@/components/reference/FactsPanel";
import { filterNames } from "@/db/repo/cases";
import { dashboardStats, facetData } from "@/db/repo/dashboard";
import { getDistrict, type DistrictFacts } from "@/db/repo/reference";
import { casesHref, hrefWith, withValues } from "@/lib/drill";
import { provinceLabel, type Locale } from "@/lib/enums";
import { formatCount } from "@/lib/format";
import { parseFilters } from "@/lib/filters";
import { metadataUser, pathWithQuery, requirePageReader } from "@/app/session";

export const dynamic = "force-dynamic";

const load = (code: string): Promise<DistrictFacts | null> => getDistrict(code);
const displayName = (d: DistrictFacts, locale: Locale) => (locale === "zh" ? d.nameZh : d.nameEn);

export async function generateMetadata({ params }: { params: Promise<{ code: string }> }): Promise<Metadata> {
  const found = (await metadataUser("readAggregates")) ? await load((await params).code) : null;
  const t = await getTranslations("reference.district");
  const locale = (await getLocale()) as Locale;
  return { title: found ? (locale === "zh" ? `${found.nameZh}（${found.code}）` : `${found.nameEn} (${found.code})`) : t("notFound") };
}

export default async function DistrictPage({ params, searchParams }: {
  params: Promise<{ code: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { code } = await params;
  const raw = await searchParams;
  const { scope } = await requirePageReader("readAggregates", pathWithQuery(`/districts/${code}`, raw));
  const district = await load(code);
  if (!district) notFound();
  const t = await getTranslations("reference.district");
  const locale = (await getLocale()) as Locale;
  const { filters, ignored } = parseFilters(raw);
  const scoped = withValues(filters, "district", [district.code]);
  const stats = await dashboardStats(scope, scoped);
  // figures and links within the district, whatever district the URL names
  const [group] = districtGroups([district], stats, scoped, false);

  const facts: [string, React.ReactNode][] = [
    [t("code"), district.code],
    [t("nameEn"), <span key="en" lang="en">{district.nameEn}</span>],
    [t("nameZh"), <span key="zh" lang="zh-CN">{district.nameZh}</span>],
    [t("province"), provinceLabel(district.province, locale)],
    [t("subordinateCount"), formatCount(district.subordinates.length, locale)],
  ];

  return (
    <>
      <p className="ref-back">
        <Link href={hrefWith("/districts", filters)}>← {t("back")}</Link>
      </p>
      <div className="ref-head">
        <h1>
          {displayName(district, locale)} <span className="ref-code">{district.code}</span>
        </h1>
        <Link href={casesHref(scoped)} className="primary-link" data-testid="list-cases">
          {t("listCases")} →
        </Link>
      </div>
      <FactsPanel id="district-facts" title={t("facts")} facts={facts} />
      <h2 className="ref-section-title">{t("figures")}</h2>
      <FilterExplorer filters={filters} ignored={ignored} names={filterNames(scope, filters)} facets={facetData(scope, filters)}>
        {group && group.offices.length > 0 && (
          <section className="panel" aria-labelledby="district-offices">
            <h2 id="district-offices">{t("offices")}</h2>
            <OfficeTable
              groups={[group]}
              total={totalRow(stats, scoped, t("total", { name: displayName(district, locale) }), provinceLabel(district.province, locale))}
              caption={t("officesCaption")}
              nameHeader={t("office")}
              testId="district-offices"
            />
          </section>
        )}
        <Dashboard filters={scoped} stats={stats} />
      </FilterExplorer>
    </>
  );
}
