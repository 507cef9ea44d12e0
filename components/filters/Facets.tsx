import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { COLUMN_FACETS, campaignFacet, districtFacet, facetCounts, industryFacet, listRightHolders, officeFacet } from "@/db/queries/cases";
import { holderFigures } from "@/db/queries/stats";
import { ENUM_FILTERS, type Filters } from "@/lib/filters";
import type { FilterOptions } from "@/db/case-filters";
import type { Locale } from "@/lib/enums";
import { FacetSelect, type FacetOption } from "./FacetSelect";

type EnumLike = { values: readonly string[]; labels: Record<string, { en: string; zh: string }> };

/** Facet selects with counts under the current filters (each facet ignores its own filter). */
export async function Facets({ filters, scope = {} }: { filters: Filters; scope?: FilterOptions }) {
  const t = await getTranslations("cases.facets");
  const locale = (await getLocale()) as Locale;
  const db = getDb();

  const enumOptions = (name: keyof typeof ENUM_FILTERS, counts: Map<string, number>): FacetOption[] => {
    const e = ENUM_FILTERS[name] as unknown as EnumLike;
    return e.values.map((value) => ({ value, label: e.labels[value]![locale], count: counts.get(value) ?? 0 }));
  };

  const districts: FacetOption[] = districtFacet(db, filters, scope).map((d) => ({
    value: d.code,
    label: locale === "zh" ? d.nameZh : d.nameEn,
    count: d.count,
  }));
  for (const code of filters.district) {
    if (!districts.some((d) => d.value === code)) districts.push({ value: code, label: code, count: 0 });
  }
  // the subordinate customs, under their district's name
  const offices: FacetOption[] = officeFacet(db, filters, scope).map((o) => ({
    value: o.code,
    label: locale === "zh" ? `${o.district.nameZh} › ${o.nameZh}（${o.code}）` : `${o.district.nameEn} › ${o.nameEn} (${o.code})`,
    count: o.count,
  }));
  for (const code of filters.office) {
    if (!offices.some((o) => o.value === code)) offices.push({ value: code, label: code, count: 0 });
  }
  const campaigns: FacetOption[] = campaignFacet(db, filters, scope).map((c) => ({
    value: c.code,
    label: locale === "zh" ? c.nameZh : c.nameEn,
    count: c.count,
  }));
  // right holders: counts under every other filter (from the dashboard cube where it can)
  const holderCounts = holderFigures(db, { ...filters, holder: [] }, scope);
  // a member chooses among their own company only: the others named in their cases stay unnamed
  const holders: FacetOption[] = listRightHolders(db)
    .filter((h) => !scope.restrictToHolders || scope.restrictToHolders.includes(h.id))
    .map((h) => ({ value: String(h.id), label: locale === "zh" ? (h.nameZh ?? h.name) : h.name, count: holderCounts.get(h.id)?.cases ?? 0 }))
    .sort((a, b) => (b.count ?? 0) - (a.count ?? 0) || a.label.localeCompare(b.label));
  const groups: { name: string; options: FacetOption[]; searchable?: boolean }[] = [
    { name: "district", options: districts, searchable: true },
    { name: "office", options: offices, searchable: true },
    ...COLUMN_FACETS.map((name) => ({
      name,
      options: enumOptions(name, new Map(facetCounts(db, filters, name, scope).map((c) => [c.value, c.count]))),
    })),
    { name: "industry", options: enumOptions("industry", new Map(industryFacet(db, filters, scope).map((c) => [c.value, c.count]))) },
    { name: "holder", options: holders, searchable: true },
    { name: "campaign", options: campaigns },
  ];
  return (
    <div className="filter-row facets">
      {groups.map((g) => (
        <FacetSelect
          key={g.name}
          name={g.name}
          label={t(g.name as "district")}
          options={g.options}
          selected={(filters[g.name as keyof Filters] as (string | number)[]).map(String)}
          searchable={g.searchable}
        />
      ))}
    </div>
  );
}

export function FacetsSkeleton() {
  return (
    <div className="filter-row facets" aria-hidden="true">
      {Array.from({ length: 13 }, (_, i) => (
        <span key={i} className="facet skeleton facet-placeholder" />
      ))}
    </div>
  );
}
