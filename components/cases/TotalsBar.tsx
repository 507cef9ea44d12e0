import { getLocale, getTranslations } from "next-intl/server";
import type { CaseTotals } from "@/db/repo/dashboard";
import type { Locale } from "@/lib/enums";
import { formatCount, formatMoney } from "@/lib/format";

/** The filtered cases' totals; the page starts the read (db/repo/dashboard.ts caseTotals) and passes its promise. */
export async function TotalsBar({ totals: read }: { totals: Promise<CaseTotals> }) {
  const t = await getTranslations("cases.totals");
  const locale = (await getLocale()) as Locale;
  const totals = await read;
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
