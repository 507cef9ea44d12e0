import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { Dashboard } from "@/components/dashboard/Dashboard";
import { countryName } from "@/components/reference/names";
import { FilterExplorer } from "@/components/filters/FilterExplorer";
import { FactsPanel } from "@/components/reference/FactsPanel";
import { filterNames } from "@/db/repo/cases";
import { dashboardStats, facetData } from "@/db/repo/dashboard";
import { getRightHolder, type RightHolderFacts } from "@/db/repo/reference";
import { casesHref, hrefWith, withValues } from "@/lib/drill";
import { industries, type Locale } from "@/lib/enums";
import { parseFilters } from "@/lib/filters";
import { currentScope, pathWithQuery, requirePageReader } from "@/app/session";
import type { Scope } from "@/lib/roles";

export const dynamic = "force-dynamic";

/** The right holder as this reader may see it: another company than a member's own is a 404. */
async function load(id: string, scope: Scope): Promise<RightHolderFacts | null> {
  return /^\d{1,15}$/.test(id) ? getRightHolder(scope, Number(id)) : null;
}

const displayName = (h: RightHolderFacts, locale: Locale) => (locale === "zh" && h.nameZh ? h.nameZh : h.name);

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const scope = await currentScope("readAggregates");
  const found = scope ? await load((await params).id, scope) : null;
  const t = await getTranslations("reference.holder");
  return { title: found ? displayName(found, (await getLocale()) as Locale) : t("notFound") };
}

export default async function RightHolderPage({ params, searchParams }: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const raw = await searchParams;
  const { scope } = await requirePageReader("readAggregates", pathWithQuery(`/right-holders/${id}`, raw));
  const holder = await load(id, scope);
  if (!holder) notFound();
  const t = await getTranslations("reference.holder");
  const locale = (await getLocale()) as Locale;
  const { filters, ignored } = parseFilters(raw);
  const scoped = withValues(filters, "holder", [holder.id]);
  const yesNo = (v: boolean) => (v ? t("yes") : t("no"));

  const facts: [string, React.ReactNode][] = [
    [t("name"), <span key="n" lang="en">{holder.name}</span>],
    [t("nameZh"), holder.nameZh ? <span key="z" lang="zh-CN">{holder.nameZh}</span> : t("none")],
    [t("industry"), industries.label(holder.industry, locale)],
    [t("country"), countryName(holder.country, locale)],
    [t("foreignInvested"), yesNo(holder.foreignInvested)],
    [t("qbpc"), yesNo(holder.qbpcMember)],
  ];

  return (
    <>
      <p className="ref-back">
        <Link href={hrefWith("/right-holders", filters)}>← {t("back")}</Link>
      </p>
      <div className="ref-head">
        <h1>{displayName(holder, locale)}</h1>
        <Link href={casesHref(scoped)} className="primary-link" data-testid="list-cases">
          {t("listCases")} →
        </Link>
      </div>
      <FactsPanel id="holder-facts" title={t("facts")} facts={facts} />
      <h2 className="ref-section-title">{t("figures")}</h2>
      <FilterExplorer filters={filters} ignored={ignored} names={filterNames(scope, filters)} facets={facetData(scope, filters)}>
        <Dashboard filters={scoped} stats={dashboardStats(scope, scoped)} />
      </FilterExplorer>
    </>
  );
}
