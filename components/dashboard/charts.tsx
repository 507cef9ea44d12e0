"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ComposedChart,
  Legend,
  Line,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import type { Locale } from "@/lib/enums";
import { formatCount, formatMoney, intlLocaleOf } from "@/lib/format";

// The dashboard's charts. Data, labels and drill-down links come from the server; these
// components only draw them. Every chart also has its figures as a table with the same
// links, so it can be read and followed without a mouse or without sight.

export type ChartDatum = { key: string; label: string; cases: number; pieces: number; valueFen: number; href: string };
export type Metric = "cases" | "valueFen";

// Okabe–Ito: eight colours that stay apart for the common forms of colour blindness.
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
const BAR = PALETTE[0]!;
const LINE = PALETTE[5]!;

function compact(n: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocaleOf(locale), { notation: "compact", maximumFractionDigits: 1 }).format(n);
}

/** Value axis ticks in yuan, compact ("1.2B", "12亿"). */
function yuanTick(fen: number, locale: Locale): string {
  return compact(fen / 100, locale);
}

/** Legend entries in the text colour (Recharts colours them like their series, too pale for some). */
function legendText(value: string) {
  return <span className="legend-text">{value}</span>;
}

/** Recharts measures its box after hydration; until then the panel keeps its height. */
function useMounted(): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

function ChartTooltip({ active, payload, locale }: Partial<TooltipContentProps<number, string>> & { locale: Locale }) {
  const t = useTranslations("dashboard.charts");
  const datum = active && payload?.length ? (payload[0]!.payload as ChartDatum | undefined) : undefined;
  if (!datum) return null;
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-title">{datum.label}</p>
      <dl>
        <div><dt>{t("cases")}</dt><dd>{formatCount(datum.cases, locale)}</dd></div>
        <div><dt>{t("pieces")}</dt><dd>{formatCount(datum.pieces, locale)}</dd></div>
        <div><dt>{t("value")}</dt><dd>{formatMoney(datum.valueFen, locale)}</dd></div>
      </dl>
    </div>
  );
}

export function ChartPanel({ id, title, unit, data, wide = false, tools, children }: {
  id: string;
  title: string;
  unit: string;
  data: ChartDatum[];
  wide?: boolean;
  tools?: React.ReactNode;
  children: React.ReactNode;
}) {
  const t = useTranslations("dashboard.charts");
  const locale = useLocale() as Locale;
  const mounted = useMounted();
  const empty = data.every((d) => d.cases === 0);
  return (
    <figure className={`panel chart${wide ? " wide" : ""}`} data-chart={id} aria-labelledby={`chart-${id}`}>
      <div className="chart-head">
        <div>
          <h2 id={`chart-${id}`}>{title}</h2>
          <p className="chart-unit">{unit}</p>
        </div>
        {tools}
      </div>
      {empty ? (
        <p className="chart-empty" data-testid="chart-empty">{t("empty")}</p>
      ) : (
        <>
          <div className="chart-box">{mounted ? children : <div className="chart-placeholder skeleton" aria-hidden="true" />}</div>
          <details className="chart-table">
            <summary>{t("table")}</summary>
            <table className="data-table">
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("label")}</th>
                  <th scope="col" className="num">{t("cases")}</th>
                  <th scope="col" className="num">{t("pieces")}</th>
                  <th scope="col" className="num">{t("value")}</th>
                </tr>
              </thead>
              <tbody>
                {data.filter((d) => d.cases > 0).map((d) => (
                  <tr key={d.key}>
                    <th scope="row"><Link href={d.href}>{d.label}</Link></th>
                    <td className="num">{formatCount(d.cases, locale)}</td>
                    <td className="num">{formatCount(d.pieces, locale)}</td>
                    <td className="num">{formatMoney(d.valueFen, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}

function useDrill() {
  const router = useRouter();
  return (datum: ChartDatum | undefined) => {
    if (datum) router.push(datum.href);
  };
}

/** Cases per year as bars, value as a line on its own axis. */
export function YearChart({ data, title, unit }: { data: ChartDatum[]; title: string; unit: string }) {
  const t = useTranslations("dashboard.charts");
  const locale = useLocale() as Locale;
  const drill = useDrill();
  return (
    <ChartPanel id="year" title={title} unit={unit} data={data} wide>
      <ResponsiveContainer width="100%" height={300}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tickLine={false} />
          <YAxis yAxisId="cases" tickFormatter={(n: number) => compact(n, locale)} width={56} />
          <YAxis yAxisId="value" orientation="right" tickFormatter={(n: number) => yuanTick(n, locale)} width={64} />
          <Tooltip content={<ChartTooltip locale={locale} />} />
          <Legend formatter={legendText} />
          <Bar yAxisId="cases" dataKey="cases" name={t("cases")} fill={BAR} maxBarSize={56} cursor="pointer" onClick={(_, i) => drill(data[i])} />
          <Line yAxisId="value" dataKey="valueFen" name={t("valueYuan")} stroke={LINE} strokeWidth={2.5} dot={{ r: 3 }} type="monotone" />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartPanel>
  );
}

/** Horizontal bars, largest first, for one metric. */
export function BarListChart({ id, data, title, unit, metric = "cases", wide = false, tools, labelWidth = 150 }: {
  id: string;
  data: ChartDatum[];
  title: string;
  unit: string;
  metric?: Metric;
  wide?: boolean;
  tools?: React.ReactNode;
  labelWidth?: number;
}) {
  const locale = useLocale() as Locale;
  const t = useTranslations("dashboard.charts");
  const drill = useDrill();
  // largest first; an "others" bar stays last
  const shown = data
    .filter((d) => d.cases > 0)
    .sort((a, b) => Number(a.key === "others") - Number(b.key === "others") || b[metric] - a[metric]);
  const height = Math.max(140, shown.length * 28 + 40);
  return (
    <ChartPanel id={id} title={title} unit={unit} data={data} wide={wide} tools={tools}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={shown} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tickFormatter={(n: number) => (metric === "valueFen" ? yuanTick(n, locale) : compact(n, locale))} />
          <YAxis type="category" dataKey="label" width={labelWidth} tick={{ fontSize: 12 }} interval={0} />
          <Tooltip content={<ChartTooltip locale={locale} />} cursor={{ fill: "rgba(0,114,178,0.08)" }} />
          <Bar dataKey={metric} name={metric === "cases" ? t("cases") : t("valueYuan")} fill={BAR} maxBarSize={28} cursor="pointer" onClick={(_, i) => drill(shown[i])} />
        </BarChart>
      </ResponsiveContainer>
    </ChartPanel>
  );
}

/** The districts chart: top 15 by the chosen metric, the rest as one "others" bar. */
export function DistrictChart({ data, others, title, unit }: {
  data: ChartDatum[];
  /** every district outside the top 15, by metric, with the link that lists them together */
  others: { cases: ChartDatum | null; valueFen: ChartDatum | null };
  title: string;
  unit: { cases: string; valueFen: string };
}) {
  const t = useTranslations("dashboard.charts");
  const [metric, setMetric] = useState<Metric>("cases");
  const top = [...data].sort((a, b) => b[metric] - a[metric]).slice(0, 15);
  const rest = others[metric];
  const shown = rest ? [...top, rest] : top;
  const tools = (
    <div className="segmented" role="group" aria-label={t("metric")}>
      {(["cases", "valueFen"] as const).map((m) => (
        <button key={m} type="button" aria-pressed={metric === m} onClick={() => setMetric(m)}>
          {m === "cases" ? t("byCases") : t("byValue")}
        </button>
      ))}
    </div>
  );
  return (
    <BarListChart
      id="district"
      data={shown}
      title={title}
      unit={unit[metric]}
      metric={metric}
      tools={tools}
      wide
      labelWidth={170}
    />
  );
}

/** A donut of shares, for few values (infringement types). */
export function DonutChart({ id, data, title, unit }: { id: string; data: ChartDatum[]; title: string; unit: string }) {
  const locale = useLocale() as Locale;
  const drill = useDrill();
  const shown = data.filter((d) => d.cases > 0).sort((a, b) => b.cases - a.cases);
  return (
    <ChartPanel id={id} title={title} unit={unit} data={data}>
      <ResponsiveContainer width="100%" height={280}>
        <PieChart>
          <Pie
            data={shown}
            dataKey="cases"
            nameKey="label"
            innerRadius="55%"
            outerRadius="85%"
            paddingAngle={shown.length > 1 ? 1 : 0}
            cursor="pointer"
            onClick={(_, i) => drill(shown[i])}
            isAnimationActive={false}
          >
            {shown.map((d, i) => (
              <Cell key={d.key} fill={PALETTE[i % PALETTE.length]} stroke="#fff" />
            ))}
          </Pie>
          <Tooltip content={<ChartTooltip locale={locale} />} />
          <Legend layout="vertical" align="right" verticalAlign="middle" formatter={legendText} />
        </PieChart>
      </ResponsiveContainer>
    </ChartPanel>
  );
}
