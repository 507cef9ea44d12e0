import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../lib/enums";

export const LOCALE_COOKIE = "NEXT_LOCALE";

// No locale in the URL: the choice lives in a cookie, and a first visit follows the browser.
export async function currentLocale(): Promise<Locale> {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(chosen)) return chosen;
  const accept = (await headers()).get("accept-language") ?? "";
  return /^\s*zh\b/i.test(accept) ? "zh" : DEFAULT_LOCALE;
}

export default getRequestConfig(async () => {
  const locale = await currentLocale();
  return {
    locale,
    messages: (await import(`../messages/${locale}.json`)).default,
    timeZone: "Asia/Shanghai",
  };
});
