import { getTranslations } from "next-intl/server";
import { Dashboard } from "@/components/dashboard/Dashboard";
import { MarketSection, marketPeriod } from "@/components/dashboard/MarketSection";
import { RecordationPanel } from "@/components/dashboard/RecordationPanel";
import { FilterExplorer } from "@/components/filters/FilterExplorer";
import { recordationPanel } from "@/db/repo/recordations";
import { dashboardStats, facetData, isDemoDatabase } from "@/db/repo/dashboard";
import { filterNames } from "@/db/repo/cases";
import { marketView } from "@/db/repo/market";
import { parseComparison, parseFilters, serializeComparison, serializeFilters } from "@/lib/filters";
import { ReportDownload } from "@/components/reports/ReportDownload";
import { pathWithQuery, requirePageReader } from "@/app/session";
import { ViewsBar } from "@/components/views/ViewsBar";
import { myViews } from "@/db/repo/views";
import { canonicalViewQuery } from "@/lib/views";
import { HotspotPanel } from "@/components/risk/HotspotPanel";
import { dashboardHotspots } from "@/db/repo/risk";
import { can } from "@/lib/roles";

export const dynamic = "force-dynamic";

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const t = await getTranslations();
  const raw = await searchParams;
  // a member's dashboard is its own company's cases, in full
  const { user, scope } = await requirePageReader("readAggregates", pathWithQuery("/", raw));
  const { filters, ignored: filterIgnored } = parseFilters(raw);
  // the chosen comparison (issue 20 item 2): over the same scope, kept in the URL and in saved views
  const { comparison, ignored: comparisonIgnored } = parseComparison(raw);
  const ignored = [...filterIgnored, ...comparisonIgnored];

  return (
    <>
      {(await isDemoDatabase()) && (
        <p className="demo-notice" role="note">
          {t("demo.notice")}
        </p>
      )}
      <h1>{t("dashboard.title")}</h1>
      <p className="lede">{t(scope.restrictToHolders ? "dashboard.ledeMember" : "dashboard.lede")}</p>
      <ViewsBar page="dashboard" query={canonicalViewQuery("dashboard", raw)} views={await myViews(user)} role={user.role} />
      <ReportDownload query={serializeComparison(comparison, serializeFilters(filters)).toString()} />
      <FilterExplorer filters={filters} ignored={ignored} names={filterNames(scope, filters)} facets={facetData(scope, filters)}>
        <Dashboard
          filters={filters}
          stats={dashboardStats(scope, filters, comparison)}
          control={{ spec: comparison, params: raw, action: "/" }}
        />
      </FilterExplorer>
      {/* hot spots: customs staff only (readRisk); a member's page holds nothing of them */}
      {can(user.role, "readRisk") && <HotspotPanel data={dashboardHotspots(user, filters)} />}
      <RecordationPanel filters={filters} panel={recordationPanel(scope, filters)} />
      {scope.restrictToHolders && <MarketSection params={raw} view={marketView(scope, marketPeriod(raw).period)} />}
    </>
  );
}
