import { getTranslations } from "next-intl/server";
import { Dashboard } from "@/components/dashboard/Dashboard";
import { MarketSection } from "@/components/dashboard/MarketSection";
import { FilterExplorer } from "@/components/filters/FilterExplorer";
import { getDb } from "@/db/client";
import { isDemoDatabase } from "@/db/queries/overview";
import { parseFilters } from "@/lib/filters";
import { pathWithQuery, requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const t = await getTranslations();
  const raw = await searchParams;
  const user = await requirePageUser("readAggregates", pathWithQuery("/", raw));
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
      <p className="lede">{t("dashboard.lede")}</p>
      <FilterExplorer filters={filters} ignored={ignored}>
        <Dashboard filters={filters} />
      </FilterExplorer>
      {user.role === "member" && <MarketSection holderId={user.holderId} params={raw} />}
    </>
  );
}
