import type { Locale } from "@/lib/enums";
import { intlLocaleOf } from "@/lib/format";

// Names shown on the reference pages, in the reader's language first.

const regionNames = new Map<Locale, Intl.DisplayNames>();

/** "United States" / "美国" for "US"; the code itself when Intl does not know it. */
export function countryName(code: string, locale: Locale): string {
  let names = regionNames.get(locale);
  if (!names) regionNames.set(locale, (names = new Intl.DisplayNames([intlLocaleOf(locale)], { type: "region" })));
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

export type TwoNames = { primary: string; primaryLang: string; secondary: string | null; secondaryLang: string };

/** A bilingual name split into the one to show first and the other (null when there is none). */
export function twoNames(en: string, zh: string | null, locale: Locale): TwoNames {
  if (locale === "zh" && zh) return { primary: zh, primaryLang: "zh-CN", secondary: en, secondaryLang: "en" };
  return { primary: en, primaryLang: "en", secondary: zh && zh !== en ? zh : null, secondaryLang: "zh-CN" };
}
