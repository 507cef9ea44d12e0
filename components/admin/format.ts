import type { Locale } from "@/lib/enums";
import { intlLocaleOf } from "@/lib/format";

// Moments in the admin pages are shown in China's time, whatever the server's zone.

const formats = new Map<Locale, Intl.DateTimeFormat>();

/** "Nov 28, 2025, 6:05 PM" / "2025年11月28日 18:05", Asia/Shanghai. */
export function shanghaiDateTime(ms: number, locale: Locale): string {
  let f = formats.get(locale);
  if (!f) formats.set(locale, (f = new Intl.DateTimeFormat(intlLocaleOf(locale), { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" })));
  return f.format(new Date(ms));
}
