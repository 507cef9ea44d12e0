import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { getNotice, type NoticeRow } from "@/db/repo/inbox";
import { AnswerForm } from "@/components/inbox/AnswerForm";
import { NoticeDeadline, NoticeStateBadge } from "@/components/inbox/NoticeFacts";
import { bondKinds, holderAnswers, type Locale } from "@/lib/enums";
import { formatDate, formatMoney, latinLang } from "@/lib/format";
import { requiredBondFen } from "@/lib/procedure";
import { beijingDateOf } from "@/lib/working-days";
import { metadataUser, requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

/** The notice as this member may see it: another company's case, a case without a notice or a bad id is null (one 404). */
async function load(id: string, holderId: number | null): Promise<NoticeRow | null> {
  if (!/^\d{1,15}$/.test(id)) return null;
  return getNotice(holderId, Number(id));
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const user = await metadataUser("answerNotices");
  const found = user ? await load((await params).id, user.holderId) : null;
  const t = await getTranslations("inbox");
  return { title: found ? t("notice.title", { caseNo: found.caseNo }) : t("notFound") };
}

/** One detention notice of the member's company, and the form to answer it while it is open. */
export default async function NoticePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser("answerNotices", `/inbox/${id}`);
  const n = await load(id, user.holderId);
  if (!n) notFound();
  const t = await getTranslations("inbox");
  const locale = (await getLocale()) as Locale;
  const dateTime = (d: Date) =>
    new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(d);
  const { view } = n;
  const answer = view.answer;
  return (
    <>
      <p className="ref-back"><Link href="/inbox">{t("back")}</Link></p>
      <h1>
        {t("notice.title", { caseNo: n.caseNo })} <NoticeStateBadge state={view.state} locale={locale} />
      </h1>
      <div className="detail-grid">
        <section className="panel" aria-labelledby="notice-facts">
          <h2 id="notice-facts">{t("notice.facts")}</h2>
          <dl className="rec-facts" data-testid="notice-facts">
            <dt>{t("col.case")}</dt>
            <dd><Link href={`/cases/${n.caseId}`}>{n.caseNo}</Link></dd>
            <dt>{t("col.goods")}</dt>
            <dd lang={latinLang(n.goods)}>{n.goods}</dd>
            <dt>{t("notice.value")}</dt>
            <dd>{formatMoney(n.valueFen, locale)}</dd>
            <dt>{t("notice.seized")}</dt>
            <dd>{formatDate(n.seizedOn, locale)}</dd>
            <dt>{t("col.served")}</dt>
            <dd>{formatDate(view.notice.servedOn ?? beijingDateOf(view.notice.at), locale)}</dd>
            {view.notice.documentNo && (<><dt>{t("notice.documentNo")}</dt><dd lang={latinLang(view.notice.documentNo)}>{view.notice.documentNo}</dd></>)}
            <dt>{t("col.deadline")}</dt>
            <dd><NoticeDeadline view={view} locale={locale} /></dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="notice-answer">
          <h2 id="notice-answer">{t("form.title")}</h2>
          {view.state === "open" ? (
            <AnswerForm caseId={n.caseId} version={n.version} requiredBondFen={requiredBondFen(n.valueFen)} valueFen={n.valueFen} />
          ) : view.state === "overdue" ? (
            <p className="form-error" data-testid="notice-closed">{t("overdueNote")}</p>
          ) : answer?.kind === "holder_answered" ? (
            <div data-testid="notice-answered">
              <p>{t("answeredOn", { at: dateTime(answer.at), answer: holderAnswers.label(answer.answer, locale) })}</p>
              {answer.bondKind && <p>{t("bondGiven", { amount: formatMoney(answer.bondFen ?? 0, locale), kind: bondKinds.label(answer.bondKind, locale) })}</p>}
            </div>
          ) : (
            <p className="muted" data-testid="notice-closed">{t("closedNote")}</p>
          )}
        </section>
      </div>
    </>
  );
}
