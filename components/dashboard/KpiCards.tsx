import { getLocale, getTranslations } from "next-intl/server";
import type { Locale } from "@/lib/enums";
import { formatCount, formatMoney } from "@/lib/format";

export type KpiFigures = { cases: number; pieces: number; valueFen: number; rightHolders: number };

export async function KpiCards({ figures }: { figures: KpiFigures }) {
  const t = await getTranslations("home.kpi");
  const locale = (await getLocale()) as Locale;
  const cards = [
    { id: "cases", label: t("cases"), value: formatCount(figures.cases, locale) },
    { id: "pieces", label: t("pieces"), value: formatCount(figures.pieces, locale) },
    { id: "value", label: t("value"), value: formatMoney(figures.valueFen, locale) },
    { id: "right-holders", label: t("rightHolders"), value: formatCount(figures.rightHolders, locale) },
  ];
  return (
    <section aria-label={t("label")} className="kpi-grid">
      {cards.map((card) => (
        <div key={card.id} className="kpi-card" data-kpi={card.id}>
          <p className="kpi-label" id={`kpi-${card.id}`}>
            {card.label}
          </p>
          <p className="kpi-value" aria-labelledby={`kpi-${card.id}`}>
            {card.value}
          </p>
        </div>
      ))}
    </section>
  );
}
