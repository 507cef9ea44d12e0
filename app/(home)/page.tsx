import { Suspense } from "react";
import { getTranslations } from "next-intl/server";
import { Dashboard } from "@/components/dashboard/Dashboard";
import { ExplorerNavigation } from "@/components/filters/ExplorerNavigation";
import { Facets, FacetsSkeleton } from "@/components/filters/Facets";
import { FilterBar } from "@/components/filters/FilterBar";
import { IgnoredNotice } from "@/components/ui/IgnoredNotice";
import { getDb } from "@/db/client";
import { filterNames } from "@/db/queries/cases";
import { isDemoDatabase } from "@/db/queries/overview";
import type { Locale } from "@/lib/enums";
import { filterChips } from "@/lib/filter-labels";
import { parseFilters } from "@/lib/filters";
import { pathWithQuery, requirePageUser } from "@/app/session";
import { getLocale } from "next-intl/server";

export const dynamic = "force-dynamic";

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const t = await getTranslations();
  const locale = (await getLocale()) as Locale;
  const raw = await searchParams;
  await requirePageUser("readAggregates", pathWithQuery("/", raw));
  const { filters, ignored } = parseFilters(raw);
  const db = getDb();
  const chips = filterChips(filters, locale, filterNames(db, filters));
  const key = JSON.stringify(filters);

  return (
    <>
      {isDemoDatabase(db) && (
        <p className="demo-notice" role="note">
          {t("demo.notice")}
        </p>
      )}
      <h1>{t("dashboard.title")}</h1>
      <p className="lede">{t("dashboard.lede")}</p>
      <IgnoredNotice ignored={ignored} />
      <ExplorerNavigation>
        <FilterBar q={filters.q ?? ""} from={filters.from ?? ""} to={filters.to ?? ""} chips={chips}>
          <Suspense key={key} fallback={<FacetsSkeleton />}>
            <Facets filters={filters} />
          </Suspense>
        </FilterBar>
        <div className="explorer-results">
          <Dashboard filters={filters} />
        </div>
      </ExplorerNavigation>
    </>
  );
}
