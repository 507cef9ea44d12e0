import { createTranslator } from "use-intl/core";
import type { DashboardStats, Figures, Kpis } from "../../../db/queries/stats";
import { partialYears, sharesPerMille, shareText, type PartialYear } from "../../../lib/chart-scale";
import type { Locale } from "../../../lib/enums";
import { filterSummary, type FilterNames } from "../../../lib/filter-labels";
import { ENUM_FILTERS, type EnumFilterName, type Filters } from "../../../lib/filters";
import { formatChange, formatCount, formatMoney, intlLocaleOf } from "../../../lib/format";
import { periodLabel } from "../../../lib/comparison";
import en from "../../../messages/en.json";
import zh from "../../../messages/zh.json";

// The dashboard report (issue 20 item 4): what the PDF and the XLSX show, as plain data, from
// the same figures the dashboard draws (db/repo/dashboard.ts dashboardStats over the reader's
// scope) and in the same words (the dashboard's own messages). Pure: unit-tested, and drawn by
// components/reports/draw/pdf.ts and written by components/reports/draw/xlsx.ts.

const MESSAGES = { en, zh } as const;

/** A translator over the catalogs, outside a request (next-intl's own formatter, plurals too). */
export function translator(locale: Locale, namespace: string) {
  return createTranslator({ locale, messages: MESSAGES[locale] as Record<string, unknown>, namespace: namespace as never }) as unknown as (
    key: string,
    values?: Record<string, string | number>,
  ) => string;
}

export type ReportRow = Figures & { key: string; label: string; /** per mille of the cases (donut charts) */ sharePerMille?: number };
export type ReportChart = {
  id: string;
  kind: "year" | "bars" | "donut";
  title: string;
  unit: string;
  /** the chart's rows in the dashboard's order, the ones with cases only */
  rows: ReportRow[];
  /** years the period covers in part (year chart) */
  partial?: Map<number, PartialYear>;
};
export type KpiCard = { id: string; label: string; shown: string; now: number | null; before: number | null; change: string | null; money: boolean };
export type ReportModel = {
  locale: Locale;
  title: string;
  generatedAt: string;
  demoNotice: string | null;
  memberNote: string | null;
  filters: { label: string; value: string }[];
  kpis: KpiCard[];
  comparison: string;
  empty: string | null;
  charts: ReportChart[];
};

const TOP_DISTRICTS = 15;

/** "2026-12-01 06:30" in Beijing time (UTC+8, no daylight saving). */
export function beijingTime(at: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** The key figures as the dashboard's cards show them: exact money to the fen, and the change against the chosen comparison's period. */
export function kpiCards(kpis: Kpis, previous: { kpis: Kpis } | null, locale: Locale): KpiCard[] {
  const t = translator(locale, "dashboard.kpi");
  const p = previous?.kpis;
  const money = (fen: number | null) => (fen === null ? "—" : formatMoney(fen, locale));
  const cards: Omit<KpiCard, "change">[] = [
    { id: "cases", label: t("cases"), shown: formatCount(kpis.cases, locale), now: kpis.cases, before: p?.cases ?? null, money: false },
    { id: "pieces", label: t("pieces"), shown: formatCount(kpis.pieces, locale), now: kpis.pieces, before: p?.pieces ?? null, money: false },
    { id: "value", label: t("value"), shown: money(kpis.valueFen), now: kpis.valueFen, before: p?.valueFen ?? null, money: true },
    { id: "right-holders", label: t("rightHolders"), shown: formatCount(kpis.rightHolders, locale), now: kpis.rightHolders, before: p?.rightHolders ?? null, money: false },
    { id: "average-value", label: t("avgValue"), shown: money(kpis.avgValueFen), now: kpis.avgValueFen, before: p?.avgValueFen ?? null, money: true },
  ];
  return cards.map((c) => {
    if (!previous) return { ...c, change: null };
    if (c.before === null || c.before === 0) return { ...c, change: c.now ? t("new") : t("noneEither") };
    const arrow = c.now === null || c.now === c.before ? "" : c.now > c.before ? "▲ " : "▼ ";
    return { ...c, change: `${arrow}${formatChange(c.now ?? 0, c.before, locale)}` };
  });
}

type EnumLike = { labels: Record<string, { en: string; zh: string }> };

/**
 * Every chart of the dashboard with its rows, as the dashboard's figure tables list them: the
 * years from the first to the last with cases; the districts by cases, the top 15 and the rest
 * as one "others" row (one district chosen: its subordinate customs); the enumerations largest
 * first; the infringement types with their shares, which add up to exactly 100.0 %.
 */
export function reportCharts(stats: DashboardStats, filters: Filters, locale: Locale, today: string): ReportChart[] {
  const t = translator(locale, "dashboard.charts");
  const row = (key: string, label: string, f: Figures): ReportRow => ({ key, label, cases: f.cases, pieces: f.pieces, valueFen: f.valueFen });
  const bars = (rows: ReportRow[]) =>
    rows.filter((r) => r.cases > 0).sort((a, b) => Number(a.key === "others") - Number(b.key === "others") || b.cases - a.cases);
  const enumRows = (name: EnumFilterName, rows: ({ value: string } & Figures)[]) => {
    const labels = (ENUM_FILTERS[name] as unknown as EnumLike).labels;
    return rows.map((r) => row(r.value, labels[r.value]![locale], r));
  };

  const years = stats.byYear.filter((y) => y.cases > 0).length ? stats.byYear.map((y) => row(String(y.year), String(y.year), y)) : [];
  const partial = partialYears(stats.byYear.map((y) => y.year), filters.from ?? undefined, filters.to ?? undefined, today);

  const chosen = filters.district.length === 1 ? stats.byDistrict.find((d) => d.code === filters.district[0]) : undefined;
  const name = (n: { nameEn: string; nameZh: string }) => (locale === "zh" ? n.nameZh : n.nameEn);
  let districts: ReportRow[];
  if (chosen) {
    districts = stats.byOffice.filter((o) => o.districtCode === chosen.code).map((o) => row(o.code, name(o), o));
  } else {
    const sorted = [...stats.byDistrict].sort((a, b) => b.cases - a.cases || a.code.localeCompare(b.code));
    districts = sorted.slice(0, TOP_DISTRICTS).map((d) => row(d.code, name(d), d));
    const rest = sorted.slice(TOP_DISTRICTS);
    if (rest.length) {
      const sum = rest.reduce((s, d) => ({ cases: s.cases + d.cases, pieces: s.pieces + d.pieces, valueFen: s.valueFen + d.valueFen }), { cases: 0, pieces: 0, valueFen: 0 });
      districts.push(row("others", t("others", { count: rest.length }), sum));
    }
  }

  const types = enumRows("type", stats.byType).filter((r) => r.cases > 0).sort((a, b) => b.cases - a.cases);
  const perMille = sharesPerMille(types.map((r) => r.cases));
  types.forEach((r, i) => (r.sharePerMille = perMille[i]));

  return [
    { id: "year", kind: "year", title: t("year.title"), unit: t("year.unit"), rows: years, partial },
    {
      id: "district",
      kind: "bars",
      title: chosen ? t("district.officesTitle", { name: name(chosen) }) : t("district.title"),
      unit: chosen ? t("district.officesUnitCases") : t("district.unitCases"),
      rows: bars(districts),
    },
    { id: "type", kind: "donut", title: t("type.title"), unit: t("type.unit"), rows: types },
    { id: "category", kind: "bars", title: t("category.title"), unit: t("unitCases"), rows: bars(enumRows("category", stats.byCategory)) },
    { id: "channel", kind: "bars", title: t("channel.title"), unit: t("unitCases"), rows: bars(enumRows("channel", stats.byChannel)) },
    { id: "transport", kind: "bars", title: t("transport.title"), unit: t("unitCases"), rows: bars(enumRows("transport", stats.byTransport)) },
    { id: "status", kind: "bars", title: t("status.title"), unit: t("unitCases"), rows: bars(enumRows("status", stats.byStatus)) },
    { id: "disposal", kind: "bars", title: t("disposal.title"), unit: t("unitCases"), rows: bars(enumRows("disposal", stats.byDisposal)) },
    { id: "industry", kind: "bars", title: t("industry.title"), unit: t("industry.unit"), rows: bars(enumRows("industry", stats.byIndustry)) },
  ];
}

/** A chart's figures as the rows of its table, as text: item, cases, [share], pieces, value (exact to the fen). */
export function tableRows(chart: ReportChart, locale: Locale): { header: string[]; rows: string[][] } {
  const t = translator(locale, "dashboard.charts");
  const shares = chart.kind === "donut";
  const header = [t("label"), t("cases"), ...(shares ? [t("share")] : []), t("pieces"), t("value")];
  const rows = chart.rows.filter((r) => r.cases > 0).map((r) => [
    r.label,
    formatCount(r.cases, locale),
    ...(shares ? [shareText(r.sharePerMille ?? 0, intlLocaleOf(locale))] : []),
    formatCount(r.pieces, locale),
    formatMoney(r.valueFen, locale),
  ]);
  return { header, rows };
}

/** Everything the report shows, in the reader's language. `member`: the report of a member (its own company's cases). */
export function reportModel(input: {
  stats: DashboardStats;
  filters: Filters;
  names: FilterNames;
  locale: Locale;
  now: Date;
  demo: boolean;
  member: boolean;
}): ReportModel {
  const { stats, filters, names, locale, now } = input;
  const t = translator(locale, "reports");
  const summary = filterSummary(filters, locale, names);
  // the year a period covers in part: as the dashboard decides it (today as a UTC date)
  const today = now.toISOString().slice(0, 10);
  return {
    locale,
    title: t("title"),
    generatedAt: t("generatedAt", { time: beijingTime(now) }),
    demoNotice: input.demo ? translator(locale, "demo")("notice") : null,
    memberNote: input.member ? t("memberScope") : null,
    // no filter: one line without a name (the heading says "Filters")
    filters: summary.length ? summary : [{ label: "", value: t("noFilters") }],
    // the chosen comparison (cmp=prev|yoy|custom), as the dashboard's cards show it
    kpis: kpiCards(stats.kpis, stats.comparison.period, locale),
    comparison: stats.comparison.period
      ? t("comparedWith", {
          kind: translator(locale, "comparison")(`kinds.${stats.comparison.kind}`),
          period: periodLabel(stats.comparison.period.from, stats.comparison.period.to, locale),
          partial: stats.comparison.period.partial ? t("partialMark") : "",
        })
      : t("noPrevious"),
    empty: stats.kpis.cases === 0 ? translator(locale, "dashboard.charts")("emptyAll") : null,
    charts: stats.kpis.cases === 0 ? [] : reportCharts(stats, filters, locale, today),
  };
}
