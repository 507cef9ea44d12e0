import { getLocale, getTranslations } from "next-intl/server";
import type { DashboardStats, Figures } from "@/db/repo/dashboard";
import { casesHref, withValues, withYear } from "@/lib/drill";
import type { Locale } from "@/lib/enums";
import { ENUM_FILTERS, type EnumFilterName, type Filters } from "@/lib/filters";
import { partialYears } from "@/lib/chart-scale";
import { BarListChart, DistrictChart, DonutChart, YearChart, type ChartDatum } from "./charts";
import { KpiCards } from "./KpiCards";
import { ComparisonControl } from "./ComparisonControl";
import { periodLabel } from "@/lib/comparison";
import type { SearchParamsInput } from "@/lib/filters";
import type { ComparisonSpec } from "@/lib/period";

const TOP_DISTRICTS = 15;

type EnumLike = { labels: Record<string, { en: string; zh: string }> };

/**
 * KPIs and every chart for one filter; each bar, slice and card links to the case table
 * with its filter added. Used by the dashboard and by the right-holder and district pages.
 * The page reads the figures over the reader's scope (db/repo/dashboard.ts dashboardStats: a
 * member's figures are its own cases') and passes them, or their promise, to await here.
 */
export async function Dashboard({ filters, stats: read, control }: {
  filters: Filters;
  stats: DashboardStats | Promise<DashboardStats>;
  /** the choice of comparison (the main dashboard): the chosen one, and the page's parameters and path */
  control?: { spec: ComparisonSpec; params: SearchParamsInput; action: string };
}) {
  const t = await getTranslations("dashboard.charts");
  const locale = (await getLocale()) as Locale;
  const stats = await read;

  const datum = (key: string, label: string, f: Figures, href: string): ChartDatum => ({
    key, label, cases: f.cases, pieces: f.pieces, valueFen: f.valueFen, href,
  });
  const enumData = (name: EnumFilterName, rows: ({ value: string } & Figures)[]): ChartDatum[] => {
    const labels = (ENUM_FILTERS[name] as unknown as EnumLike).labels;
    return rows.map((r) => datum(r.value, labels[r.value]![locale], r, casesHref(withValues(filters, name, [r.value]))));
  };

  const today = new Date().toISOString().slice(0, 10);
  let years = stats.byYear.map((y) => datum(String(y.year), String(y.year), y, casesHref(withYear(filters, y.year))));
  // the comparison's years, each drawn beside the year as far after the comparison's start as
  // it is after the period's (a year earlier: 2023 beside 2024); years either side get a slot
  const cmp = stats.comparison.period;
  let compared: ChartDatum[] | undefined;
  let comparedPartial: ReturnType<typeof partialYears> | undefined;
  if (cmp && years.length + cmp.byYear.length > 0) {
    const shift = Number((filters.from ?? cmp.from).slice(0, 4)) - Number(cmp.from.slice(0, 4));
    const own = new Map(stats.byYear.map((y) => [y.year, y]));
    const theirs = new Map(cmp.byYear.map((y) => [y.year + shift, y]));
    const slots = [...own.keys(), ...theirs.keys()];
    const first = Math.min(...slots), last = Math.max(...slots);
    const zero = { cases: 0, pieces: 0, valueFen: 0 };
    years = [];
    compared = [];
    for (let y = first; y <= last; y++) {
      years.push(datum(String(y), String(y), own.get(y) ?? zero, casesHref(withYear(filters, y))));
      const year = y - shift;
      compared.push(datum(String(year), String(year), theirs.get(y) ?? zero, casesHref(withYear({ ...filters, from: cmp.from, to: cmp.to }, year))));
    }
    comparedPartial = partialYears(compared.map((d) => Number(d.key)), cmp.from, cmp.to, today);
  }
  const partial = partialYears(years.map((d) => Number(d.key)), filters.from ?? undefined, filters.to ?? undefined, today);
  // one district chosen: its subordinate customs (its own office among them), each opening its cases
  const chosen = filters.district.length === 1 ? stats.byDistrict.find((d) => d.code === filters.district[0]) : undefined;
  const districts = chosen
    ? stats.byOffice
        .filter((o) => o.districtCode === chosen.code)
        .map((o) => datum(o.code, locale === "zh" ? o.nameZh : o.nameEn, o, casesHref(withValues(filters, "office", [o.code]))))
    : stats.byDistrict.map((d) =>
        datum(d.code, locale === "zh" ? d.nameZh : d.nameEn, d, casesHref(withValues(filters, "district", [d.code]))),
      );
  const othersBy = (metric: "cases" | "valueFen"): ChartDatum | null => {
    if (chosen) return null;
    const rest = [...stats.byDistrict].sort((a, b) => b[metric] - a[metric] || a.code.localeCompare(b.code)).slice(TOP_DISTRICTS);
    if (!rest.length) return null;
    const sum = rest.reduce((s, d) => ({ cases: s.cases + d.cases, pieces: s.pieces + d.pieces, valueFen: s.valueFen + d.valueFen }), { cases: 0, pieces: 0, valueFen: 0 });
    return datum("others", t("others", { count: rest.length }), sum, casesHref(withValues(filters, "district", rest.map((d) => d.code))));
  };
  const chosenName = chosen ? (locale === "zh" ? chosen.nameZh : chosen.nameEn) : "";

  return (
    <div className="dashboard" data-testid="dashboard">
      {control && <ComparisonControl {...control} />}
      <KpiCards kpis={stats.kpis} comparison={stats.comparison} href={casesHref(filters)} />
      {stats.kpis.cases === 0 ? (
        <p className="empty-state" data-testid="dashboard-empty">{t("emptyAll")}</p>
      ) : (
        <div className="chart-grid">
          <YearChart
            data={years}
            partial={partial}
            title={t("year.title")}
            unit={t("year.unit")}
            comparison={cmp && compared ? { label: periodLabel(cmp.from, cmp.to, locale), data: compared, partial: comparedPartial! } : undefined}
          />
          <DistrictChart
            data={districts}
            others={{ cases: othersBy("cases"), valueFen: othersBy("valueFen") }}
            title={chosen ? t("district.officesTitle", { name: chosenName }) : t("district.title")}
            unit={
              chosen
                ? { cases: t("district.officesUnitCases"), valueFen: t("district.officesUnitValue") }
                : { cases: t("district.unitCases"), valueFen: t("district.unitValue") }
            }
          />
          <DonutChart id="type" data={enumData("type", stats.byType)} title={t("type.title")} unit={t("type.unit")} />
          <BarListChart id="category" data={enumData("category", stats.byCategory)} title={t("category.title")} unit={t("unitCases")} />
          <BarListChart id="channel" data={enumData("channel", stats.byChannel)} title={t("channel.title")} unit={t("unitCases")} />
          <BarListChart id="transport" data={enumData("transport", stats.byTransport)} title={t("transport.title")} unit={t("unitCases")} />
          <BarListChart id="status" data={enumData("status", stats.byStatus)} title={t("status.title")} unit={t("unitCases")} />
          <BarListChart id="disposal" data={enumData("disposal", stats.byDisposal)} title={t("disposal.title")} unit={t("unitCases")} />
          <BarListChart id="industry" data={enumData("industry", stats.byIndustry)} title={t("industry.title")} unit={t("industry.unit")} wide />
        </div>
      )}
    </div>
  );
}
