import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { OfficeTable } from "@/components/reference/OfficeTable";
import { districtGroups, totalRow } from "@/components/reference/officeRows";
import { FilterExplorer } from "@/components/filters/FilterExplorer";
import { filterNames } from "@/db/repo/cases";
import { dashboardStats, facetData } from "@/db/repo/dashboard";
import { listDistrictsWithOffices } from "@/db/repo/reference";
import { parseFilters } from "@/lib/filters";
import { pathWithQuery, requirePageReader } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("reference.districts");
  return { title: t("title") };
}

export default async function DistrictsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const t = await getTranslations("reference.districts");
  const raw = await searchParams;
  // a member's figures are its own company's cases by district
  const { scope } = await requirePageReader("readAggregates", pathWithQuery("/districts", raw));
  const { filters, ignored } = parseFilters(raw);
  const stats = await dashboardStats(scope, filters);
  const groups = districtGroups(await listDistrictsWithOffices(), stats, filters);

  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lede">{t(scope.restrictToHolders ? "ledeMember" : "lede")}</p>
      <FilterExplorer filters={filters} ignored={ignored} names={filterNames(scope, filters)} facets={facetData(scope, filters)}>
        <OfficeTable groups={groups} total={totalRow(stats, filters, t("total"))} caption={t("caption")} nameHeader={t("name")} testId="districts-table" />
      </FilterExplorer>
    </>
  );
}
