import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { AdminNav } from "@/components/admin/AdminNav";
import { RetryMailButton } from "@/components/admin/RetryMailButton";
import { outboxOverview } from "@/db/repo/outbox";
import { mailStatuses, type Locale } from "@/lib/enums";
import { formatCount } from "@/lib/format";
import { requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("outbox"))("title") };
}

export default async function OutboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageUser("write", "/admin/outbox");
  const t = await getTranslations("outbox");
  const locale = (await getLocale()) as Locale;
  const { configured, summary, mails } = await outboxOverview();
  const retried = (await searchParams).retried;
  const now = Date.now();
  const dateTime = (ms: number) =>
    new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(new Date(ms));
  const language = (l: Locale) => (l === "zh" ? t("languageZh") : t("languageEn"));
  return (
    <>
      <AdminNav current="outbox" />
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede")}</p>
      {!configured && (
        <p className="form-error" role="status" data-testid="mail-not-configured">
          {t("notConfigured")}
        </p>
      )}
      {typeof retried === "string" && /^\d+$/.test(retried) && (
        <p className="form-ok" role="status" data-testid="retried">
          {t("retried")}
        </p>
      )}
      <dl className="outbox-counts" data-testid="outbox-counts">
        {(["pending", "sent", "failed"] as const).map((s) => (
          <div key={s} data-status={s} data-some={summary[s] > 0 ? "" : undefined}>
            <dt>{mailStatuses.label(s, locale)}</dt>
            <dd>{formatCount(summary[s], locale)}</dd>
          </div>
        ))}
      </dl>
      {mails.length === 0 ? (
        <p className="empty-state">{t("empty")}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="outbox-table">
            <caption>{t("caption", { count: mails.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("to")}</th>
                <th scope="col">{t("subject")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col">{t("attempts")}</th>
                <th scope="col">{t("when")}</th>
                <th scope="col">{t("lastError")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {mails.map((m) => (
                <tr key={m.id} data-mail-id={m.id} data-status={m.status} data-to={m.toAddress}>
                  <th scope="row">{m.toAddress}</th>
                  <td>
                    <span lang={m.locale === "zh" ? "zh-CN" : "en"}>{m.subject}</span> <span className="muted">({language(m.locale)})</span>
                  </td>
                  <td>
                    {m.status === "pending" && m.leaseUntil !== null && m.leaseUntil > now ? t("sending") : mailStatuses.label(m.status, locale)}
                  </td>
                  <td>{formatCount(m.attempts, locale)}</td>
                  <td className="nowrap">
                    {m.status === "sent" && m.sentAt !== null
                      ? t("sentAt", { at: dateTime(m.sentAt) })
                      : m.status === "pending"
                        ? t("nextAt", { at: dateTime(Math.max(m.nextAttemptAt, m.createdAt)) })
                        : t("createdAt", { at: dateTime(m.createdAt) })}
                  </td>
                  <td className="outbox-error" lang={m.lastError ? "en" : undefined}>
                    {m.lastError ?? "—"}
                  </td>
                  <td>{m.status !== "sent" && <RetryMailButton id={m.id} to={m.toAddress} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
