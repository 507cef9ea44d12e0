import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { recordationPanel } from "@/db/repo/recordations";
import { casesHref, withValues } from "@/lib/drill";
import type { Locale } from "@/lib/enums";
import type { Filters } from "@/lib/filters";
import { formatCount, formatDate, formatMoney } from "@/lib/format";

type Panel = Awaited<ReturnType<typeof recordationPanel>>;

/**
 * The dashboard's recordation panel: approved recordations whose validity ends within 6
 * months (soonest first; renewal is due), and the filtered cases by the recordation they rest
 * on (most first), each a link to its cases. The page reads both in the reader's scope (a
 * member: its own company's recordations only, db/queries/recordations.ts).
 */
export async function RecordationPanel({ filters, panel: read }: { filters: Filters; panel: Panel | Promise<Panel> }) {
  const t = await getTranslations("dashboard.recordations");
  const locale = (await getLocale()) as Locale;
  const { expiring, byRecordation } = await read;
  const title = (r: { titleEn: string; titleZh: string | null }) => (locale === "zh" && r.titleZh ? r.titleZh : r.titleEn);
  return (
    <section className="panel recordation-panel" aria-labelledby="recordation-panel-title" data-testid="recordation-panel">
      <h2 id="recordation-panel-title">{t("title")}</h2>
      <div className="recordation-panel-grid">
        <div className="table-scroll" role="region" aria-label={t("expiring")} tabIndex={0} data-testid="recordations-expiring">
          <table className="data-table">
            <caption>{t("expiring")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("number")}</th>
                <th scope="col">{t("holder")}</th>
                <th scope="col">{t("validTo")}</th>
              </tr>
            </thead>
            <tbody>
              {expiring.length === 0 ? (
                <tr>
                  <td colSpan={3} className="muted">{t("noneExpiring")}</td>
                </tr>
              ) : (
                expiring.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      <Link href={`/recordations/${r.id}`}>{`${r.number} ${title(r)}`}</Link>
                    </th>
                    <td>{r.holderName}</td>
                    <td className="date">{formatDate(r.validTo, locale)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <div className="table-scroll" role="region" aria-label={t("byRecordation")} tabIndex={0} data-testid="cases-by-recordation">
          <table className="data-table">
            <caption>{t("byRecordation")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("number")}</th>
                <th scope="col" className="num">{t("cases")}</th>
                <th scope="col" className="num">{t("value")}</th>
              </tr>
            </thead>
            <tbody>
              {byRecordation.length === 0 ? (
                <tr>
                  <td colSpan={3} className="muted">{t("noCases")}</td>
                </tr>
              ) : (
                byRecordation.map((r) => (
                  <tr key={r.id} data-recordation={r.id}>
                    <th scope="row">
                      <Link href={casesHref(withValues(filters, "recordation", [r.id]))}>{`${r.number} ${title(r)}`}</Link>
                    </th>
                    <td className="num">{formatCount(r.cases, locale)}</td>
                    <td className="num">{formatMoney(r.valueFen, locale)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </div>
      <p className="muted">
        <Link href={casesHref(withValues(filters, "recordation", ["none"]))} data-testid="cases-without-recordation">{t("without")}</Link>
      </p>
    </section>
  );
}
