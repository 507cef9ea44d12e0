import { getLocale, getTranslations } from "next-intl/server";
import type { DistrictTotal } from "@/db/queries/overview";
import type { Locale } from "@/lib/enums";
import { formatCount, formatMoney } from "@/lib/format";

export async function LargestDistricts({ districts }: { districts: DistrictTotal[] }) {
  const t = await getTranslations("home.districts");
  const locale = (await getLocale()) as Locale;
  return (
    <section className="panel" aria-labelledby="largest-districts">
      <h2 id="largest-districts">{t("title")}</h2>
      <table className="data-table" data-testid="largest-districts">
        <caption>{t("caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("district")}</th>
            <th scope="col">{t("code")}</th>
            <th scope="col" className="num">{t("cases")}</th>
            <th scope="col" className="num">{t("pieces")}</th>
            <th scope="col" className="num">{t("value")}</th>
          </tr>
        </thead>
        <tbody>
          {districts.map((d) => (
            <tr key={d.code} data-district={d.code}>
              <th scope="row">{locale === "zh" ? d.nameZh : d.nameEn}</th>
              <td>{d.code}</td>
              <td className="num">{formatCount(d.cases, locale)}</td>
              <td className="num">{formatCount(d.pieces, locale)}</td>
              <td className="num">{formatMoney(d.valueFen, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
