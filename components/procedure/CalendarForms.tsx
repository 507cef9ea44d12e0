"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useId } from "react";
import { useTranslations } from "next-intl";
import { removeOverrideAction, setOverrideAction } from "@/app/actions/procedure";
import type { ActionResult } from "@/app/actions/wrapper";
import { DateInput } from "@/components/ui/DateInput";

type Result = ActionResult<{ date: string }>;

/** An admin enters (or replaces) the arrangement of one date in the holiday calendar. */
export function OverrideAdd() {
  const t = useTranslations("procedure");
  const router = useRouter();
  const uid = useId();
  const [state, action, pending] = useActionState<Result | null, FormData>(setOverrideAction, null);
  const failure = state && !state.ok ? state : null;
  const typed = (failure?.values ?? {}) as Record<string, string | undefined>;
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const error = (field: string) => {
    const e = failure?.fieldErrors?.[field];
    return e ? <p className="field-error" id={`${uid}-${field}-error`}>{t(`form.errors.${e.code === "required" ? "required" : e.code === "too_long" ? "too_long" : "invalid"}`)}</p> : null;
  };
  return (
    <form action={action} className="step-form" aria-labelledby={`${uid}-title`} data-testid="calendar-form">
      <h3 id={`${uid}-title`} className="visually-hidden">{t("calendar.save")}</h3>
      {state?.ok && <p className="form-ok" role="status">{t("calendar.saved", { date: state.data.date })}</p>}
      {failure && !failure.fieldErrors && <p className="form-error" role="alert">{t("form.errors.failed")}</p>}
      <div className="form-field">
        <label htmlFor={`${uid}-date`}>{t("calendar.date")}</label>
        <DateInput id={`${uid}-date`} name="date" required defaultValue={typed.date ?? ""} aria-describedby={failure?.fieldErrors?.date ? `${uid}-date-error` : undefined} data-testid="calendar-date" />
        {error("date")}
      </div>
      <div className="form-field">
        <label htmlFor={`${uid}-kind`}>{t("calendar.kind")}</label>
        <select id={`${uid}-kind`} name="kind" defaultValue={typed.kind ?? "holiday"} data-testid="calendar-kind">
          <option value="holiday">{t("calendar.holiday")}</option>
          <option value="work">{t("calendar.work")}</option>
        </select>
        {error("kind")}
      </div>
      <div className="form-field">
        <label htmlFor={`${uid}-note`}>{t("calendar.note")}</label>
        <input id={`${uid}-note`} name="note" maxLength={200} defaultValue={typed.note ?? ""} data-testid="calendar-note" />
        {error("note")}
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending} data-testid="calendar-save">{t("calendar.save")}</button>
      </div>
    </form>
  );
}

/** Removes one date's entry. */
export function OverrideRemove({ date }: { date: string }) {
  const t = useTranslations("procedure");
  const router = useRouter();
  const [state, action, pending] = useActionState<Result | null, FormData>(removeOverrideAction, null);
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  return (
    <form action={action}>
      <input type="hidden" name="date" value={date} />
      <button type="submit" disabled={pending} aria-label={t("calendar.removeLabel", { date })} data-testid={`calendar-remove-${date}`}>{t("calendar.remove")}</button>
      {state && !state.ok && <span className="field-error" role="alert">{t("form.errors.failed")}</span>}
    </form>
  );
}
