import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { donutArc as arc, niceScale, PALETTE, shareText, sharesPerMille, type PartialYear } from "@/lib/chart-scale";
import type { Locale } from "@/lib/enums";
import { formatCount, formatMoney, intlLocaleOf } from "@/lib/format";
import { MetricSwitch } from "./MetricSwitch";

// The dashboard's charts, drawn on the server as SVG and HTML: no chart code reaches the
// browser. Every bar, point and slice is a link to its cases; hover and focus tips are CSS.
// Each chart is a named figure with a summary sentence and its figures as a table with the
// same links, so it can be read and followed without a mouse or without sight.

export type ChartDatum = { key: string; label: string; cases: number; pieces: number; valueFen: number; href: string };
export type Metric = "cases" | "valueFen";

export { PALETTE };
const BAR = PALETTE[0]!;
const LINE = PALETTE[5]!;
/** the chosen comparison: outlines and a dotted line in dark grey */
const CMP = "#4d4d4d";

/** Axis text: "2.5M" / "250万", exact for round steps. */
function compact(n: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocaleOf(locale), { notation: "compact", maximumFractionDigits: 2 }).format(n);
}

/** The tip shown on hover and focus: a datum's three figures (CSS only, hidden otherwise). */
async function Tip({ d, extra }: { d: ChartDatum; extra?: string }) {
  const t = await getTranslations("dashboard.charts");
  const locale = (await getLocale()) as Locale;
  return (
    <span className="chart-tip" aria-hidden="true">
      <span className="chart-tip-title">{d.label}{extra ? ` · ${extra}` : ""}</span>
      <span className="chart-tip-row"><span>{t("cases")}</span><span>{formatCount(d.cases, locale)}</span></span>
      <span className="chart-tip-row"><span>{t("pieces")}</span><span>{formatCount(d.pieces, locale)}</span></span>
      <span className="chart-tip-row"><span>{t("value")}</span><span>{formatMoney(d.valueFen, locale)}</span></span>
    </span>
  );
}

/** A named figure: title, unit, the drawing, a summary sentence and the figures as a table. */
async function ChartPanel({ id, title, unit, summary, data, wide = false, shares, head, compare, children }: {
  id: string;
  title: string;
  unit: string;
  summary: string;
  data: ChartDatum[];
  wide?: boolean;
  /** per mille by key, for a share column */
  shares?: Map<string, number>;
  /** the district chart draws two figures, one per metric */
  head?: { metric?: Metric };
  /** the year chart's comparison: its figures beside each row (same order as data) */
  compare?: { data: ChartDatum[]; label: string; partial: (d: ChartDatum) => string };
  children: React.ReactNode;
}) {
  const c = await getTranslations("comparison");
  const t = await getTranslations("dashboard.charts");
  const locale = (await getLocale()) as Locale;
  const empty = data.every((d) => d.cases === 0);
  const domId = `chart-${id}${head?.metric ? `-${head.metric}` : ""}`;
  return (
    <figure
      className={`panel chart${wide ? " wide" : ""}`}
      data-chart={head?.metric ? undefined : id}
      data-metric={head?.metric}
      aria-labelledby={domId}
      aria-describedby={empty ? undefined : `${domId}-summary`}
    >
      <div className="chart-head">
        <h2 id={domId}>{title}</h2>
        <p className="chart-unit">{unit}</p>
      </div>
      {empty ? (
        <p className="chart-empty" data-testid="chart-empty">{t("empty")}</p>
      ) : (
        <>
          {children}
          <p className="chart-summary" id={`${domId}-summary`}>{summary}</p>
          <details className="chart-table">
            <summary>{t("table")}</summary>
            <table className="data-table">
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("label")}</th>
                  <th scope="col" className="num">{t("cases")}</th>
                  {shares && <th scope="col" className="num">{t("share")}</th>}
                  <th scope="col" className="num">{t("pieces")}</th>
                  <th scope="col" className="num">{t("value")}</th>
                  {compare && (
                    <>
                      <th scope="col">{c("tableYear")}</th>
                      <th scope="col" className="num">{c("tableCases", { period: compare.label })}</th>
                      <th scope="col" className="num">{c("tableValue", { period: compare.label })}</th>
                    </>
                  )}
                </tr>
              </thead>
              <tbody>
                {data.map((d, i) => [d, compare?.data[i]] as const).filter(([d, then]) => d.cases > 0 || (then?.cases ?? 0) > 0).map(([d, then]) => (
                  <tr key={d.key} data-key={d.key}>
                    <th scope="row">{d.cases > 0 ? <Link href={d.href}>{d.label}</Link> : d.label}</th>
                    <td className="num">{formatCount(d.cases, locale)}</td>
                    {shares && <td className="num">{shareText(shares.get(d.key) ?? 0, intlLocaleOf(locale))}</td>}
                    <td className="num">{formatCount(d.pieces, locale)}</td>
                    <td className="num">{formatMoney(d.valueFen, locale)}</td>
                    {compare && then && (
                      <>
                        <td data-cmp-year={then.key}>
                          {then.cases > 0 ? <Link href={then.href}>{then.label}</Link> : then.label}
                          {compare.partial(then) && <small className="partial-label">{compare.partial(then)}</small>}
                        </td>
                        <td className="num">{formatCount(then.cases, locale)}</td>
                        <td className="num">{formatMoney(then.valueFen, locale)}</td>
                      </>
                    )}
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

const PLOT_HEIGHT = 240;

/**
 * Cases per year as bars on the left axis, value as a line of straight segments on the right
 * axis. A year the period only partly covers is hatched, its segments dashed, and labelled
 * "to 06-07". Both axes step by round amounts.
 */
export async function YearChart({ data, partial, title, unit, comparison }: {
  data: ChartDatum[];
  partial: Map<number, PartialYear>;
  title: string;
  unit: string;
  /** the chosen comparison's years, one beside each of `data` (outlined bars, a dotted line) */
  comparison?: { label: string; data: ChartDatum[]; partial: Map<number, PartialYear> };
}) {
  const t = await getTranslations("dashboard.charts");
  const c = await getTranslations("comparison");
  const locale = (await getLocale()) as Locale;
  const n = Math.max(1, data.length);
  const both = comparison ? [...data, ...comparison.data] : data;
  const cases = niceScale(Math.max(0, ...both.map((d) => d.cases)), 5, true);
  const yuan = niceScale(Math.max(0, ...both.map((d) => d.valueFen / 100)), 5);
  const cmpPartOf = (d: ChartDatum) => comparison?.partial.get(Number(d.key));
  const yCases = (v: number) => PLOT_HEIGHT - (v / cases.max) * PLOT_HEIGHT;
  const yValue = (fen: number) => PLOT_HEIGHT - (fen / 100 / yuan.max) * PLOT_HEIGHT;
  const x = (i: number) => `${(((i + 0.5) / n) * 100).toFixed(3)}%`;
  const partOf = (d: ChartDatum) => partial.get(Number(d.key));
  const partText = (p: PartialYear | undefined) =>
    !p ? "" : p.from && p.to ? t("year.between", { from: p.from, to: p.to }) : p.from ? t("year.from", { from: p.from }) : t("year.to", { to: p.to! });

  const withCases = data.filter((d) => d.cases > 0);
  const topCases = [...withCases].sort((a, b) => b.cases - a.cases)[0];
  const topValue = [...withCases].sort((a, b) => b.valueFen - a.valueFen)[0];
  const summary = topCases && topValue
    ? [
        t("year.summary", {
          first: data[0]!.label, last: data.at(-1)!.label,
          top: topCases.label, cases: formatCount(topCases.cases, locale),
          topValue: topValue.label, value: formatMoney(topValue.valueFen, locale),
        }),
        ...[...partial.values()].map((p) => t("year.partialNote", { year: String(p.year), part: partText(p) })),
        ...(comparison
          ? [
              c("chartSummary", {
                period: comparison.label,
                cases: formatCount(comparison.data.reduce((s, d) => s + d.cases, 0), locale),
                value: formatMoney(comparison.data.reduce((s, d) => s + d.valueFen, 0), locale),
              }),
              ...[...comparison.partial.values()].map((p) => t("year.partialNote", { year: String(p.year), part: partText(p) })),
            ]
          : []),
      ].join(" ")
    : "";
  const cmpAt = (i: number) => comparison?.data[i];

  return (
    <ChartPanel
      id="year"
      title={title}
      unit={unit}
      summary={summary}
      data={data}
      wide
      compare={comparison && { data: comparison.data, label: comparison.label, partial: (d) => partText(cmpPartOf(d)) }}
    >
      <div className="year-chart">
        <div className="axis axis-left" aria-hidden="true">
          {cases.ticks.map((v) => (
            <span key={v} style={{ top: yCases(v) }}>{formatCount(v, locale)}</span>
          ))}
        </div>
        <div className="year-plot">
          <svg className="chart-svg" width="100%" height={PLOT_HEIGHT} aria-hidden="true" focusable="false">
            <defs>
              <pattern id="year-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
                <rect width="6" height="6" fill={BAR} fillOpacity="0.25" />
                <line x1="0" y1="0" x2="0" y2="6" stroke={BAR} strokeWidth="3" />
              </pattern>
              {comparison && (
                <pattern id="year-hatch-cmp" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
                  <rect width="6" height="6" fill="#fff" />
                  <line x1="0" y1="0" x2="0" y2="6" stroke={CMP} strokeWidth="1.5" />
                </pattern>
              )}
            </defs>
            {cases.ticks.map((v) => (
              <line key={v} className="grid" x1="0" x2="100%" y1={yCases(v)} y2={yCases(v)} />
            ))}
            {data.map((d, i) => {
              const top = yCases(d.cases);
              const part = partOf(d);
              return (
                <rect
                  key={d.key}
                  className={part ? "bar partial" : "bar"}
                  x={`${(((i + (comparison ? 0.5 : 0.2)) / n) * 100).toFixed(3)}%`}
                  width={`${(((comparison ? 0.34 : 0.6) / n) * 100).toFixed(3)}%`}
                  y={top}
                  height={PLOT_HEIGHT - top}
                  fill={part ? "url(#year-hatch)" : BAR}
                  stroke={part ? BAR : undefined}
                  strokeDasharray={part ? "4 3" : undefined}
                />
              );
            })}
            {comparison?.data.map((d, i) => {
              const top = yCases(d.cases);
              const part = cmpPartOf(d);
              return (
                <rect
                  key={`cmp-${i}`}
                  className={part ? "cmp-bar cmp-bar-partial" : "cmp-bar"}
                  x={`${(((i + 0.14) / n) * 100).toFixed(3)}%`}
                  width={`${((0.34 / n) * 100).toFixed(3)}%`}
                  y={top}
                  height={PLOT_HEIGHT - top}
                  fill={part ? "url(#year-hatch-cmp)" : "#fff"}
                  stroke={CMP}
                  strokeWidth="1.5"
                  strokeDasharray={part ? "4 3" : undefined}
                />
              );
            })}
            {comparison?.data.slice(1).map((d, k) => (
              <line
                key={`cmp-${k}`}
                className="cmp-line"
                x1={x(k)} y1={yValue(comparison.data[k]!.valueFen)} x2={x(k + 1)} y2={yValue(d.valueFen)}
                stroke={CMP} strokeWidth="1.5" strokeDasharray="2 3"
              />
            ))}
            {comparison?.data.map((d, i) => (
              <circle key={`cmp-p-${i}`} className="cmp-point" cx={x(i)} cy={yValue(d.valueFen)} r="3.5" fill="#fff" stroke={CMP} strokeWidth="1.5" />
            ))}
            {data.slice(1).map((d, k) => {
              const a = data[k]!;
              const dashed = partOf(a) || partOf(d);
              return (
                <line
                  key={d.key}
                  className="value-line"
                  x1={x(k)} y1={yValue(a.valueFen)} x2={x(k + 1)} y2={yValue(d.valueFen)}
                  stroke={LINE} strokeWidth="2.5" strokeDasharray={dashed ? "6 4" : undefined}
                />
              );
            })}
            {data.map((d, i) => (
              <circle key={d.key} className="value-point" cx={x(i)} cy={yValue(d.valueFen)} r="4" stroke={LINE} strokeWidth="2" fill={partOf(d) ? "#fff" : LINE} />
            ))}
          </svg>
          <div className="year-hits">
            {data.map((d, i) => {
              const part = partText(partOf(d));
              return d.cases > 0 ? (
                <Link
                  key={d.key}
                  href={d.href}
                  className="year-hit"
                  data-year={d.key}
                  aria-label={[
                    t("year.hitLabel", { year: d.label, part: part ? t("year.hitPart", { part }) : "", cases: formatCount(d.cases, locale), value: formatMoney(d.valueFen, locale) }),
                    cmpAt(i) ? t("year.hitLabel", { year: cmpAt(i)!.label, part: "", cases: formatCount(cmpAt(i)!.cases, locale), value: formatMoney(cmpAt(i)!.valueFen, locale) }) : "",
                  ].filter(Boolean).join("; ")}
                >
                  <Tip d={d} extra={part || undefined} />
                </Link>
              ) : (
                <span key={d.key} className="year-hit" />
              );
            })}
          </div>
          <div className="year-labels" aria-hidden="true">
            {data.map((d, i) => {
              const part = partText(partOf(d));
              return (
                <span key={d.key} data-year={d.key}>
                  {d.label}
                  {part && <small className="partial-label">{part}</small>}
                  {cmpAt(i) && <small className="cmp-label">{c("vs", { period: locale === "zh" ? `${cmpAt(i)!.label}年` : cmpAt(i)!.label })}</small>}
                </span>
              );
            })}
          </div>
        </div>
        <div className="axis axis-right" aria-hidden="true">
          {yuan.ticks.map((v) => (
            <span key={v} style={{ top: yValue(v * 100) }}>{compact(v, locale)}</span>
          ))}
        </div>
      </div>
      <p className="year-legend" aria-hidden="true">
        <span className="key key-bar" />{t("cases")}
        <span className="key key-line" />{t("valueYuan")}
        {(partial.size > 0 || (comparison?.partial.size ?? 0) > 0) && (<><span className="key key-partial" />{t("year.partialKey")}</>)}
        {comparison && (<><span className="key key-cmp" />{c("chartKey", { period: comparison.label })}</>)}
      </p>
    </ChartPanel>
  );
}

/** Horizontal bars, largest first (an "others" bar last), each with its value written. */
export async function BarListChart({ id, data, title, unit, metric = "cases", wide = false, head }: {
  id: string;
  data: ChartDatum[];
  title: string;
  unit: string;
  metric?: Metric;
  wide?: boolean;
  head?: { metric?: Metric };
}) {
  const t = await getTranslations("dashboard.charts");
  const locale = (await getLocale()) as Locale;
  const shown = data
    .filter((d) => d.cases > 0)
    .sort((a, b) => Number(a.key === "others") - Number(b.key === "others") || b[metric] - a[metric]);
  const max = Math.max(0, ...shown.map((d) => d[metric]));
  const total = shown.reduce((s, d) => s + d[metric], 0);
  const text = (d: ChartDatum) => (metric === "cases" ? formatCount(d.cases, locale) : formatMoney(d.valueFen, locale));
  const top = shown.find((d) => d.key !== "others");
  const summary = top
    ? t(metric === "cases" ? "bars.summaryCases" : "bars.summaryValue", {
        count: shown.length,
        top: top.label,
        figure: text(top),
        share: shareText(Math.round((top[metric] / total) * 1000), intlLocaleOf(locale)),
      })
    : "";
  return (
    <ChartPanel id={id} title={title} unit={unit} summary={summary} data={shown} wide={wide} head={head}>
      <ol className="bar-list">
        {shown.map((d) => (
          <li key={d.key} data-key={d.key}>
            <Link href={d.href} className="bar-row">
              <span className="bar-label">{d.label}</span>
              <svg className="bar-track" width="100%" height="18" aria-hidden="true" focusable="false">
                <rect width={`${max ? ((d[metric] / max) * 100).toFixed(3) : 0}%`} height="18" rx="2" fill={BAR} />
              </svg>
              <span className="bar-value">{text(d)}</span>
              <Tip d={d} />
            </Link>
          </li>
        ))}
      </ol>
    </ChartPanel>
  );
}

/**
 * The districts chart, by cases or by value (both drawn; a switch shows one): the top 15 and
 * the rest as one "others" bar. With one district chosen, its subordinate customs instead.
 */
export async function DistrictChart({ data, others, title, unit }: {
  data: ChartDatum[];
  /** every district outside the top 15, by metric, with the link that lists them together */
  others: { cases: ChartDatum | null; valueFen: ChartDatum | null };
  title: string;
  unit: { cases: string; valueFen: string };
}) {
  const t = await getTranslations("dashboard.charts");
  const view = (metric: Metric) => {
    const top = [...data].sort((a, b) => b[metric] - a[metric]).slice(0, 15);
    const rest = others[metric];
    return rest ? [...top, rest] : top;
  };
  return (
    <MetricSwitch
      label={t("metric")}
      names={{ cases: t("byCases"), valueFen: t("byValue") }}
      views={{
        cases: <BarListChart id="district" data={view("cases")} title={title} unit={unit.cases} metric="cases" head={{ metric: "cases" }} />,
        valueFen: <BarListChart id="district" data={view("valueFen")} title={title} unit={unit.valueFen} metric="valueFen" head={{ metric: "valueFen" }} />,
      }}
    />
  );
}

/** A donut of shares of cases, with a legend whose shares add up to exactly 100.0 %. */
export async function DonutChart({ id, data, title, unit }: { id: string; data: ChartDatum[]; title: string; unit: string }) {
  const t = await getTranslations("dashboard.charts");
  const locale = (await getLocale()) as Locale;
  const shown = data.filter((d) => d.cases > 0).sort((a, b) => b.cases - a.cases);
  const perMille = sharesPerMille(shown.map((d) => d.cases));
  const shares = new Map(shown.map((d, i) => [d.key, perMille[i]!]));
  const total = shown.reduce((s, d) => s + d.cases, 0);
  const intl = intlLocaleOf(locale);
  let angle = 0;
  const slices = shown.map((d, i) => {
    const sweep = (d.cases / total) * 2 * Math.PI;
    const from = angle;
    angle += sweep;
    // a whole circle cannot be one arc: draw it as two halves
    const path = sweep >= 2 * Math.PI - 1e-9 ? `${arc(0, Math.PI, 90, 54)} ${arc(Math.PI, 2 * Math.PI, 90, 54)}` : arc(from, angle, 90, 54);
    return { d, path, colour: PALETTE[i % PALETTE.length]!, share: shareText(perMille[i]!, intl) };
  });
  const summary = shown.length
    ? t("donut.summary", { count: shown.length, top: shown[0]!.label, share: slices[0]!.share, total: formatCount(total, locale) })
    : "";
  return (
    <ChartPanel id={id} title={title} unit={unit} summary={summary} data={shown} shares={shares}>
      <div className="donut">
        <svg className="chart-svg" viewBox="0 0 200 200" width="200" height="200" aria-hidden="true" focusable="false">
          <g className="donut-total">
            <text x="100" y="98" textAnchor="middle" className="donut-big">{formatCount(total, locale)}</text>
            <text x="100" y="118" textAnchor="middle">{t("cases")}</text>
          </g>
          {slices.map((s) => (
            <a key={s.d.key} href={s.d.href} tabIndex={-1} className="slice">
              <path d={s.path} fill={s.colour} stroke="#fff" strokeWidth="1.5" />
              <g className="slice-tip">
                <text x="100" y="98" textAnchor="middle" className="donut-big">{s.share}</text>
                <text x="100" y="118" textAnchor="middle">{s.d.label}</text>
              </g>
            </a>
          ))}
        </svg>
        <ul className="donut-legend">
          {slices.map((s) => (
            <li key={s.d.key} data-key={s.d.key}>
              <Link href={s.d.href} className="legend-row">
                <svg width="12" height="12" aria-hidden="true" focusable="false"><rect width="12" height="12" rx="2" fill={s.colour} /></svg>
                <span className="legend-label">{s.d.label}</span>
                <span className="legend-share" data-share>{s.share}</span>
                <span className="legend-count">{formatCount(s.d.cases, locale)}</span>
                <Tip d={s.d} extra={s.share} />
              </Link>
            </li>
          ))}
        </ul>
      </div>
    </ChartPanel>
  );
}
