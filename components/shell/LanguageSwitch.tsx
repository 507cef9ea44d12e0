import { getLocale, getTranslations } from "next-intl/server";
import { LOCALES } from "@/lib/enums";
import { setLocale } from "@/app/actions/locale";

// A plain form: it works before hydration and without JavaScript. It offers the other
// language only (the page is already in its own), in that language's words, which keeps the
// header on one line.
export async function LanguageSwitch() {
  const t = await getTranslations("locale");
  const current = await getLocale();
  return (
    <form action={setLocale} className="language-switch" aria-label={t("label")}>
      {LOCALES.filter((locale) => locale !== current).map((locale) => (
        <button key={locale} type="submit" name="locale" value={locale} lang={locale === "zh" ? "zh-CN" : "en"}>
          {t(locale)}
        </button>
      ))}
    </form>
  );
}
