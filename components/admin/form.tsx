"use client";

import { startTransition, useActionState, useId, useState, type FormEvent, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import type { ActionResult, FieldError } from "@/app/actions/wrapper";

// The admin forms' common parts: an action's state, its field errors translated from their
// codes (admin.errors.*), and fields that point at their error with aria-describedby.

export type AdminAction<T> = (previous: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

export function useAdminForm<T>(action: AdminAction<T>) {
  const t = useTranslations("admin.errors");
  const [state, formAction, pending] = useActionState<ActionResult<T> | null, FormData>(action, null);
  const prefix = useId();
  // one more answer, one more key: the fields remount with the defaults of that answer
  const [answered, setAnswered] = useState({ state, count: 0 });
  if (answered.state !== state) setAnswered({ state, count: answered.count + 1 });
  const failed = state && !state.ok ? state : null;
  const message = (error: FieldError) => {
    const params = { min: 0, max: 0, ...error.params };
    return t.has(error.code) ? t(error.code, params) : t("invalid");
  };
  const formErrorCode: FieldError | null = failed
    ? (failed.fieldErrors?._form ?? (failed.error === "invalid" ? { code: "fields" } : { code: failed.code ?? failed.error, params: failed.params }))
    : null;
  // Submitting by hand rather than through the form's action prop: React resets a form after
  // its action, which would put controlled selects back on their first option while their
  // state says otherwise. The fields are remounted with `key` instead (the action prop stays
  // for a submission before hydration).
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => formAction(data));
  };
  return {
    state,
    formAction,
    /** spread on the <form> */
    formProps: { action: formAction, onSubmit },
    pending,
    prefix,
    /** the data of the last successful submission */
    done: state?.ok ? state.data : null,
    /** a field's error message, translated */
    error: (field: string): string | null => (failed?.fieldErrors?.[field] ? message(failed.fieldErrors[field]!) : null),
    /** what the user typed in a field of a refused submission (to put back), else the fallback */
    value: (field: string, fallback: string): string => {
      const v = failed?.values?.[field];
      return typeof v === "string" ? v : fallback;
    },
    checked: (field: string, fallback: boolean): boolean => (failed?.values ? failed.values[field] === "on" : fallback),
    formError: formErrorCode ? message(formErrorCode) : null,
    /** remounts the fields after each answer, so defaults show the values to put back */
    key: String(answered.count),
  };
}
export type AdminForm = ReturnType<typeof useAdminForm<unknown>>;

type Control = { id: string; name: string; "aria-invalid"?: true; "aria-describedby"?: string };

/** A labelled control with its hint and error message below it. */
export function Field({
  form, name, label, hint, children, className,
}: {
  form: Pick<AdminForm, "prefix" | "error">;
  name: string;
  label: string;
  hint?: ReactNode;
  className?: string;
  children: (control: Control) => ReactNode;
}) {
  const id = `${form.prefix}-${name}`;
  const error = form.error(name);
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`admin-field${error ? " has-error" : ""}${className ? ` ${className}` : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, name, ...(error ? { "aria-invalid": true as const } : {}), ...(describedBy ? { "aria-describedby": describedBy } : {}) })}
      {hint && (
        <p id={`${id}-hint`} className="admin-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A checkbox with its label beside it. */
export function CheckboxField({ form, name, label, defaultChecked }: { form: AdminForm; name: string; label: string; defaultChecked: boolean }) {
  const id = `${form.prefix}-${name}`;
  return (
    <div className="admin-check">
      <input type="checkbox" id={id} name={name} defaultChecked={form.checked(name, defaultChecked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** The form's own answer: an error for the whole form, or what was done. */
export function FormStatus({ form, done }: { form: Pick<AdminForm, "formError" | "state">; done: ReactNode }) {
  return (
    <div aria-live="polite" className="admin-status">
      {form.formError && (
        <p className="form-error" role="alert">
          {form.formError}
        </p>
      )}
      {form.state?.ok && done && (
        <p className="form-ok" role="status">
          {done}
        </p>
      )}
    </div>
  );
}
