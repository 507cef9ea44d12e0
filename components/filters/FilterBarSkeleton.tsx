import { getTranslations } from "next-intl/server";
import { QUICK_PICKS } from "@/lib/period";
import { FacetsSkeleton } from "./Facets";

/**
 * The filter bar's shape while a page loads (its loading.tsx): the same fields and buttons,
 * inert, so that the page arrives without anything around it moving.
 */
export async function FilterBarSkeleton() {
  const t = await getTranslations("cases");
  return (
    <section className="filter-bar" aria-hidden="true" inert>
      <div className="filter-row">
        <label className="search-field">
          <input type="search" placeholder={t("search.placeholder")} disabled />
        </label>
        <label className="date-field">
          <span>{t("dates.from")}</span>
          <input type="date" disabled />
        </label>
        <label className="date-field">
          <span>{t("dates.to")}</span>
          <input type="date" disabled />
        </label>
        <div className="segmented quick-picks">
          {QUICK_PICKS.map((pick) => (
            <button key={pick} type="button" disabled>
              {t(`dates.${pick}`)}
            </button>
          ))}
        </div>
      </div>
      <FacetsSkeleton />
    </section>
  );
}
