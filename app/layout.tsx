import type { Metadata } from "next";
import Link from "next/link";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import { LanguageSwitch } from "@/components/shell/LanguageSwitch";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("app");
  return { title: { default: t("name"), template: `%s · ${t("short")}` }, description: t("description") };
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  const t = await getTranslations();
  return (
    <html lang={locale === "zh" ? "zh-CN" : "en"}>
      <body>
        <a className="skip-link" href="#main">
          {t("nav.skip")}
        </a>
        <header className="site-header">
          <Link href="/" className="brand">
            {t("app.name")}
          </Link>
          <nav aria-label={t("nav.label")}>
            <ul>
              <li>
                <Link href="/">{t("nav.dashboard")}</Link>
              </li>
              <li>
                <Link href="/cases">{t("nav.cases")}</Link>
              </li>
            </ul>
          </nav>
          <LanguageSwitch />
        </header>
        <NextIntlClientProvider>
          <main id="main">{children}</main>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
