import type { Metadata } from "next";
import Link from "next/link";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getMessages, getTranslations } from "next-intl/server";
import { myUnreadCount } from "@/db/repo/notifications";
import { NotificationBell } from "@/components/notifications/NotificationBell";
import { HeaderMenu } from "@/components/shell/HeaderMenu";
import { LanguageSwitch } from "@/components/shell/LanguageSwitch";
import { roles, type Locale } from "@/lib/enums";
import { can } from "@/lib/roles";
import { signOut } from "./actions/auth";
import { currentUser } from "./session";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("app");
  return { title: { default: t("name"), template: `%s · ${t("short")}` }, description: t("description") };
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  const t = await getTranslations();
  const user = await currentUser();
  const unread = user ? await myUnreadCount(user).catch(() => 0) : 0;
  // the client components' messages: not the backup page's text, which the server renders for
  // the engine in use alone (the other engine's restore instructions never reach a browser);
  // nor the Risk page's (server components, staff only: a member's page carries none of it)
  const { backup: _serverOnly, risk: _staffOnly, ...clientMessages } = await getMessages();
  return (
    <html lang={locale === "zh" ? "zh-CN" : "en"}>
      <body>
        <a className="skip-link" href="#main">
          {t("nav.skip")}
        </a>
        <header className="site-header">
          {/* the short name keeps the header on one line; the full name is the page title's */}
          <Link href="/" className="brand" title={t("app.name")}>
            {t("app.short")}
          </Link>
          <HeaderMenu label={t("nav.menu")} closeLabel={t("nav.closeMenu")}>
          {user && (
          <nav aria-label={t("nav.label")}>
            <ul>
              <li>
                <Link href="/">{t("nav.dashboard")}</Link>
              </li>
              <li>
                <Link href="/cases">{t("nav.cases")}</Link>
              </li>
              <li>
                <Link href="/right-holders">{t("nav.rightHolders")}</Link>
              </li>
              <li>
                <Link href="/districts">{t("nav.districts")}</Link>
              </li>
              <li>
                <Link href="/recordations">{t("nav.recordations")}</Link>
              </li>
              {/* admins reach the guides from the admin index and the case pages: their header has no room left */}
              {!can(user.role, "write") && (
                <li>
                  <Link href="/guides">{t("guides.nav")}</Link>
                </li>
              )}
              {can(user.role, "answerNotices") && (
                <li>
                  <Link href="/inbox">{t("nav.inbox")}</Link>
                </li>
              )}
              {can(user.role, "readProcedure") && (
                <li>
                  <Link href="/procedure">{t("nav.procedure")}</Link>
                </li>
              )}
              {/* analysts: admins reach the Risk page from the admin index (their header has no room left) */}
              {can(user.role, "readRisk") && !can(user.role, "write") && (
                <li>
                  <Link href="/risk">{t("nav.risk")}</Link>
                </li>
              )}
              {can(user.role, "write") && (
                <li>
                  <Link href="/admin">{t("nav.admin")}</Link>
                </li>
              )}
            </ul>
          </nav>
          )}
          {/* the account, then the language switch: drawn in reverse (row-reverse), the account on the
              right. A page painted before its header has all arrived (Chrome paints a document while
              it parses it) then never moves what it showed: what comes later takes free room to the
              left instead of pushing the switch aside (a layout shift the CLS test caught) */}
          <div className="header-end">
            {user && (
              <form action={signOut} className="user-menu">
                <NotificationBell count={unread} label={t("notifications.bell.label")} unreadLabel={unread ? t("notifications.bell.unread", { count: unread > 99 ? "99+" : unread }) : null} />
                {/* the role in words for every reader, but not on the header's one line */}
                <Link href="/account" title={`${t("auth.account")}: ${roles.label(user.role, locale as Locale)}`} className="account-link">
                  <span className="account-email">{user.email}</span>
                  <span className="visually-hidden"> · {roles.label(user.role, locale as Locale)}</span>
                </Link>
                <button type="submit">{t("auth.signOut")}</button>
              </form>
            )}
            <LanguageSwitch />
          </div>
          </HeaderMenu>
        </header>
        <NextIntlClientProvider messages={clientMessages}>
          <main id="main">{children}</main>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
