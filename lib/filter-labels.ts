import type { Locale } from "./enums";
import { countryName } from "./countries";
import { ENUM_FILTERS, FILTER_NAMES, type EnumFilterName, type FilterName, type Filters } from "./filters";
import en from "../messages/en.json";
import zh from "../messages/zh.json";

// Human words for a Filters value: the chips above the table and the sheet of an XLSX export.
// A filter's name comes from the message catalogs (messages/*.json "filters", the one place,
// which the facet selects use too); the values' labels from lib/enums.ts. Every filter of
// lib/filters.ts has its name in both catalogs (tests/unit/catalogs.test.ts).

export const FILTER_LABELS: Record<FilterName, Bilingual> = Object.fromEntries(
  FILTER_NAMES.map((name) => [name, { en: en.filters[name], zh: zh.filters[name] }]),
) as Record<FilterName, Bilingual>;

export type Bilingual = { en: string; zh: string };
/** Names for the codes and ids a Filters value refers to (looked up in the database). */
export type FilterNames = {
  district: Record<string, Bilingual>;
  office: Record<string, Bilingual>;
  holder: Record<string, Bilingual>;
  campaign: Record<string, Bilingual>;
  /** a recordation's number and mark (a member's: its own company's only) */
  recordation?: Record<string, Bilingual>;
};

export const NO_NAMES: FilterNames = { district: {}, office: {}, holder: {}, campaign: {}, recordation: {} };
/** The chip of `recordation=none`. */
const NO_RECORDATION: Bilingual = { en: "none (to be completed)", zh: "无（待补充）" };

export type FilterChip = { name: FilterName; value: string; label: string };

/** One chip per value: { name, value (as in the URL), label (in the locale) }. */
export function filterChips(filters: Filters, locale: Locale, names: FilterNames = NO_NAMES): FilterChip[] {
  const chips: FilterChip[] = [];
  for (const name of FILTER_NAMES) {
    const v = filters[name];
    const values = Array.isArray(v) ? v.map(String) : v === null ? [] : [String(v)];
    for (const value of values) {
      let label = value;
      if (name in ENUM_FILTERS) {
        const e = ENUM_FILTERS[name as EnumFilterName] as { is(x: unknown): boolean; labels: Record<string, Bilingual> };
        if (e.is(value)) label = e.labels[value]![locale];
      } else if (name === "district" || name === "office" || name === "holder" || name === "campaign") {
        const known = names[name][value];
        label = known ? (name === "district" || name === "office" ? `${known[locale]} (${value})` : known[locale]) : value;
      } else if (name === "origin") {
        // a country's name in the reader's language (the list of lib/countries.ts), as the case page shows it
        label = countryName(value, locale);
      } else if (name === "recordation") {
        const known = value === "none" ? NO_RECORDATION : names.recordation?.[value];
        label = known ? known[locale] : value;
      }
      chips.push({ name, value, label: `${FILTER_LABELS[name][locale]}${locale === "zh" ? "：" : ": "}${label}` });
    }
  }
  return chips;
}

export function filterSummary(filters: Filters, locale: Locale, names: FilterNames = NO_NAMES): { label: string; value: string }[] {
  const chips = filterChips(filters, locale, names);
  const lines: { label: string; value: string }[] = [];
  for (const name of FILTER_NAMES) {
    const mine = chips.filter((c) => c.name === name);
    if (mine.length) {
      const prefix = `${FILTER_LABELS[name][locale]}${locale === "zh" ? "：" : ": "}`;
      lines.push({ label: FILTER_LABELS[name][locale], value: mine.map((c) => c.label.slice(prefix.length)).join(locale === "zh" ? "、" : ", ") });
    }
  }
  return lines;
}
