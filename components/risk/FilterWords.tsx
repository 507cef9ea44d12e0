import { getLocale, getTranslations } from "next-intl/server";
import type { Locale } from "@/lib/enums";
import { filterSummary, type FilterNames } from "@/lib/filter-labels";
import { latinLang } from "@/lib/format";
import { profileFilters } from "@/lib/risk-profiles";

/** A profile's filter stated in words (lib/filter-labels.ts), with staff's names for codes and ids (the page reads them: filterNames). */
export async function FilterWords({ query, names }: { query: string; names: Promise<FilterNames> }) {
  const t = await getTranslations("profiles");
  const locale = (await getLocale()) as Locale;
  const filters = profileFilters(query);
  const lines = filterSummary(filters, locale, await names);
  if (!lines.length) return <p className="muted">{t("noFilter")}</p>;
  return (
    <dl className="profile-filter" data-testid="profile-filter">
      {lines.map((l) => (
        <div key={l.label}>
          <dt>{l.label}</dt>
          <dd lang={latinLang(l.value)}>{l.value}</dd>
        </div>
      ))}
    </dl>
  );
}
