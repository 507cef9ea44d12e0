import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { HolderTable, type HolderRow } from "@/components/reference/HolderTable";
import { countryName, twoNames } from "@/components/reference/names";
import { FilterExplorer } from "@/components/filters/FilterExplorer";
import { filterNames } from "@/db/repo/cases";
import { facetData, holderFigures } from "@/db/repo/dashboard";
import { listRightHolderFacts } from "@/db/repo/reference";
import { casesHref, hrefWith, withValues } from "@/lib/drill";
import { industries, type Locale } from "@/lib/enums";
import { formatCount, formatMoney } from "@/lib/format";
import { parseFilters } from "@/lib/filters";
import { pathWithQuery, requirePageReader } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("reference.holders");
  return { title: t("title") };
}

export default async function RightHoldersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const t = await getTranslations("reference.holders");
  const locale = (await getLocale()) as Locale;
  const raw = await searchParams;
  // a member sees its own company here, with its own cases' figures; analysts and admins every one
  const { scope } = await requirePageReader("readAggregates", pathWithQuery("/right-holders", raw));
  const { filters, ignored } = parseFilters(raw);
  const figures = await holderFigures(scope, filters);
  // a holder's page sets the holder itself; every other filter goes along
  const pageFilters = withValues(filters, "holder", []);

  const rows: HolderRow[] = (await listRightHolderFacts(scope)).map((h) => {
    const f = figures.get(h.id) ?? { cases: 0, pieces: 0, valueFen: 0 };
    return {
      id: h.id,
      ...twoNames(h.name, h.nameZh, locale),
      href: hrefWith(`/right-holders/${h.id}`, pageFilters),
      industry: industries.label(h.industry, locale),
      country: countryName(h.country, locale),
      qbpcMember: h.qbpcMember,
      ...f,
      casesText: formatCount(f.cases, locale),
      piecesText: formatCount(f.pieces, locale),
      valueText: formatMoney(f.valueFen, locale),
      casesHref: f.cases > 0 ? casesHref(withValues(filters, "holder", [h.id])) : null,
    };
  });

  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lede">{t(scope.restrictToHolders ? "ledeMember" : "lede")}</p>
      <FilterExplorer filters={filters} ignored={ignored} names={filterNames(scope, filters)} facets={facetData(scope, filters)}>
        <HolderTable rows={rows} />
      </FilterExplorer>
    </>
  );
}
