import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { riskHotspots } from "@/db/repo/risk";
import { HotspotCard, monthText } from "@/components/risk/HotspotCard";
import type { Locale } from "@/lib/enums";
import { formatCount } from "@/lib/format";
import { requirePageUser } from "../session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("risk"))("title") };
}

/**
 * The Risk page (customs staff: admins and analysts; members are refused): the hot spots of
 * the newest stored run (db/hotspots.ts, refreshed off the request path), sorted by q, each
 * with its small trend chart and a link to its cases.
 */
export default async function RiskPage() {
  const user = await requirePageUser("readRisk", "/risk");
  const t = await getTranslations("risk");
  const locale = (await getLocale()) as Locale;
  const { run, flags } = await riskHotspots(user);
  const dateTime = (ms: number) =>
    new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(new Date(ms));
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede")}</p>
      {/* the other half of risk work: targeting rules and their hits (issue 18, item 4) */}
      <p>
        <Link href="/risk/profiles" data-testid="risk-profiles-link">{(await getTranslations("profiles"))("listLink")}</Link>
      </p>
      {/* parties with repeated cases and their networks (issue 18, item 2) */}
      <p>
        <Link href="/risk/watch-list" data-testid="watch-list-link">{(await getTranslations("watchlist"))("link")}</Link>
      </p>
      <section aria-labelledby="hotspots-title" data-testid="hotspots">
        <h2 id="hotspots-title">{t("hotspots.title")}</h2>
        {!run || !run.evaluationMonth ? (
          <p className="muted" data-testid="hotspots-no-run">{t("hotspots.noRun")}</p>
        ) : (
          <>
            <p className="muted" data-testid="hotspots-run" data-month={run.evaluationMonth}>
              {t("hotspots.run", {
                month: monthText(run.evaluationMonth, locale),
                series: formatCount(run.seriesCount, locale),
                flags: formatCount(run.flagCount, locale),
                at: dateTime(run.ranAt),
                ms: formatCount(run.tookMs, locale),
              })}
            </p>
            {flags.length === 0 ? (
              <p className="muted" data-testid="hotspots-none">{t("hotspots.none", { month: monthText(run.evaluationMonth, locale) })}</p>
            ) : (
              <div className="hotspot-grid">
                {flags.map((f, i) => <HotspotCard key={`${f.dimension}:${f.value}`} flag={f} month={run.evaluationMonth} index={i} />)}
              </div>
            )}
          </>
        )}
        <details className="panel hotspot-method">
          <summary>{t("hotspots.method")}</summary>
          <p>{t.rich("hotspots.methodText", { en: (chunks) => <span lang="en">{chunks}</span> })}</p>
        </details>
      </section>
    </>
  );
}
