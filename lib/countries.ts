import countries from "i18n-iso-countries";
import en from "i18n-iso-countries/langs/en.json";
import zh from "i18n-iso-countries/langs/zh.json";
import type { Locale } from "./enums";

// The countries and regions of ISO 3166-1, named in both languages, from a maintained list
// (the i18n-iso-countries package: Intl.DisplayNames can name a code but cannot list the
// codes). The same data on the server and in the browser, so a name never differs between
// the two. Stored and exported values stay the alpha-2 code; only the screen shows names.

countries.registerLocale(en);
countries.registerLocale(zh);

export type CountryOption = { code: string; name: string; other: string };

/** The name to show: the common name ("United States", "United Kingdom", "South Korea", "美国"), not an abbreviation or an inverted one. */
function nameIn(code: string, locale: Locale): string | undefined {
  const official = countries.getName(code, locale, { select: "official" });
  if (locale === "zh") return official;
  const alias = countries.getName(code, locale, { select: "alias" });
  return alias && alias.length > 3 && !alias.includes(",") ? alias : official;
}

/** Every ISO 3166-1 alpha-2 code the list knows. */
export function countryCodes(): string[] {
  return Object.keys(countries.getAlpha2Codes());
}

export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && countries.isValid(code);
}

/** "United States" / "美国" for "US"; the code itself when the list does not know it. */
export function countryName(code: string, locale: Locale): string {
  return (isCountryCode(code) && nameIn(code, locale)) || code;
}

const collators = new Map<Locale, Intl.Collator>();
const cache = new Map<Locale, CountryOption[]>();

/** The picker's options in the reader's language, sorted as that language sorts (pinyin in Chinese). */
export function countryOptions(locale: Locale): CountryOption[] {
  const known = cache.get(locale);
  if (known) return known;
  const otherLocale: Locale = locale === "zh" ? "en" : "zh";
  let collator = collators.get(locale);
  if (!collator) collators.set(locale, (collator = new Intl.Collator(locale === "zh" ? "zh-CN" : "en")));
  const list = countryCodes()
    .map((code) => ({ code, name: nameIn(code, locale) ?? code, other: nameIn(code, otherLocale) ?? code }))
    .sort((a, b) => collator.compare(a.name, b.name));
  cache.set(locale, list);
  return list;
}

/**
 * The options matching what was typed, best first: the code itself, then names (in either
 * language) that start with the text, then names with a word that does, then any containing it.
 */
export function searchCountries(typed: string, locale: Locale): CountryOption[] {
  const q = typed.trim().toLowerCase();
  const list = countryOptions(locale);
  if (!q) return list;
  const ranked: { o: CountryOption; r: number }[] = [];
  for (const o of list) {
    const names = [o.name.toLowerCase(), o.other.toLowerCase()];
    let r = -1;
    if (o.code.toLowerCase() === q) r = 0;
    else if (names.some((n) => n.startsWith(q))) r = 1;
    else if (names.some((n) => n.split(/[\s,()（）-]+/).some((w) => w.startsWith(q)))) r = 2;
    else if (names.some((n) => n.includes(q))) r = 3;
    if (r >= 0) ranked.push({ o, r });
  }
  return ranked.sort((a, b) => a.r - b.r).map((x) => x.o);
}
