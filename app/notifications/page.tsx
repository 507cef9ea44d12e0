import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { myNotifications } from "@/db/repo/notifications";
import { MarkReadButton } from "@/components/notifications/MarkReadButton";
import { notificationKinds, type Locale } from "@/lib/enums";
import { formatCount } from "@/lib/format";
import { notificationHref, renderNotification } from "@/lib/notifications";
import { requirePageUser } from "../session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("notifications"))("page.title") };
}

/**
 * A signed-in user's notifications (issue 16, item 4), newest first, in the reader's language:
 * detention notices (a member opens them in its inbox), deadlines one working day away and
 * recordations expiring. A member's list is filtered by its company's scope when read.
 */
export default async function NotificationsPage() {
  const user = await requirePageUser("readNotifications", "/notifications");
  const t = await getTranslations("notifications");
  const locale = (await getLocale()) as Locale;
  const rows = await myNotifications(user);
  const unread = rows.filter((r) => r.readAt === null).length;
  const dateTime = (ms: number) =>
    new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(new Date(ms));
  return (
    <>
      <h1>{t("page.title")}</h1>
      <p className="lede">{t("page.lede")}</p>
      <section className="panel" aria-labelledby="notifications-list">
        <div className="notification-bar">
          <h2 id="notifications-list">{t("page.list")}</h2>
          <span className="muted" data-testid="unread-count">{t("page.unreadCount", { count: unread })}</span>
          {unread > 0 && <MarkReadButton id="all" label={t("page.markAllRead")} />}
        </div>
        {rows.length === 0 ? (
          <p className="empty">{t("page.empty")}</p>
        ) : (
          <ol className="notification-list" data-testid="notification-list">
            {rows.map((n) => {
              const { title, text } = renderNotification((key, values) => t(key as never, values as never), n, locale);
              const href = notificationHref(n, user.role);
              return (
                <li key={n.id} className={n.readAt === null ? "notification unread" : "notification"} data-kind={n.kind} data-read={n.readAt !== null} data-testid={`notification-${n.id}`}>
                  <p className="notification-head">
                    {n.readAt === null && <span className="unread-dot">{t("page.unread")}</span>}
                    <span className="muted">{notificationKinds.label(n.kind, locale)}</span>
                    <span className="muted">{t("page.received", { at: dateTime(n.createdAt) })}</span>
                  </p>
                  <h3>{href ? <Link href={href} prefetch={false}>{title}</Link> : title}</h3>
                  <p>{text}</p>
                  {n.readAt === null && <MarkReadButton id={n.id} label={t("page.markReadOf", { title })} />}
                </li>
              );
            })}
          </ol>
        )}
        {rows.length >= 200 && <p className="muted">{t("page.shown", { count: formatCount(rows.length, locale) })}</p>}
      </section>
    </>
  );
}
