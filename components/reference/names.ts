import type { Locale } from "@/lib/enums";

// Names shown on the reference pages, in the reader's language first.

/** "United States" / "美国" for "US" (lib/countries.ts, the same list as the country picker); the code itself when unknown. */
export { countryName } from "@/lib/countries";

export type TwoNames = { primary: string; primaryLang: string; secondary: string | null; secondaryLang: string };

/** A bilingual name split into the one to show first and the other (null when there is none). */
export function twoNames(en: string, zh: string | null, locale: Locale): TwoNames {
  if (locale === "zh" && zh) return { primary: zh, primaryLang: "zh-CN", secondary: en, secondaryLang: "en" };
  return { primary: en, primaryLang: "en", secondary: zh && zh !== en ? zh : null, secondaryLang: "zh-CN" };
}
