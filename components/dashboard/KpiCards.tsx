import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { Kpis } from "@/db/repo/dashboard";
import type { Locale } from "@/lib/enums";
import { formatChange, formatCount, formatMoney, formatPeriod } from "@/lib/format";

type Card = { id: string; label: string; shown: string; money?: boolean; now: number | null; before: number | null };

/** The key figures, each with its change against the previous period of equal length; each opens the cases. */
export async function KpiCards({ kpis, previous, href }: {
  kpis: Kpis;
  previous: { from: string; to: string; kpis: Kpis } | null;
  href: string;
}) {
  const t = await getTranslations("dashboard.kpi");
  const locale = (await getLocale()) as Locale;
  // money exact to the fen, as analysts quote it (issue 19 item 5)
  const money = (fen: number | null) => (fen === null ? "—" : formatMoney(fen, locale));
  const p = previous?.kpis;
  const cards: Card[] = [
    { id: "cases", label: t("cases"), shown: formatCount(kpis.cases, locale), now: kpis.cases, before: p?.cases ?? null },
    { id: "pieces", label: t("pieces"), shown: formatCount(kpis.pieces, locale), now: kpis.pieces, before: p?.pieces ?? null },
    { id: "value", label: t("value"), shown: money(kpis.valueFen), money: true, now: kpis.valueFen, before: p?.valueFen ?? null },
    { id: "right-holders", label: t("rightHolders"), shown: formatCount(kpis.rightHolders, locale), now: kpis.rightHolders, before: p?.rightHolders ?? null },
    { id: "average-value", label: t("avgValue"), shown: money(kpis.avgValueFen), money: true, now: kpis.avgValueFen, before: p?.avgValueFen ?? null },
  ];
  const period = previous ? formatPeriod(previous.from, previous.to, locale) : null;

  /** The change against the previous period: a signed percentage, or a word when there is no base. */
  const change = (card: Card): string => {
    if (card.before === null || card.before === 0) return card.now ? t("new") : t("noneEither");
    return formatChange(card.now ?? 0, card.before, locale)!;
  };
  const direction = (card: Card) =>
    !previous || card.before === null || card.before === 0 || card.now === null ? "none" : card.now > card.before ? "up" : card.now < card.before ? "down" : "same";

  return (
    <section aria-label={t("label")} className="kpis">
      <div className="kpi-grid">
      {cards.map((card) => (
        <Link key={card.id} href={href} className="kpi-card" data-kpi={card.id}>
          <span className="kpi-label">{card.label}</span>
          <span className={card.money ? "kpi-value kpi-money" : "kpi-value"} data-exact={card.shown}>
            {card.shown}
          </span>
          {previous && (
            <span className={`kpi-change ${direction(card)}`} data-testid="kpi-change">
              <strong>
                <span aria-hidden="true">{{ up: "▲ ", down: "▼ ", same: "", none: "" }[direction(card)]}</span>
                {change(card)}
              </strong>{" "}
              {t("vsPeriod", { period: period! })}
            </span>
          )}
        </Link>
      ))}
      </div>
      {!previous && <p className="kpi-note muted">{t("noPrevious")}</p>}
    </section>
  );
}
