import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { listOpenDeadlines, listOverrides } from "@/db/repo/procedure";
import { listAppAnswers } from "@/db/repo/inbox";
import { OverrideAdd, OverrideRemove } from "@/components/procedure/CalendarForms";
import { ReleaseDueButton } from "@/components/inbox/ReleaseDueButton";
import { bondKinds, holderAnswers, procedureDeadlines, procedureSteps, releaseGrounds, type Locale } from "@/lib/enums";
import { PROCEDURE_CHIPS, chipOf, inChip } from "@/lib/inbox";
import { formatCount, formatDate, formatMoney, latinLang } from "@/lib/format";
import { can } from "@/lib/roles";
import { PACKAGE_YEARS } from "@/lib/working-days";
import { requirePageUser } from "../session";

export const dynamic = "force-dynamic";

/** How many overdue cases the list shows before the ones still running (all of those, up to RUNNING): the rest are counted. */
const OVERDUE_SHOWN = 100;
const RUNNING_SHOWN = 400;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("procedure"))("list.title") };
}

/**
 * The officers' page of the detention procedure (customs staff: admins and analysts; a member
 * sees its own cases' procedure on each case): every open deadline, overdue first, with the case
 * waiting on it; and the holiday calendar for years chinese-days does not know (admins edit it).
 */
export default async function ProcedurePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser("readProcedure", "/procedure");
  const t = await getTranslations("procedure");
  const ti = await getTranslations("inbox");
  const locale = (await getLocale()) as Locale;
  const now = new Date();
  const chip = chipOf((await searchParams).show);
  const [everyRow, overrides, answers] = await Promise.all([listOpenDeadlines(now), listOverrides(), listAppAnswers()]);
  const counts = Object.fromEntries(PROCEDURE_CHIPS.map((c) => [c, everyRow.filter((r) => inChip(c, r.view)).length]));
  const all = everyRow.filter((r) => inChip(chip, r.view));
  const overdue = all.filter((r) => r.overdue);
  const running = all.filter((r) => !r.overdue);
  const rows = [...overdue.slice(0, OVERDUE_SHOWN), ...running.slice(0, RUNNING_SHOWN)];
  const admin = can(user.role, "write");
  const years = [...PACKAGE_YEARS].sort((a, b) => a - b);
  const dateTime = (ms: number) =>
    new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(new Date(ms));
  return (
    <>
      <h1>{t("list.title")}</h1>
      <p className="lede">{t("list.lede")}</p>
      <section className="panel" aria-labelledby="answers-title" data-testid="app-answers">
        <h2 id="answers-title">{ti("officers.answersTitle")}</h2>
        {answers.length === 0 ? (
          <p className="muted">{ti("officers.answersNone")}</p>
        ) : (
          <div className="table-scroll">
            <table className="deadline-table" data-testid="app-answers-table">
              <thead>
                <tr>
                  <th scope="col">{t("list.case")}</th>
                  <th scope="col">{ti("col.answer")}</th>
                  <th scope="col">{ti("officers.answeredBy")}</th>
                  <th scope="col">{ti("officers.next")}</th>
                </tr>
              </thead>
              <tbody>
                {answers.map((a) => (
                  <tr key={a.step.id} data-case={a.caseNo}>
                    <th scope="row"><Link href={`/cases/${a.caseId}`}>{a.caseNo}</Link></th>
                    <td>
                      {a.step.kind === "holder_answered" && holderAnswers.label(a.step.answer, locale)}
                      {a.step.kind === "holder_answered" && a.step.bondKind && (
                        <><br /><span className="muted">{formatMoney(a.step.bondFen ?? 0, locale)} · {bondKinds.label(a.step.bondKind, locale)}</span></>
                      )}
                    </td>
                    <td>{ti("officers.byAt", { user: a.email, at: dateTime(a.step.at.getTime()) })}</td>
                    <td>{a.latest === "holder_answered" ? ti(a.step.kind === "holder_answered" && a.step.answer === "declines" ? "officers.nextRelease" : "officers.nextDetain") : procedureSteps.is(a.latest) ? procedureSteps.label(a.latest, locale) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="deadlines-title">
        <h2 id="deadlines-title">{t("list.count", { count: all.length })}</h2>
        <nav aria-label={ti("officers.chipsLabel")} className="chips" data-testid="procedure-chips">
          {PROCEDURE_CHIPS.map((c) => (
            <Link
              key={c} href={c === "all" ? "/procedure" : `/procedure?show=${c}`} className="chip" aria-current={c === chip ? "page" : undefined}
              data-chip={c}
            >
              {ti(`officers.chip.${c}`, { count: formatCount(counts[c] ?? 0, locale) })}
            </Link>
          ))}
        </nav>
        <p className="muted" data-testid="deadline-counts">
          {t("list.split", { overdue: formatCount(overdue.length, locale), running: formatCount(running.length, locale) })}
          {rows.length < all.length && <> {t("list.shown", { shown: formatCount(rows.length, locale), total: formatCount(all.length, locale) })}</>}
        </p>
        {rows.length === 0 ? (
          <p className="muted">{t("list.none")}</p>
        ) : (
          <div className="table-scroll">
            <table className="deadline-table" data-testid="deadline-table">
              <thead>
                <tr>
                  <th scope="col">{t("list.case")}</th>
                  <th scope="col">{t("list.latest")}</th>
                  <th scope="col">{t("list.deadline")}</th>
                  <th scope="col">{t("list.lastDay")}</th>
                  <th scope="col">{t("list.left")}</th>
                  <th scope="col">{t("list.due")}</th>
                  {admin && <th scope="col"><span className="visually-hidden">{ti("officers.release")}</span></th>}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.caseId} data-overdue={r.overdue ? "yes" : "no"} data-release-due={r.releaseDue ? "yes" : "no"} data-case={r.caseNo}>
                    <th scope="row"><Link href={`/cases/${r.caseId}`}>{r.caseNo}</Link></th>
                    <td>
                      {procedureSteps.label(r.latest.kind, locale)}
                      <br />
                      <span className="muted">{dateTime(r.latest.at.getTime())}</span>
                    </td>
                    <td>{r.deadline ? procedureDeadlines.label(r.deadline.kind, locale) : "—"}</td>
                    <td>{r.deadline ? formatDate(r.deadline.lastDay, locale) : r.view.unknownHolidayYear !== null ? t("unknownYear", { year: r.view.unknownHolidayYear }) : "—"}</td>
                    <td className={r.overdue ? "overdue" : undefined}>
                      {r.deadline ? (r.deadline.passed ? t("list.overdue") : formatCount(r.deadline.workingDaysLeft, locale)) : r.overdue ? t("list.overdue") : "—"}
                    </td>
                    <td>
                      {r.view.due
                        ? r.view.due.kind === "release"
                          ? t("due.release", { ground: releaseGrounds.label(r.view.due.ground, locale) })
                          : t(`due.${r.view.due.kind}`)
                        : "—"}
                      {r.releaseDue && <><br /><strong className="release-due">{ti("officers.releaseDue")}</strong></>}
                    </td>
                    {admin && (
                      <td>
                        {r.releaseDue && (
                          <ReleaseDueButton caseId={r.caseId} caseNo={r.caseNo} version={r.version} withNoAnswer={r.view.due?.kind === "record_no_answer"} />
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="calendar-title" data-testid="calendar">
        <h2 id="calendar-title">{t("calendar.title")}</h2>
        <p className="muted">{t("calendar.lede", { from: years[0] ?? "—", to: years.at(-1) ?? "—" })}</p>
        {overrides.length === 0 ? (
          <p className="muted">{t("calendar.none")}</p>
        ) : (
          <table data-testid="calendar-table">
            <thead>
              <tr>
                <th scope="col">{t("calendar.date")}</th>
                <th scope="col">{t("calendar.kind")}</th>
                <th scope="col">{t("calendar.note")}</th>
                <th scope="col">{t("calendar.updated")}</th>
                {admin && <th scope="col"><span className="visually-hidden">{t("calendar.remove")}</span></th>}
              </tr>
            </thead>
            <tbody>
              {overrides.map((o) => (
                <tr key={o.date}>
                  <th scope="row">{formatDate(o.date, locale)}</th>
                  <td>{t(`calendar.${o.kind}`)}</td>
                  <td lang={latinLang(o.note)}>{o.note ?? ""}</td>
                  <td>{dateTime(o.updatedAt)}</td>
                  {admin && <td><OverrideRemove date={o.date} /></td>}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {admin && <OverrideAdd />}
      </section>
    </>
  );
}
