import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { listNotices, type NoticeRow } from "@/db/repo/inbox";
import { NoticeDeadline, NoticeStateBadge } from "@/components/inbox/NoticeFacts";
import { bondKinds, holderAnswers, type Locale } from "@/lib/enums";
import { formatDate, formatMoney, latinLang } from "@/lib/format";
import { beijingDateOf } from "@/lib/working-days";
import { requirePageUser } from "../session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("inbox"))("title") };
}

/**
 * A right holder's inbox (members only; customs staff get 403): the detention notices on its own
 * company's cases, the open ones first with the answer deadline (3 working days, ending 24:00
 * Beijing time) counting down, then the overdue ones (no longer answerable), then the latest
 * answered or closed ones with their answers.
 */
export default async function InboxPage() {
  const user = await requirePageUser("answerNotices", "/inbox");
  const t = await getTranslations("inbox");
  const locale = (await getLocale()) as Locale;
  const now = new Date();
  const { current, past } = await listNotices(user.holderId, now);
  const dateTime = (d: Date) =>
    new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(d);
  const open = current.filter((r) => r.view.state === "open").length;
  const table = (rows: NoticeRow[], testId: string, answerable: boolean) => (
    <div className="table-scroll">
      <table className="deadline-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{t("col.case")}</th>
            <th scope="col">{t("col.goods")}</th>
            <th scope="col">{t("col.served")}</th>
            <th scope="col">{answerable ? t("col.deadline") : t("col.answer")}</th>
            <th scope="col">{t("col.state")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.caseId} data-case={r.caseNo} data-state={r.view.state}>
              <th scope="row"><Link href={`/inbox/${r.caseId}`}>{r.caseNo}</Link></th>
              <td><span lang={latinLang(r.goods)}>{r.goods}</span><br /><span className="muted">{formatMoney(r.valueFen, locale)}</span></td>
              <td>
                {formatDate(r.view.notice.servedOn ?? beijingDateOf(r.view.notice.at), locale)}
                {r.view.notice.documentNo && <><br /><span className="muted" lang={latinLang(r.view.notice.documentNo)}>{r.view.notice.documentNo}</span></>}
              </td>
              <td>
                {answerable ? (
                  <NoticeDeadline view={r.view} locale={locale} />
                ) : r.view.answer?.kind === "holder_answered" ? (
                  <>
                    {holderAnswers.label(r.view.answer.answer, locale)}
                    {r.view.answer.bondKind && <><br /><span className="muted">{formatMoney(r.view.answer.bondFen ?? 0, locale)} · {bondKinds.label(r.view.answer.bondKind, locale)}</span></>}
                    <br /><span className="muted">{dateTime(r.view.answer.at)}</span>
                  </>
                ) : r.view.answer ? (
                  <>{t("noAnswer")}<br /><span className="muted">{dateTime(r.view.answer.at)}</span></>
                ) : "—"}
              </td>
              <td>
                <NoticeStateBadge state={r.view.state} locale={locale} />
                {r.view.state === "open" && <> <Link href={`/inbox/${r.caseId}`} className="inbox-answer-link">{t("answerLink")}</Link></>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede")}</p>
      <section className="panel" aria-labelledby="inbox-current">
        <h2 id="inbox-current">{t("current", { count: open })}</h2>
        {current.length === 0 ? <p className="muted" data-testid="inbox-none">{t("none")}</p> : table(current, "inbox-current", true)}
      </section>
      <section className="panel" aria-labelledby="inbox-past">
        <h2 id="inbox-past">{t("past")}</h2>
        {past.length === 0 ? <p className="muted">{t("pastNone")}</p> : table(past, "inbox-past", false)}
      </section>
    </>
  );
}
