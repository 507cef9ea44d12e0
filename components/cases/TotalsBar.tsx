import { getLocale, getTranslations } from "next-intl/server";
import { budgetedRead } from "@/db/budget";
import type { Locale } from "@/lib/enums";
import type { Filters } from "@/lib/filters";
import type { FilterOptions } from "@/db/case-filters";
import { formatCount, formatMoney } from "@/lib/format";

export async function TotalsBar({ filters, scope = {} }: { filters: Filters; scope?: FilterOptions }) {
  const t = await getTranslations("cases.totals");
  const locale = (await getLocale()) as Locale;
  const totals = await budgetedRead("caseTotals", filters, scope);
  return (
    <dl className="totals" aria-label={t("label")} data-testid="totals">
      <div data-total="cases">
        <dt>{t("cases")}</dt>
        <dd>{formatCount(totals.cases, locale)}</dd>
      </div>
      <div data-total="pieces">
        <dt>{t("pieces")}</dt>
        <dd>{formatCount(totals.pieces, locale)}</dd>
      </div>
      <div data-total="value">
        <dt>{t("value")}</dt>
        <dd>{formatMoney(totals.valueFen, locale)}</dd>
      </div>
    </dl>
  );
}

export function TotalsSkeleton() {
  return <div className="totals skeleton totals-placeholder" aria-hidden="true" />;
}
