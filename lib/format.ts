import type { Locale } from "./enums";

// Money is integer fen (1 yuan = 100 fen) everywhere; it becomes yuan only here.

const intlLocale: Record<Locale, string> = { en: "en-US", zh: "zh-CN" };

export function intlLocaleOf(locale: Locale): string {
  return intlLocale[locale];
}

// Intl formatters are costly to build: one per locale, reused (exports format millions of cells).
const integerFormats = new Map<Locale, Intl.NumberFormat>();
function integerFormat(locale: Locale): Intl.NumberFormat {
  let f = integerFormats.get(locale);
  if (!f) integerFormats.set(locale, (f = new Intl.NumberFormat(intlLocale[locale], { maximumFractionDigits: 0 })));
  return f;
}

function assertFen(fen: number): void {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a whole number of fen: ${fen}`);
}

/**
 * THE fen → yuan text, exact (no floating-point division): every yuan amount the product writes
 * comes from here. `group`: digit grouping of a locale ("6,250,000.00"), none when absent
 * ("6250000.00"); `cents: "if-any"` drops ".00" (the form shows "12" and "12.05").
 */
export function yuanText(fen: number, options: { group?: Locale; cents?: "always" | "if-any" } = {}): string {
  assertFen(fen);
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  const whole = options.group ? integerFormat(options.group).format(yuan) : String(yuan);
  const fraction = options.cents === "if-any" && cents === 0 ? "" : `.${String(cents).padStart(2, "0")}`;
  return `${fen < 0 ? "-" : ""}${whole}${fraction}`;
}

/** "6,250,000.00" for 625000000 fen. */
export function formatYuanAmount(fen: number, locale: Locale): string {
  return yuanText(fen, { group: locale });
}

/** "RMB 6,250,000.00" in English, "¥6,250,000.00" in Chinese. */
export function formatMoney(fen: number, locale: Locale): string {
  const amount = formatYuanAmount(fen, locale);
  return locale === "zh" ? `¥${amount}` : `RMB ${amount}`;
}

export function formatCount(n: number, locale: Locale): string {
  return integerFormat(locale).format(n);
}

/** Parses a yuan amount typed by a person ("6,250,000.5", "12.34") into fen; null when malformed. */
export function parseYuanToFen(input: string): number | null {
  const text = input.trim().replace(/[,\s]/g, "").replace(/^(RMB|¥|CNY)/i, "");
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** A calendar date stored as YYYY-MM-DD, written out for the locale. */
export function formatDate(iso: string, locale: Locale): string {
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale[locale], { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(date);
}

/** Money in a few characters for a card or an axis: "RMB 6.25M", "¥625万". */
export function formatMoneyCompact(fen: number, locale: Locale): string {
  assertFen(fen);
  const amount = new Intl.NumberFormat(intlLocale[locale], { notation: "compact", maximumFractionDigits: 2 }).format(fen / 100);
  return locale === "zh" ? `¥${amount}` : `RMB ${amount}`;
}

/** A relative change as a signed percentage ("+12.3%", "−4%"); null when there is nothing to compare with. */
export function formatChange(current: number, previous: number, locale: Locale): string | null {
  if (previous === 0) return null;
  const ratio = (current - previous) / previous;
  const text = new Intl.NumberFormat(intlLocale[locale], { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" }).format(ratio);
  return text;
}

/** A date range in few characters: "2015", "2013–2015", or two ISO dates. */
export function formatPeriod(from: string, to: string, locale: Locale): string {
  if (from.endsWith("-01-01") && to.endsWith("-12-31")) {
    const a = from.slice(0, 4), b = to.slice(0, 4);
    return a === b ? a : `${a}–${b}`;
  }
  return `${from} – ${to}`;
}

/**
 * "en" for text written in Latin letters with no Chinese in it (English data shown on a
 * Chinese page: a goods description, a note, a brand), so that readers and screen readers
 * take it as English; undefined otherwise.
 */
export function latinLang(text: string | null | undefined): "en" | undefined {
  if (!text) return undefined;
  return /[A-Za-z]{2}/.test(text) && !/[\u3400-\u9fff\uf900-\ufaff]/.test(text) ? "en" : undefined;
}
