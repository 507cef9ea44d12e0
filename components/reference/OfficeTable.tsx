import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { Figures } from "@/db/repo/dashboard";
import { provinceLabel, type Locale } from "@/lib/enums";
import { formatCount, formatMoney, intlLocaleOf } from "@/lib/format";
import { twoNames } from "./names";

// Customs districts and offices with their figures, grouped: a district's row, then its own
// office and its subordinate customs indented under it. Every figure opens its cases.

export type OfficeRow = Figures & {
  code: string;
  nameEn: string;
  nameZh: string;
  province: string;
  /** the page of a district; null for an office */
  href: string | null;
  /** the cases behind the figures; null when there are none */
  casesHref: string | null;
  /** "Kunming Customs itself": the district's own office beside its subordinates */
  own?: boolean;
};
export type OfficeGroup = { head: OfficeRow | null; offices: OfficeRow[] };

export async function OfficeTable({ groups, total, caption, nameHeader, testId }: {
  /** with a head row each, the offices are indented under their district */
  groups: OfficeGroup[];
  total: OfficeRow | null;
  caption: string;
  nameHeader: string;
  testId: string;
}) {
  const t = await getTranslations("reference.districts");
  const locale = (await getLocale()) as Locale;
  const pageLang = intlLocaleOf(locale);

  const row = (r: OfficeRow, kind: "district" | "office" | "total") => {
    const names = twoNames(r.nameEn, r.nameZh, locale);
    const primary = r.own ? t("ownOffice", { name: names.primary }) : names.primary;
    const figure = (text: string) => (r.casesHref ? <Link href={r.casesHref}>{text}</Link> : text);
    return (
      <tr key={`${kind}-${r.code}`} className={`ref-${kind}`} data-code={kind === "total" ? undefined : r.code} data-kind={kind}>
        <th scope="row">
          <span className="ref-name">
            {r.href ? (
              <Link href={r.href} lang={names.primaryLang !== pageLang ? names.primaryLang : undefined}>
                {primary}
              </Link>
            ) : (
              <span lang={names.primaryLang !== pageLang ? names.primaryLang : undefined}>{primary}</span>
            )}
            {names.secondary && kind !== "total" && !r.own && (
              <span className="ref-alt" lang={names.secondaryLang}>
                {names.secondary}
              </span>
            )}
          </span>
        </th>
        <td>{kind === "total" ? "" : r.code}</td>
        <td>{r.province ? provinceLabel(r.province, locale) : ""}</td>
        <td className="num" data-figure="cases">{figure(formatCount(r.cases, locale))}</td>
        <td className="num" data-figure="pieces">{figure(formatCount(r.pieces, locale))}</td>
        <td className="num" data-figure="value">{figure(formatMoney(r.valueFen, locale))}</td>
      </tr>
    );
  };

  return (
    <div className="table-scroll">
      <table className={`data-table ref-table ref-offices${groups.some((g) => g.head) ? " nested" : ""}`} data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{nameHeader}</th>
            <th scope="col">{t("code")}</th>
            <th scope="col">{t("province")}</th>
            <th scope="col" className="num">{t("cases")}</th>
            <th scope="col" className="num">{t("pieces")}</th>
            <th scope="col" className="num">{t("value")}</th>
          </tr>
        </thead>
        {groups.map((g, i) => (
          <tbody key={g.head?.code ?? i}>
            {g.head && row(g.head, "district")}
            {g.offices.map((o) => row(o, "office"))}
          </tbody>
        ))}
        {total && <tfoot>{row(total, "total")}</tfoot>}
      </table>
    </div>
  );
}
