import { getLocale, getTranslations } from "next-intl/server";
import { LOCALES } from "@/lib/enums";
import { setLocale } from "@/app/actions/locale";

// A plain form: it works before hydration and without JavaScript.
export async function LanguageSwitch() {
  const t = await getTranslations("locale");
  const current = await getLocale();
  return (
    <form action={setLocale} className="language-switch" aria-label={t("label")}>
      {LOCALES.map((locale) => (
        <button
          key={locale}
          type="submit"
          name="locale"
          value={locale}
          aria-pressed={locale === current}
          lang={locale === "zh" ? "zh-CN" : "en"}
        >
          {t(locale)}
        </button>
      ))}
    </form>
  );
}
