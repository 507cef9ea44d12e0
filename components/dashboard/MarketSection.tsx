import { getLocale, getTranslations } from "next-intl/server";
import type { MarketView } from "@/db/repo/market";
import type { Locale } from "@/lib/enums";
import { formatCount } from "@/lib/format";
import { parseMarketPeriod } from "@/lib/market-period";
import { MARKET_MEASURES, MarketTable, measureOf, type MarketMeasure } from "./MarketTable";

/** The dashboard's URL parameters of the market section (the section takes no other filter). */
export const MARKET_PARAMS = { from: "marketFrom", to: "marketTo", measure: "marketMeasure" } as const;

type Params = Record<string, string | string[] | undefined>;

/** The period the section's parameters ask for (every year when they are not valid), and what is wrong with them. */
export function marketPeriod(params: Params) {
  const { fromYear, toYear, problems } = parseMarketPeriod(params, { from: MARKET_PARAMS.from, to: MARKET_PARAMS.to }, true);
  const period = problems.length ? { fromYear: null, toYear: null } : { fromYear, toYear };
  return { period, problems };
}

/**
 * The market section of a member's dashboard: fixed published tables about all cases (by
 * year; district, infringement type, goods category and direction × year) with suppressed
 * cells marked, for a period of whole years chosen here. The page reads the tables for
 * marketPeriod(params) over the member's scope (db/repo/market.ts) and passes the promise.
 */
export async function MarketSection({ params, view: read }: { params: Params; view: Promise<MarketView> }) {
  const t = await getTranslations("market");
  const locale = (await getLocale()) as Locale;
  const { period, problems } = marketPeriod(params);
  const rawMeasure = params[MARKET_PARAMS.measure];
  const measure: MarketMeasure = (MARKET_MEASURES as string[]).includes(String(rawMeasure)) ? (rawMeasure as MarketMeasure) : "cases";
  const view = await read;
  const all = view.availableYears;
  const shownFrom = view.years[0] ?? period.fromYear ?? all[0];
  const shownTo = view.years.at(-1) ?? period.toYear ?? all.at(-1);
  const format = (n: number) => formatCount(n, locale);
  const label = (row: { en: string; zh: string }) => (locale === "zh" ? row.zh : row.en);
  // the dashboard's own parameters ride along, so choosing a period keeps them
  const kept = Object.entries(params).flatMap(([name, v]) =>
    (Object.values(MARKET_PARAMS) as string[]).includes(name) || v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => [name, x] as const),
  );

  return (
    <section className="market" id="market" aria-labelledby="market-title" data-testid="market">
      <h2 id="market-title">{t("title")}</h2>
      <p className="lede">{t("lede")}</p>
      {problems.length > 0 && (
        <p className="notice warning" role="alert">{t("period.invalid", { problem: problems.map((p) => t(`period.problems.${p.kind}`, { value: p.value })).join(locale === "zh" ? "；" : "; ") })}</p>
      )}
      <form method="get" action="/#market" className="market-period">
        <fieldset>
          <legend>{t("period.legend")}</legend>
          {kept.map(([name, value], i) => (
            <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
          ))}
          <label>
            {t("period.from")}{" "}
            <select name={MARKET_PARAMS.from} defaultValue={shownFrom === undefined ? "" : String(shownFrom)}>
              {all.map((y) => <option key={y} value={y}>{y}</option>)}
            </select>
          </label>
          <label>
            {t("period.to")}{" "}
            <select name={MARKET_PARAMS.to} defaultValue={shownTo === undefined ? "" : String(shownTo)}>
              {all.map((y) => <option key={y} value={y}>{y}</option>)}
            </select>
          </label>
          <label>
            {t("period.measure")}{" "}
            <select name={MARKET_PARAMS.measure} defaultValue={measure}>
              {MARKET_MEASURES.map((m) => <option key={m} value={m}>{t(`measures.${m}`)}</option>)}
            </select>
          </label>
          <button type="submit">{t("period.show")}</button>
        </fieldset>
        {view.years.length > 0 && (
          <p className="muted" data-testid="market-period">{t("period.note", { from: view.years[0]!, to: view.years.at(-1)! })}</p>
        )}
      </form>

      <details className="market-legend" open>
        <summary>{t("legend.title")}</summary>
        <ul>
          <li><span className="market-suppressed" aria-hidden="true">x</span> {t("legend.mark")}</li>
          <li>{t("legend.primary", { threshold: view.threshold })}</li>
          <li>{t("legend.secondary")}</li>
          <li>{t("legend.partial")}</li>
          <li>{t("legend.years", { threshold: view.threshold })}</li>
          <li>{t("legend.value")}</li>
        </ul>
      </details>

      {view.years.length === 0 ? (
        <p className="empty-state" data-testid="market-empty">{t("period.none")}</p>
      ) : (
        <>
          <div className="table-scroll market-table narrow" role="region" aria-label={t("tables.byYear")} tabIndex={0} data-market-table="year">
            <table className="data-table">
              <caption>{t("tables.byYear")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("columns.year")}</th>
                  {MARKET_MEASURES.map((m) => <th scope="col" className="num" key={m}>{t(`measures.${m}`)}</th>)}
                </tr>
              </thead>
              <tbody>
                {view.byYear.map((y) => (
                  <tr key={y.year} data-row={y.year}>
                    <th scope="row">{y.year}</th>
                    {MARKET_MEASURES.map((m) => <td className="num" key={m}>{format(measureOf(y, m))}</td>)}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t("columns.total")}</th>
                  {MARKET_MEASURES.map((m) => <td className="num" key={m}>{format(measureOf(view.total, m))}</td>)}
                </tr>
              </tfoot>
            </table>
          </div>
          {view.tables.map((table) => (
            <MarketTable
              key={table.name}
              table={table}
              years={view.years}
              caption={t(`tables.${table.name as "district" | "type" | "category" | "direction"}`, { measure: t(`measures.${measure}`) })}
              rowHeader={t(`columns.${table.name as "district" | "type" | "category" | "direction"}`)}
              totalLabel={t("columns.total")}
              allLabel={t("columns.all")}
              suppressedLabel={t("suppressed")}
              rowLabel={label}
              format={format}
              measure={measure}
            />
          ))}
        </>
      )}
    </section>
  );
}
