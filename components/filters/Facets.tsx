import { getLocale, getTranslations } from "next-intl/server";
import type { FacetData } from "@/db/repo/dashboard";
import { ENUM_FILTERS, FACET_NAMES, type FacetName, type Filters } from "@/lib/filters";
import type { Locale } from "@/lib/enums";
import { FacetSelect, RouteFilters, type FacetOption } from "./FacetSelect";

type EnumLike = { values: readonly string[]; labels: Record<string, { en: string; zh: string }> };

/**
 * Facet selects with counts under the current filters (each facet ignores its own filter).
 * The page starts the read (db/repo/dashboard.ts facetData, over the reader's scope) and
 * passes its promise. The selects are drawn at once, in their final shape (nothing moves when
 * the counts arrive); each gets its options as a promise, read when its panel opens.
 */
export async function Facets({ filters, data }: { filters: Filters; data: Promise<FacetData> }) {
  const t = await getTranslations("filters");
  const tr = await getTranslations("routeFilters");
  const tc = await getTranslations("cases.facets");
  const locale = (await getLocale()) as Locale;
  const options = facetOptions(filters, data, locale);
  const routeSet = filters.port.length + filters.origin.length + filters.hs.length + (filters.party ? 1 : 0);
  // settled here too, so that a failed read is not an unhandled rejection on the server
  options.catch(() => undefined);
  return (
    <div className="filter-row facets">
      {FACET_NAMES.map((name) => (
        <FacetSelect
          key={name}
          name={name}
          label={t(name)}
          options={options.then((all) => all[name].options)}
          selected={(filters[name] as (string | number)[]).map(String)}
          searchable={SEARCHABLE.has(name)}
        />
      ))}
      {/* the route and party filters: no counts, nothing read from the database; the button says how many are set */}
      <details id="route-filters" className="facet route-filters" data-testid="route-filters">
        <summary>
          {tr("summary")}
          {routeSet > 0 && <span className="facet-badge">{tc("selected", { count: routeSet })}</span>}
        </summary>
        <div className="route-mount" data-loading={tc("loading")}>
          <RouteFilters values={{ port: filters.port, origin: filters.origin, hs: filters.hs, party: filters.party ?? "" }} />
        </div>
      </details>
    </div>
  );
}

/** The facets that list many values get a search box. */
const SEARCHABLE = new Set<FacetName>(["district", "office", "holder"]);

/** Every facet's options with their counts, once the counts are read. */
async function facetOptions(filters: Filters, data: Promise<FacetData>, locale: Locale): Promise<Record<FacetName, { options: FacetOption[] }>> {
  const { counts, districts: districtsWithOffices, campaigns: campaignList, holders: holderList } = await data;
  const name = (n: { nameEn: string; nameZh: string }) => (locale === "zh" ? n.nameZh : n.nameEn);
  const byCount = (a: FacetOption, b: FacetOption) => (b.count ?? 0) - (a.count ?? 0);

  const enumOptions = (facet: Exclude<keyof typeof ENUM_FILTERS, "port">): FacetOption[] => {
    const e = ENUM_FILTERS[facet] as unknown as EnumLike;
    return e.values.map((value) => ({ value, label: e.labels[value]![locale], count: counts[facet].get(value) ?? 0 }));
  };
  // only values with cases (and the chosen ones, so that they can be unticked)
  const withCases = (facet: "district" | "office" | "campaign", options: FacetOption[]) =>
    options.filter((o) => (o.count ?? 0) > 0 || (filters[facet] as string[]).includes(o.value));

  const districts = withCases(
    "district",
    districtsWithOffices.map((d) => ({ value: d.code, label: name(d), count: counts.district.get(d.code) ?? 0 })),
  ).sort((a, b) => byCount(a, b) || a.value.localeCompare(b.value));
  // the subordinate customs, under their district's name, in code order
  const offices = withCases(
    "office",
    districtsWithOffices.flatMap((d) =>
      d.subordinates.map((o) => ({
        value: o.code,
        label: locale === "zh" ? `${d.nameZh} › ${o.nameZh}（${o.code}）` : `${d.nameEn} › ${o.nameEn} (${o.code})`,
        count: counts.office.get(o.code) ?? 0,
      })),
    ),
  );
  const campaigns = withCases(
    "campaign",
    campaignList.map((c) => ({ value: c.code, label: name(c), count: counts.campaign.get(c.code) ?? 0 })),
  ).sort(byCount);
  // unknown codes from the URL stay listed, so that they can be unticked
  for (const [facet, list] of [["district", districts], ["office", offices], ["campaign", campaigns]] as const) {
    for (const code of filters[facet]) if (!list.some((o) => o.value === code)) list.push({ value: code, label: code, count: 0 });
  }
  // a member chooses among their own company only: the others named in their cases stay unnamed
  const holders: FacetOption[] = holderList
    .map((h) => ({ value: String(h.id), label: locale === "zh" ? (h.nameZh ?? h.name) : h.name, count: counts.holder.get(String(h.id)) ?? 0 }))
    .sort((a, b) => byCount(a, b) || a.label.localeCompare(b.label));
  // the facets that are not one enumeration; the long lists get a search box
  const listed: Partial<Record<string, { options: FacetOption[] }>> = {
    district: { options: districts },
    office: { options: offices },
    holder: { options: holders },
    campaign: { options: campaigns },
  };
  return Object.fromEntries(
    FACET_NAMES.map((name) => [name, listed[name] ?? { options: enumOptions(name as Exclude<keyof typeof ENUM_FILTERS, "port">) }]),
  ) as Record<FacetName, { options: FacetOption[] }>;
}

/** The facet selects' shape while a page loads: the same buttons, not yet working. */
export async function FacetsSkeleton() {
  const t = await getTranslations("filters");
  const tr = await getTranslations("routeFilters");
  return (
    <div className="filter-row facets" aria-hidden="true" inert>
      {FACET_NAMES.map((name) => (
        <details key={name} className="facet">
          <summary tabIndex={-1}>{t(name)}</summary>
        </details>
      ))}
      <details className="facet route-filters">
        <summary tabIndex={-1}>{tr("summary")}</summary>
      </details>
    </div>
  );
}
