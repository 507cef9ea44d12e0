import type { Metadata } from "next";
import { Suspense } from "react";
import { getLocale, getTranslations } from "next-intl/server";
import { CasesTable } from "@/components/cases/CasesTable";
import { ExportLinks } from "@/components/cases/ExportLinks";
import { TotalsBar, TotalsSkeleton } from "@/components/cases/TotalsBar";
import { ClearFiltersButton } from "@/components/filters/ClearFiltersButton";
import { ExplorerNavigation } from "@/components/filters/ExplorerNavigation";
import { FilterBar } from "@/components/filters/FilterBar";
import { FilterDrawer } from "@/components/filters/FilterDrawer";
import { Facets } from "@/components/filters/Facets";
import { IgnoredNotice } from "@/components/ui/IgnoredNotice";
import { CasesAdminBar, deletedCaseId } from "@/components/forms/CasesAdminBar";
import { caseNumberOf, filterNames, listCases } from "@/db/repo/cases";
import { caseTotals, facetData } from "@/db/repo/dashboard";
import type { Locale } from "@/lib/enums";
import { filterChips } from "@/lib/filter-labels";
import { hasAnyFilter, parseCaseQuery } from "@/lib/filters";
import { can } from "@/lib/roles";
import { pathWithQuery, requirePageReader } from "@/app/session";
import { ViewsBar } from "@/components/views/ViewsBar";
import { myViews } from "@/db/repo/views";
import { canonicalViewQuery } from "@/lib/views";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("cases");
  return { title: t("title") };
}

export default async function CasesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const t = await getTranslations("cases");
  const locale = (await getLocale()) as Locale;
  const raw = await searchParams;
  const { user, scope } = await requirePageReader("readCases", pathWithQuery("/cases", raw));
  const { query, ignored } = parseCaseQuery(raw);
  let page = await listCases(scope, query);
  const lastPage = Math.max(1, Math.ceil(page.total / query.size));
  if (query.page > lastPage) {
    // a page past the end (after a filter shrank the set): show the last one
    query.page = lastPage;
    page = await listCases(scope, query);
  }
  const chips = filterChips(query.filters, locale, await filterNames(scope, query.filters));
  // after a deletion, the admin's notice names the deleted case
  const deletedId = can(user.role, "write") ? deletedCaseId(raw.deleted) : null;
  const deletedCaseNo = deletedId === null ? null : await caseNumberOf(deletedId, "deleted");
  const key = JSON.stringify(query.filters);

  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede")}</p>
      <CasesAdminBar user={user} deletedId={deletedId} deletedCaseNo={deletedCaseNo} />
      <ViewsBar page="cases" query={canonicalViewQuery("cases", raw)} views={await myViews(user)} role={user.role} />
      <IgnoredNotice ignored={ignored} />
      <ExplorerNavigation>
        <FilterDrawer active={chips.length}>
          <FilterBar q={query.filters.q ?? ""} from={query.filters.from ?? ""} to={query.filters.to ?? ""} chips={chips}>
            {/* drawn at once, kept across changes (focus stays), options arriving later */}
            <Facets filters={query.filters} data={facetData(scope, query.filters)} />
          </FilterBar>
        </FilterDrawer>
        <div className="results-head">
          <Suspense key={key} fallback={<TotalsSkeleton />}>
            <TotalsBar totals={caseTotals(scope, query.filters)} />
          </Suspense>
          <ExportLinks query={query} total={page.total} />
        </div>
        {page.total === 0 ? (
          <div className="empty-state" data-testid="empty-state">
            <p>{t("empty.title")}</p>
            {hasAnyFilter(query.filters) && <ClearFiltersButton label={t("empty.clear")} />}
          </div>
        ) : (
          <CasesTable rows={page.rows} total={page.total} page={query.page} size={query.size} sort={query.sort} />
        )}
      </ExplorerNavigation>
    </>
  );
}
