"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useId, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { recordStepAction } from "@/app/actions/procedure";
import type { ActionResult } from "@/app/actions/wrapper";
import {
  bondKinds, determinations, disposals, holderAnswers, procedureSteps, releaseGrounds, transitionRefusals,
  type Locale, type ProcedureStepKind, type ReleaseGround, type TransitionRefusal,
} from "@/lib/enums";
import { formatDate, formatMoney } from "@/lib/format";
import { DateInput } from "@/components/ui/DateInput";

const CONFIRMED = new Set<ProcedureStepKind>(["released", "disposal", "referral_to_police", "no_answer"]);

type Result = ActionResult<{ version: number; stepId: number }>;

/**
 * The officer's form for the next step: only the kinds the state machine allows now, the
 * fields of the chosen kind, a confirmation for steps that release the goods or end the
 * procedure. A refusal (lib/procedure.ts checkTransition) is shown in the reader's language;
 * what was typed stays in the form.
 */
export function StepForm({
  caseId, version, allowed, releaseGrounds: grounds, documentRequired, requiredBondFen, defaultAt,
}: {
  caseId: number; version: number; allowed: ProcedureStepKind[]; releaseGrounds: ReleaseGround[];
  documentRequired: ProcedureStepKind[]; requiredBondFen: number; defaultAt: string;
}) {
  const t = useTranslations("procedure");
  const locale = useLocale() as Locale;
  const router = useRouter();
  const uid = useId();
  const [state, action, pending] = useActionState<Result | null, FormData>(recordStepAction, null);
  const failure = state && !state.ok ? state : null;
  const typed = (failure?.values ?? {}) as Record<string, string | undefined>;
  const [kind, setKind] = useState<string>(typed.kind ?? (allowed.length === 1 ? allowed[0]! : ""));
  const [answer, setAnswer] = useState<string>(typed.answer ?? "");
  const [savedKind, setSavedKind] = useState<string | null>(null);

  useEffect(() => {
    if (state?.ok) {
      setSavedKind(kind);
      setKind("");
      router.refresh();
    } else if (failure?.error === "conflict") router.refresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);

  const dateTime = (iso: string) =>
    new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(new Date(iso));
  const stepLabel = (k: string) => (procedureSteps.is(k) ? procedureSteps.label(k, locale) : k);

  const formError = (): string | null => {
    if (!failure) return null;
    const refusal = failure.fieldErrors?._form;
    if (refusal?.code.startsWith("refusal.")) {
      const code = refusal.code.slice("refusal.".length);
      const p = refusal.params ?? {};
      const label = transitionRefusals.is(code) ? transitionRefusals.label(code as TransitionRefusal, locale) : code;
      let detail: string | null = null;
      switch (code) {
        case "not_allowed_after":
          detail = t("form.detail.not_allowed_after", { after: stepLabel(String(p.after)), allowed: String(p.allowed ?? "").split(",").map(stepLabel).join(locale === "zh" ? "、" : ", ") });
          break;
        case "procedure_ended":
          detail = t("form.detail.procedure_ended", { after: stepLabel(String(p.after)) });
          break;
        case "before_previous_step":
          detail = t("form.detail.before_previous_step", { previous: dateTime(String(p.previous)) });
          break;
        case "answer_deadline_passed":
        case "deadline_not_passed":
          detail = t(`form.detail.${code}`, { lastDay: formatDate(String(p.lastDay), locale) });
          break;
        case "bond_below_required":
          detail = t("form.detail.bond_below_required", { amount: formatMoney(Number(p.required), locale) });
          break;
        case "holiday_calendar_unknown":
          detail = t("form.detail.holiday_calendar_unknown", { year: String(p.year) });
          break;
      }
      return t("form.refused", { reason: detail ? `${label}: ${detail}` : label });
    }
    if (failure.fieldErrors && Object.keys(failure.fieldErrors).length) return null; // shown beside the fields
    if (failure.error === "conflict") {
      return t("form.errors.conflict", { user: String(failure.params?.user ?? "—"), at: failure.params?.at ? dateTime(String(failure.params.at)) : "—", version: String(failure.params?.version ?? "") });
    }
    const known = ["forbidden", "not_found", "unavailable"] as const;
    return t(`form.errors.${(known as readonly string[]).includes(failure.error) ? failure.error : "failed"}` as "form.errors.failed");
  };
  const fieldError = (field: string) => {
    const e = failure?.fieldErrors?.[field];
    if (!e || field === "_form") return null;
    const code = ["required", "invalid", "future", "too_long", "confirm"].includes(e.code) ? e.code : "invalid";
    return (
      <p className="field-error" id={`${uid}-${field}-error`} data-testid={`step-error-${field}`}>
        {t(`form.errors.${code}` as "form.errors.invalid")}
      </p>
    );
  };
  const described = (field: string) => (failure?.fieldErrors?.[field] ? `${uid}-${field}-error` : undefined);
  const message = formError();
  const field = (name: string, label: string, control: React.ReactNode, hint?: string) => (
    <div className="form-field">
      <label htmlFor={`${uid}-${name}`}>{label}</label>
      {control}
      {hint && <p className="muted hint">{hint}</p>}
      {fieldError(name)}
    </div>
  );
  const needsDocument = documentRequired.includes(kind as ProcedureStepKind);
  const bondShown = kind === "application_filed" || (kind === "holder_answered" && answer === "requests_detention");

  return (
    <form action={action} className="step-form" aria-labelledby={`${uid}-title`} data-testid="step-form" key={`${version}`}>
      <h3 id={`${uid}-title`}>{t("form.title")}</h3>
      {savedKind && state?.ok && (
        <p className="form-ok" role="status" data-testid="step-saved">{t("form.saved", { step: stepLabel(savedKind) })}</p>
      )}
      {message && (
        <p className="form-error" role="alert" data-testid="step-refused">{message}</p>
      )}
      <input type="hidden" name="caseId" value={caseId} />
      <input type="hidden" name="version" value={version} />
      {field("kind", t("form.kind"), (
        <select id={`${uid}-kind`} name="kind" value={kind} onChange={(e) => setKind(e.target.value)} required aria-describedby={described("kind")} data-testid="step-kind">
          <option value="">{t("form.choose")}</option>
          {allowed.map((k) => (
            <option key={k} value={k}>{procedureSteps.label(k, locale)}</option>
          ))}
        </select>
      ))}
      {kind && (
        <>
          {field("at", t("form.at"), (
            <input id={`${uid}-at`} name="at" type="datetime-local" defaultValue={typed.at ?? defaultAt} required aria-describedby={described("at")} data-testid="step-at" />
          ))}
          {field("documentNo", t("form.documentNo"), (
            <input id={`${uid}-documentNo`} name="documentNo" defaultValue={typed.documentNo ?? ""} maxLength={60} aria-describedby={described("documentNo")} data-testid="step-document" />
          ), needsDocument ? t("form.documentRequired") : undefined)}
          {kind === "notice_sent" && field("servedOn", t("form.servedOn"), (
            <DateInput id={`${uid}-servedOn`} name="servedOn" defaultValue={typed.servedOn ?? ""} aria-describedby={described("servedOn")} data-testid="step-served" />
          ))}
          {kind === "holder_answered" && field("answer", t("form.answer"), (
            <select id={`${uid}-answer`} name="answer" value={answer} onChange={(e) => setAnswer(e.target.value)} required aria-describedby={described("answer")} data-testid="step-answer">
              <option value="">{t("form.choose")}</option>
              {holderAnswers.values.map((a) => <option key={a} value={a}>{holderAnswers.label(a, locale)}</option>)}
            </select>
          ))}
          {bondShown && (
            <>
              {field("bondKind", t("form.bondKind"), (
                <select id={`${uid}-bondKind`} name="bondKind" defaultValue={typed.bondKind ?? ""} required aria-describedby={described("bondKind")} data-testid="step-bond-kind">
                  <option value="">{t("form.choose")}</option>
                  {bondKinds.values.map((b) => <option key={b} value={b}>{bondKinds.label(b, locale)}</option>)}
                </select>
              ))}
              {field("bondYuan", t("form.bondYuan"), (
                <input id={`${uid}-bondYuan`} name="bondYuan" inputMode="decimal" defaultValue={typed.bondYuan ?? ""} aria-describedby={described("bondYuan")} data-testid="step-bond" />
              ), kind === "holder_answered" ? t("form.requiredBond", { amount: formatMoney(requiredBondFen, locale) }) : undefined)}
            </>
          )}
          {kind === "determination" && field("decision", t("form.decision"), (
            <select id={`${uid}-decision`} name="decision" defaultValue={typed.decision ?? ""} required aria-describedby={described("decision")} data-testid="step-decision">
              <option value="">{t("form.choose")}</option>
              {determinations.values.map((d) => <option key={d} value={d}>{determinations.label(d, locale)}</option>)}
            </select>
          ))}
          {kind === "court_order" && field("court", t("form.court"), (
            <input id={`${uid}-court`} name="court" defaultValue={typed.court ?? ""} required maxLength={200} aria-describedby={described("court")} data-testid="step-court" />
          ))}
          {kind === "penalty" && field("fineYuan", t("form.fineYuan"), (
            <input id={`${uid}-fineYuan`} name="fineYuan" inputMode="decimal" defaultValue={typed.fineYuan ?? ""} required aria-describedby={described("fineYuan")} data-testid="step-fine" />
          ))}
          {kind === "released" && field("ground", t("form.ground"), (
            <select id={`${uid}-ground`} name="ground" defaultValue={typed.ground ?? (grounds.length === 1 ? grounds[0] : "")} required aria-describedby={described("ground")} data-testid="step-ground">
              <option value="">{t("form.choose")}</option>
              {grounds.map((g) => <option key={g} value={g}>{releaseGrounds.label(g, locale)}</option>)}
            </select>
          ))}
          {kind === "disposal" && field("disposal", t("form.disposal"), (
            <select id={`${uid}-disposal`} name="disposal" defaultValue={typed.disposal ?? ""} required aria-describedby={described("disposal")} data-testid="step-disposal">
              <option value="">{t("form.choose")}</option>
              {disposals.values.map((d) => <option key={d} value={d}>{disposals.label(d, locale)}</option>)}
            </select>
          ))}
          {field("note", t("form.note"), (
            <textarea id={`${uid}-note`} name="note" defaultValue={typed.note ?? ""} maxLength={2000} rows={2} aria-describedby={described("note")} data-testid="step-note" />
          ))}
          {CONFIRMED.has(kind as ProcedureStepKind) && (
            <div className="form-field checkbox">
              <label>
                <input type="checkbox" name="confirm" value="yes" required aria-describedby={described("confirm")} data-testid="step-confirm" /> {t("form.confirm")}
              </label>
              {fieldError("confirm")}
            </div>
          )}
          <div className="form-actions">
            <button type="submit" className="primary" disabled={pending} data-testid="step-submit">
              {pending ? t("form.saving") : t("form.submit")}
            </button>
          </div>
        </>
      )}
    </form>
  );
}
