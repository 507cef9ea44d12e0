import { getLocale } from "next-intl/server";
import { ExplorerNavigation } from "@/components/filters/ExplorerNavigation";
import { Facets } from "@/components/filters/Facets";
import { FilterBar } from "@/components/filters/FilterBar";
import { FilterDrawer } from "@/components/filters/FilterDrawer";
import { IgnoredNotice } from "@/components/ui/IgnoredNotice";
import type { FacetData } from "@/db/repo/dashboard";
import type { Locale } from "@/lib/enums";
import { filterChips, type FilterNames } from "@/lib/filter-labels";
import type { Filters, Ignored } from "@/lib/filters";

/**
 * The filter bar (text, dates, facets with counts, chips) above the dashboard or a reference
 * page's results; the URL keeps the filters, so every link on the page can carry them.
 * Counts, holder choices and chip names are the reader's scope's (a member: its own company):
 * the page starts both reads (db/repo: filterNames, facetData) and passes their promises.
 */
export async function FilterExplorer({ filters, ignored, names, facets, children }: {
  filters: Filters;
  ignored: Ignored[];
  names: Promise<FilterNames>;
  facets: Promise<FacetData>;
  children: React.ReactNode;
}) {
  const locale = (await getLocale()) as Locale;
  const chips = filterChips(filters, locale, await names);
  return (
    <>
      <IgnoredNotice ignored={ignored} />
      <ExplorerNavigation>
        <FilterDrawer active={chips.length}>
          <FilterBar q={filters.q ?? ""} from={filters.from ?? ""} to={filters.to ?? ""} chips={chips}>
            {/* drawn at once, kept across changes (focus stays), options arriving later */}
            <Facets filters={filters} data={facets} />
          </FilterBar>
        </FilterDrawer>
        <div className="explorer-results">{children}</div>
      </ExplorerNavigation>
    </>
  );
}
