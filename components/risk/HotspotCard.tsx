import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { NamedFlag } from "@/db/repo/risk";
import { niceScale } from "@/lib/chart-scale";
import type { Locale } from "@/lib/enums";
import { formatCount, intlLocaleOf, latinLang } from "@/lib/format";
import { monthIndex, monthOfIndex, seriesHref } from "@/lib/hotspots";
import { PALETTE } from "@/components/dashboard/charts";

// One hot spot: its series (dimension and value, named in both languages), the month's count
// against the expected level, q and p, a small trend chart drawn on the server as SVG (the
// evaluation month's bar in the second colour, the expected level a dashed mark over it), and
// the link opening the series' cases of that month. The chart is a named figure with a
// summary sentence and its counts as a table.

const W = 264;
const H = 72;
const TOP = 6;
const BOTTOM = 4;

export function monthText(ym: string, locale: Locale, style: "long" | "short" = "long"): string {
  const [y, m] = ym.split("-").map(Number);
  return new Intl.DateTimeFormat(intlLocaleOf(locale), { year: "numeric", month: style, timeZone: "UTC" }).format(new Date(Date.UTC(y!, m! - 1, 1)));
}

const decimal = (n: number, locale: Locale, digits = 1) =>
  new Intl.NumberFormat(intlLocaleOf(locale), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
const small = (n: number, locale: Locale) =>
  n < 0.001 ? n.toExponential(1) : new Intl.NumberFormat(intlLocaleOf(locale), { maximumSignificantDigits: 2 }).format(n);

export async function HotspotCard({ flag, month, index }: { flag: NamedFlag; month: string; index: number }) {
  const t = await getTranslations("risk");
  const locale = (await getLocale()) as Locale;
  const other: Locale = locale === "zh" ? "en" : "zh";
  const name = flag.name[locale];
  const otherName = flag.name[other] !== name ? flag.name[other] : null;
  const counts = flag.counts;
  const first = monthIndex(flag.chartFrom);
  const months = counts.map((_, i) => monthOfIndex(first + i));
  const scale = niceScale(Math.max(...counts, flag.expected, 1), 3, true);
  const y = (v: number) => TOP + (H - TOP - BOTTOM) * (1 - v / scale.max);
  const step = W / counts.length;
  const id = `hotspot-${index}`;
  const before = counts.slice(0, -1);
  const href = seriesHref(flag.dimension, flag.value, month);
  return (
    <article className="panel hotspot" data-testid="hotspot" data-dimension={flag.dimension} data-value={flag.value} aria-labelledby={`${id}-name`}>
      <p className="hotspot-dimension">{t(`dimension.${flag.dimension}`)}</p>
      <h3 id={`${id}-name`} className="hotspot-name">
        <span lang={latinLang(name)}>{name}</span>
        {otherName && <span className="muted hotspot-other" lang={other === "en" ? "en" : "zh"}> · {otherName}</span>}
      </h3>
      <p className="hotspot-figures">
        <strong>{t("hotspots.observed", { observed: formatCount(flag.observed, locale), expected: decimal(flag.expected, locale) })}</strong>
        <br />
        <span className="muted">
          {t("hotspots.ratio", { ratio: decimal(flag.observed / Math.max(flag.expected, 0.1), locale) })} · {t("hotspots.q", { q: small(flag.q, locale), p: small(flag.p, locale) })}
        </span>
      </p>
      <figure className="hotspot-chart" aria-labelledby={`${id}-title`} aria-describedby={`${id}-summary`}>
        <figcaption id={`${id}-title`} className="visually-hidden">
          {t("hotspots.chartTitle", { name, from: monthText(months[0]!, locale), to: monthText(months.at(-1)!, locale) })}
        </figcaption>
        <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} aria-hidden="true" focusable="false">
          <line x1={0} x2={W} y1={y(0)} y2={y(0)} stroke="#767676" strokeWidth={1} />
          {counts.map((c, i) => (
            <rect
              key={i}
              x={i * step + 1}
              width={Math.max(1, step - 2)}
              y={y(c)}
              height={Math.max(0, y(0) - y(c))}
              fill={i === counts.length - 1 ? PALETTE[5] : PALETTE[0]}
            />
          ))}
          <line
            x1={(counts.length - 1) * step - 2}
            x2={W}
            y1={y(flag.expected)}
            y2={y(flag.expected)}
            stroke="#000"
            strokeWidth={2}
            strokeDasharray="3 2"
          />
        </svg>
        <p id={`${id}-summary`} className="chart-summary">
          {t("hotspots.chartSummary", {
            count: formatCount(flag.observed, locale),
            month: monthText(month, locale),
            expected: decimal(flag.expected, locale),
            min: formatCount(before.length ? Math.min(...before) : 0, locale),
            max: formatCount(before.length ? Math.max(...before) : 0, locale),
          })}
        </p>
        <details className="chart-table">
          <summary>{t("hotspots.chartTable")}</summary>
          <table className="data-table">
            <caption className="visually-hidden">{t("hotspots.chartTable")}: {name}</caption>
            <thead>
              <tr>
                <th scope="col">{t("hotspots.month")}</th>
                <th scope="col" className="num">{t("hotspots.cases")}</th>
              </tr>
            </thead>
            <tbody>
              {counts.map((c, i) => (
                <tr key={months[i]}>
                  <th scope="row">{monthText(months[i]!, locale, "short")}</th>
                  <td className="num">{formatCount(c, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figure>
      <p>
        <Link href={href} data-testid="hotspot-open">
          {t("hotspots.open", { count: formatCount(flag.observed, locale), month: monthText(month, locale) })}
        </Link>
      </p>
    </article>
  );
}
