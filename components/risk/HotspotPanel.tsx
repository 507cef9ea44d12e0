import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { RiskHotspots } from "@/db/repo/risk";
import type { Locale } from "@/lib/enums";
import { formatCount, latinLang } from "@/lib/format";
import { seriesHref } from "@/lib/hotspots";
import { monthText } from "./HotspotCard";

/** How many flags the dashboard lists; the Risk page has all. */
const SHOWN = 8;

/**
 * The dashboard's compact list of the current hot spots within its filter (staff only: the page
 * renders it only for readRisk, and the read returns nothing for anyone else). Each opens its
 * series' cases of the evaluation month.
 */
export async function HotspotPanel({ data: read }: { data: Promise<RiskHotspots | null> }) {
  const data = await read;
  if (!data?.run?.evaluationMonth) return null;
  const t = await getTranslations("risk");
  const locale = (await getLocale()) as Locale;
  const month = data.run.evaluationMonth;
  return (
    <section className="panel hotspot-panel" aria-labelledby="hotspot-panel-title" data-testid="hotspot-panel">
      <h2 id="hotspot-panel-title">{t("hotspots.dashboardTitle")}</h2>
      <p className="muted">{t("hotspots.dashboardRun", { month: monthText(month, locale) })}</p>
      {data.flags.length === 0 ? (
        <p className="muted">{t("hotspots.dashboardNone", { month: monthText(month, locale) })}</p>
      ) : (
        <ul>
          {data.flags.slice(0, SHOWN).map((f) => (
            <li key={`${f.dimension}:${f.value}`} data-dimension={f.dimension} data-value={f.value}>
              <span className="muted">{t(`dimension.${f.dimension}`)}:</span>{" "}
              <Link href={seriesHref(f.dimension, f.value, month)}>
                <span lang={latinLang(f.name[locale])}>{f.name[locale]}</span>
              </Link>{" "}
              — {t("hotspots.observed", { observed: formatCount(f.observed, locale), expected: new Intl.NumberFormat(locale === "zh" ? "zh-CN" : "en-US", { maximumFractionDigits: 1 }).format(f.expected) })}
            </li>
          ))}
        </ul>
      )}
      <p><Link href="/risk">{t("hotspots.dashboardMore")}</Link></p>
    </section>
  );
}
