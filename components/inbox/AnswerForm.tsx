"use client";

import { useRouter } from "next/navigation";
import { startTransition, useActionState, useEffect, useId, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { answerNoticeAction } from "@/app/actions/inbox";
import type { ActionResult } from "@/app/actions/wrapper";
import { bondKinds, holderAnswers, type Locale } from "@/lib/enums";
import { formatDate, formatMoney } from "@/lib/format";

type Result = ActionResult<{ version: number; stepId: number }>;

/**
 * The right holder's answer to a detention notice (Measures Art. 22): request detention with a
 * bond (its kind, and the amount in yuan exact to the fen, at least the amount Measures Art. 23
 * requires for these goods), or decline, which the member confirms (customs then releases the
 * goods). A refusal is shown in the reader's language and what was typed stays.
 */
export function AnswerForm({ caseId, version, requiredBondFen, valueFen }: { caseId: number; version: number; requiredBondFen: number; valueFen: number }) {
  const t = useTranslations("inbox");
  const locale = useLocale() as Locale;
  const router = useRouter();
  const uid = useId();
  const [state, action, pending] = useActionState<Result | null, FormData>(answerNoticeAction, null);
  const failure = state && !state.ok ? state : null;
  const typed = (failure?.values ?? {}) as Record<string, string | undefined>;
  const [answer, setAnswer] = useState<string>(typed.answer ?? "");

  useEffect(() => {
    // answered: show the notice as it now stands (a refusal stays in view until the member asks)
    if (state?.ok) router.refresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);

  const formError = (): string | null => {
    if (!failure) return null;
    const refusal = failure.fieldErrors?._form;
    if (refusal?.code.startsWith("inbox.")) {
      const code = refusal.code.slice("inbox.".length);
      const p = refusal.params ?? {};
      const known = ["bond_below_required", "bond_required", "already_answered", "answered_by_other", "deadline_passed", "notice_closed", "changed", "holiday_calendar_unknown"];
      return t(`refusal.${known.includes(code) ? code : "invalid"}` as "refusal.invalid", {
        amount: p.required !== undefined ? formatMoney(Number(p.required), locale) : formatMoney(requiredBondFen, locale),
        lastDay: p.lastDay ? formatDate(String(p.lastDay), locale) : "—",
        year: String(p.year ?? "—"),
      });
    }
    if (failure.fieldErrors && Object.keys(failure.fieldErrors).length) return null; // beside the fields
    const known = ["forbidden", "not_found", "unavailable", "unauthenticated"] as const;
    return t(`errors.${(known as readonly string[]).includes(failure.error) ? failure.error : "failed"}` as "errors.failed");
  };
  const fieldError = (field: string) => {
    const e = failure?.fieldErrors?.[field];
    if (!e || field === "_form") return null;
    const code = ["required", "invalid", "confirm"].includes(e.code) ? e.code : "invalid";
    return <p className="field-error" id={`${uid}-${field}-error`} data-testid={`answer-error-${field}`}>{t(`errors.${code}` as "errors.invalid")}</p>;
  };
  const described = (field: string) => (failure?.fieldErrors?.[field] ? `${uid}-${field}-error` : undefined);
  const message = formError();

  return (
    <form
      // submitted by hand, not as a form action: React resets a form after its action, which
      // would drop the bond kind and the answer the member chose along with a refusal
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        startTransition(() => action(data));
      }}
      className="step-form answer-form" data-testid="answer-form" key={version}
    >
      {state?.ok && <p className="form-ok" role="status" data-testid="answer-saved">{t("saved")}</p>}
      {message && (
        <p className="form-error" role="alert" data-testid="answer-refused">
          {message}
          {failure?.fieldErrors?._form && !["inbox.bond_below_required", "inbox.bond_required"].includes(failure.fieldErrors._form.code) && (
            <> <button type="button" className="link-button" onClick={() => router.refresh()} data-testid="answer-reload">{t("reload")}</button></>
          )}
        </p>
      )}
      <input type="hidden" name="caseId" value={caseId} />
      <input type="hidden" name="version" value={version} />
      <fieldset className="answer-choice">
        <legend>{t("form.answer")}</legend>
        {holderAnswers.values.map((a) => (
          <label key={a}>
            <input type="radio" name="answer" value={a} checked={answer === a} onChange={() => setAnswer(a)} required data-testid={`answer-${a}`} />{" "}
            {holderAnswers.label(a, locale)}
          </label>
        ))}
        {fieldError("answer")}
      </fieldset>
      {answer === "requests_detention" && (
        <>
          <div className="form-field">
            <label htmlFor={`${uid}-bondKind`}>{t("form.bondKind")}</label>
            <select id={`${uid}-bondKind`} name="bondKind" defaultValue={typed.bondKind ?? ""} required aria-describedby={described("bondKind")} data-testid="answer-bond-kind">
              <option value="">{t("form.choose")}</option>
              {bondKinds.values.map((b) => <option key={b} value={b}>{bondKinds.label(b, locale)}</option>)}
            </select>
            {fieldError("bondKind")}
          </div>
          <div className="form-field">
            <label htmlFor={`${uid}-bondYuan`}>{t("form.bondYuan")}</label>
            <input
              id={`${uid}-bondYuan`} name="bondYuan" inputMode="decimal" defaultValue={typed.bondYuan ?? ""} maxLength={20}
              aria-describedby={[described("bondYuan"), `${uid}-bond-hint`].filter(Boolean).join(" ")} data-testid="answer-bond"
            />
            <p className="muted hint" id={`${uid}-bond-hint`} data-testid="answer-required-bond">
              {t("form.requiredBond", { amount: formatMoney(requiredBondFen, locale), value: formatMoney(valueFen, locale) })}
            </p>
            {fieldError("bondYuan")}
          </div>
        </>
      )}
      {answer === "declines" && (
        <div className="form-field checkbox">
          <label>
            <input type="checkbox" name="confirm" value="yes" required aria-describedby={described("confirm")} data-testid="answer-confirm" /> {t("form.confirmDecline")}
          </label>
          {fieldError("confirm")}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending || !answer} data-testid="answer-submit">
          {pending ? t("form.saving") : t("form.submit")}
        </button>
      </div>
    </form>
  );
}
