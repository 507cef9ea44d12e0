import { getTranslations } from "next-intl/server";
import type { StoredStep } from "@/db/repo/procedure";
import {
  bondKinds, determinations, disposals, holderAnswers, procedureDeadlines, procedureSteps, protectionModes, releaseGrounds, type Locale,
} from "@/lib/enums";
import { formatDate, formatMoney } from "@/lib/format";
import { DOCUMENT_REQUIRED, requiredBondFen, type ProcedureView } from "@/lib/procedure";
import { beijingDateOf } from "@/lib/working-days";
import { StepForm } from "./StepForm";

/**
 * A case's detention procedure: the open deadline (working days left, the 24:00 Beijing end),
 * what is due, the steps in order, and for an officer the form to record the next step.
 * Disclosure (DESIGN.md): a member sees when and what, never who (staff accounts) nor the
 * officers' notes; analysts read; admins (case officers) record.
 */
export async function ProcedureSection({
  caseId, version, valueFen, steps, view, locale, who, canRecord, staff, now, inApp = null,
}: {
  caseId: number; version: number; valueFen: number; steps: StoredStep[]; view: ProcedureView; locale: Locale;
  /** the label of each step's recorder (staff readers only) */
  who: Map<string, string> | null;
  canRecord: boolean; staff: boolean; now: Date;
  /** the recorders among `who` that are a right holder's members: their answers were given in the app (staff readers only) */
  inApp?: Set<string> | null;
}) {
  const t = await getTranslations("procedure");
  const ti = await getTranslations("inbox");
  // the legal basis in the reader's language (lib/procedure.ts names it in English)
  const basisText = (basis: string) => {
    const key = `bases.${basis.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "")}`;
    return t.has(key) ? t(key) : basis;
  };
  const dateTime = (d: Date) =>
    new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(d);
  const deadline = view.deadline;
  const nowLocal = beijingLocal(now);
  return (
    <section className="panel procedure" aria-labelledby="procedure-title" data-testid="procedure">
      <h2 id="procedure-title">{t("title")}</h2>
      {view.mode && <p className="muted">{t("mode", { mode: protectionModes.label(view.mode, locale) })}</p>}
      {staff && view.unknownHolidayYear !== null && (
        <p className="form-error" role="alert" data-testid="procedure-unknown-year">{t("unknownYear", { year: view.unknownHolidayYear })}</p>
      )}
      {steps.length > 0 && (
        <div className="procedure-now" data-testid="procedure-deadline">
          {deadline ? (
            <>
              <h3>{t("deadlineTitle")}: {procedureDeadlines.label(deadline.kind, locale)}</h3>
              <p>
                <strong>{t("deadlineEnds", { date: formatDate(deadline.lastDay, locale) })}</strong>{" "}
                <time dateTime={deadline.endsAt.toISOString()} className="muted">({dateTime(deadline.endsAt)})</time>
              </p>
              <p className={deadline.passed ? "form-error" : undefined} data-testid="procedure-days-left">
                {deadline.passed ? t("passed") : t("daysLeft", { count: deadline.workingDaysLeft })} · {t(`party.${deadline.party}`)} · {t("basis", { basis: basisText(deadline.basis) })}
              </p>
            </>
          ) : view.next.length === 0 ? (
            <p>{t("ended")}</p>
          ) : (
            <p className="muted">{t("noDeadline")}</p>
          )}
          {view.due && (
            <p className="form-error" role="status" data-testid="procedure-due">
              {view.due.kind === "release"
                ? t("due.release", { ground: releaseGrounds.label(view.due.ground, locale) })
                : t(`due.${view.due.kind}`)}
            </p>
          )}
        </div>
      )}
      <h3>{t("timeline")}</h3>
      {steps.length === 0 ? (
        <p className="muted">{t("noSteps")}</p>
      ) : (
        <ol className="timeline" data-testid="procedure-steps">
          {steps.map((s) => (
            <li key={s.id} data-kind={s.kind}>
              <span className="history-line">
                <time dateTime={s.at.toISOString()}>{dateTime(s.at)}</time> — <strong>{procedureSteps.label(s.kind, locale)}</strong>
                {staff && who && (inApp?.has(s.by)
                  ? <> <span data-testid="answered-in-app">{ti("officers.answeredInApp", { user: who.get(s.by) ?? s.by, at: dateTime(new Date(s.recordedAt)) })}</span></>
                  : <> {t("by", { user: s.by === "seed" ? t("seedData") : (who.get(s.by) ?? t("staff")) })}</>)}
              </span>
              <ul className="step-facts">
                {s.documentNo && <li>{t("documentNo", { no: s.documentNo })}</li>}
                {s.kind === "notice_sent" && s.servedOn && <li>{t("servedOn", { date: formatDate(s.servedOn, locale) })}</li>}
                {s.kind === "holder_answered" && <li>{holderAnswers.label(s.answer, locale)}</li>}
                {(s.kind === "holder_answered" || s.kind === "application_filed") && s.bondKind && (
                  <li>{t("bond", { amount: formatMoney(s.bondFen ?? 0, locale), kind: bondKinds.label(s.bondKind, locale) })}</li>
                )}
                {s.kind === "determination" && <li>{determinations.label(s.decision, locale)}</li>}
                {s.kind === "court_order" && <li>{t("court", { court: s.court })}</li>}
                {s.kind === "penalty" && <li>{t("fine", { amount: formatMoney(s.fineFen, locale) })}</li>}
                {s.kind === "released" && <li>{t("ground", { ground: releaseGrounds.label(s.ground, locale) })}</li>}
                {s.kind === "disposal" && <li>{disposals.label(s.disposal, locale)}</li>}
                {staff && s.note && <li>{t("note", { note: s.note })}</li>}
              </ul>
            </li>
          ))}
        </ol>
      )}
      {canRecord && view.next.length > 0 && (
        <StepForm
          caseId={caseId}
          version={version}
          allowed={[...view.next]}
          releaseGrounds={[...view.releaseGrounds]}
          documentRequired={view.next.filter((k) => DOCUMENT_REQUIRED.has(k))}
          requiredBondFen={requiredBondFen(valueFen)}
          defaultAt={nowLocal}
        />
      )}
    </section>
  );
}

/** 'YYYY-MM-DDTHH:mm' in Beijing time, as a datetime-local input shows it. */
function beijingLocal(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}
