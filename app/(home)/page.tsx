import { getLocale, getTranslations } from "next-intl/server";
import { KpiCards } from "@/components/dashboard/KpiCards";
import { LargestDistricts } from "@/components/dashboard/LargestDistricts";
import { getDb } from "@/db/client";
import { getLargestDistricts, getOverview, isDemoDatabase } from "@/db/queries/overview";
import type { Locale } from "@/lib/enums";
import { formatDate } from "@/lib/format";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const t = await getTranslations();
  const locale = (await getLocale()) as Locale;
  const db = getDb();
  const overview = getOverview(db);
  const demo = isDemoDatabase(db);
  const districts = overview.cases > 0 ? getLargestDistricts(db) : [];

  return (
    <>
      {demo && (
        <p className="demo-notice" role="note">
          {t("demo.notice")}
        </p>
      )}
      <h1>{t("home.title")}</h1>
      {overview.cases === 0 || !overview.firstSeizedOn || !overview.lastSeizedOn ? (
        <p className="empty">{t("home.empty")}</p>
      ) : (
        <>
          <p className="lede">
            {t("home.period", {
              from: formatDate(overview.firstSeizedOn, locale),
              to: formatDate(overview.lastSeizedOn, locale),
            })}
          </p>
          <KpiCards figures={overview} />
          <LargestDistricts districts={districts} />
        </>
      )}
    </>
  );
}
