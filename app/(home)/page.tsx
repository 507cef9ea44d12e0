import { getTranslations } from "next-intl/server";
import { Dashboard } from "@/components/dashboard/Dashboard";
import { MarketSection } from "@/components/dashboard/MarketSection";
import { FilterExplorer } from "@/components/filters/FilterExplorer";
import { getDb } from "@/db/client";
import { isDemoDatabase } from "@/db/queries/overview";
import { parseFilters } from "@/lib/filters";
import { pathWithQuery, requirePageReader } from "@/app/session";

export const dynamic = "force-dynamic";

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const t = await getTranslations();
  const raw = await searchParams;
  // a member's dashboard is its own company's cases, in full
  const { scope } = await requirePageReader("readAggregates", pathWithQuery("/", raw));
  const { filters, ignored } = parseFilters(raw);
  const db = getDb();

  return (
    <>
      {isDemoDatabase(db) && (
        <p className="demo-notice" role="note">
          {t("demo.notice")}
        </p>
      )}
      <h1>{t("dashboard.title")}</h1>
      <p className="lede">{t(scope.restrictToHolders ? "dashboard.ledeMember" : "dashboard.lede")}</p>
      <FilterExplorer filters={filters} ignored={ignored} scope={scope}>
        <Dashboard filters={filters} scope={scope} />
      </FilterExplorer>
      {scope.restrictToHolders && <MarketSection holderId={scope.restrictToHolders[0] ?? null} params={raw} />}
    </>
  );
}
