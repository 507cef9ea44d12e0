import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { DashboardComparison, Kpis } from "@/db/repo/dashboard";
import { difference, periodLabel, signedCount, signedMoney, signedPercent } from "@/lib/comparison";
import type { Locale } from "@/lib/enums";
import { formatCount, formatMoney } from "@/lib/format";

type Card = { id: string; label: string; money?: boolean; now: number | null; before: number | null };

/**
 * The key figures, each with the chosen comparison (issue 20, item 2): the comparison period's
 * figure, the difference in absolute terms and per cent (no per cent of a zero base), and
 * "partial" on a period that runs past today or starts before the first case. Each card opens the cases.
 */
export async function KpiCards({ kpis, comparison, href }: { kpis: Kpis; comparison: DashboardComparison; href: string }) {
  const t = await getTranslations("dashboard.kpi");
  const c = await getTranslations("comparison");
  const locale = (await getLocale()) as Locale;
  // money exact to the fen, as analysts quote it (issue 19 item 5)
  const money = (fen: number | null) => (fen === null ? "—" : formatMoney(fen, locale));
  const period = comparison.period;
  const p = period?.kpis;
  const cards: Card[] = [
    { id: "cases", label: t("cases"), now: kpis.cases, before: p?.cases ?? null },
    { id: "pieces", label: t("pieces"), now: kpis.pieces, before: p?.pieces ?? null },
    { id: "value", label: t("value"), money: true, now: kpis.valueFen, before: p?.valueFen ?? null },
    { id: "right-holders", label: t("rightHolders"), now: kpis.rightHolders, before: p?.rightHolders ?? null },
    { id: "average-value", label: t("avgValue"), money: true, now: kpis.avgValueFen, before: p?.avgValueFen ?? null },
  ];
  const shown = (card: Card, n: number | null) => (card.money ? money(n) : n === null ? "—" : formatCount(n, locale));
  const label = period ? periodLabel(period.from, period.to, locale) : "";
  const partialTag = <span className="cmp-partial">{c("partial")}</span>;

  const direction = (card: Card) =>
    card.before === null || card.now === null ? "none" : card.now > card.before ? "up" : card.now < card.before ? "down" : "same";
  /** "+12.3% (+134)"; without a base, the absolute change and why there is no per cent */
  const change = (card: Card) => {
    const d = difference(card.now, card.before);
    if (d.absolute === null) return c("noFigure");
    const absolute = card.money ? signedMoney(d.absolute, locale) : signedCount(d.absolute, locale);
    return d.percent === null ? c("changeNoPercent", { absolute }) : c("change", { percent: signedPercent(d.percent, locale), absolute });
  };

  return (
    <section aria-label={t("label")} className="kpis" data-comparison={comparison.kind}>
      <div className="kpi-grid">
        {cards.map((card) => (
          <Link key={card.id} href={href} className="kpi-card" data-kpi={card.id}>
            <span className="kpi-label">
              {card.label}
              {period && comparison.current.partial && <> {partialTag}</>}
            </span>
            <span className={card.money ? "kpi-value kpi-money" : "kpi-value"} data-exact={shown(card, card.now)}>
              {shown(card, card.now)}
            </span>
            {period && (
              <>
                <span className={`kpi-change ${direction(card)}`} data-testid="kpi-change">
                  <strong>
                    <span aria-hidden="true">{{ up: "▲ ", down: "▼ ", same: "", none: "" }[direction(card)]}</span>
                    {change(card)}
                  </strong>{" "}
                  {c("vs", { period: label })}
                </span>
                <span className="kpi-then" data-testid="kpi-then" data-exact={shown(card, card.before)}>
                  {c("then", { period: label, figure: shown(card, card.before) })}
                  {period.partial && <> {partialTag}</>}
                </span>
              </>
            )}
          </Link>
        ))}
      </div>
      {period ? (
        (comparison.current.partial || period.partial) && (
          <p className="kpi-note muted" data-testid="kpi-partial-note">
            {[comparison.current.partial ? c("partialCurrent") : "", period.partial ? c("partialComparison", { period: label }) : ""].filter(Boolean).join(" ")}
          </p>
        )
      ) : (
        <p className="kpi-note muted">{c("noStart")}</p>
      )}
    </section>
  );
}
