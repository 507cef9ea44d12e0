"use client";

import { useActionState, useEffect, useRef } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { archiveProfileAction, changeProfileAction, createProfileAction } from "@/app/actions/risk-profiles";
import type { ActionResult, FieldError } from "@/app/actions/wrapper";
import { DateInput } from "@/components/ui/DateInput";
import { latinLang } from "@/lib/format";

// A risk profile's form (issue 18, item 4): name, owner, validity, reason; its filter comes
// with it as the filter model's canonical query (a hidden field), stated in words beside it.

type Result = ActionResult<{ id: number }> | null;
export type ProfileValues = { name: string; ownerId: string; query: string; validFrom: string; validTo: string; reason: string };
type T = ReturnType<typeof useTranslations>;

function errorText(t: T, error: FieldError | undefined): string | null {
  if (!error) return null;
  const key = `errors.${error.code}`;
  return t.has(key) ? t(key, error.params ?? {}) : t("errors.failed");
}

export function ProfileForm({ id, version, values, owners }: { id?: number; version?: number; values: ProfileValues; owners: { id: string; name: string }[] }) {
  const t = useTranslations("profiles");
  const router = useRouter();
  const editing = id !== undefined;
  const [state, action, pending] = useActionState<Result, FormData>(editing ? changeProfileAction : createProfileAction, null);
  const failure = state && !state.ok ? state : null;
  const v = (name: keyof ProfileValues) => String(failure?.values?.[name] ?? values[name]);
  const fieldError = (name: string) => errorText(t, failure?.fieldErrors?.[name]);
  const formError = failure && !failure.fieldErrors
    ? errorText(t, { code: failure.code ?? "failed" })
    : failure?.fieldErrors?.version || failure?.fieldErrors?.query || failure?.fieldErrors?.id
      ? errorText(t, failure.fieldErrors.version ?? failure.fieldErrors.query ?? failure.fieldErrors.id)
      : null;

  useEffect(() => {
    if (state?.ok) {
      if (editing) router.refresh();
      else router.push(`/risk/profiles/${state.data.id}`);
    }
  }, [state, editing, router]);

  const field = (name: "name" | "validFrom" | "validTo" | "reason" | "ownerId") => ({
    id: `profile-${name}`,
    name,
    "aria-invalid": fieldError(name) ? (true as const) : undefined,
    "aria-describedby": fieldError(name) ? `profile-${name}-error` : `profile-${name}-hint`,
  });
  const errorOf = (name: string) => {
    const text = fieldError(name);
    return text ? <p id={`profile-${name}-error`} className="field-error" role="alert">{text}</p> : null;
  };

  return (
    <form action={action} className="case-form" noValidate data-testid="profile-form">
      {editing && (
        <>
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="version" value={version} />
        </>
      )}
      <input type="hidden" name="query" value={values.query} />
      <fieldset>
        <legend>{t("formLegend")}</legend>
        <div className="form-field wide">
          <label htmlFor="profile-name">{t("name")} <span className="required-mark" aria-hidden="true">*</span></label>
          <input type="text" {...field("name")} defaultValue={v("name")} autoComplete="off" required />
          <p id="profile-name-hint" className="field-hint">{t("nameHint")}</p>
          {errorOf("name")}
        </div>
        <div className="form-field">
          <label htmlFor="profile-ownerId">{t("owner")}</label>
          <select {...field("ownerId")} defaultValue={v("ownerId")}>
            {owners.map((o) => (
              <option key={o.id} value={o.id}>{o.name}</option>
            ))}
          </select>
          <p id="profile-ownerId-hint" className="field-hint">{t("ownerHint")}</p>
          {errorOf("ownerId")}
        </div>
        <div className="form-field">
          <label htmlFor="profile-validFrom">{t("validFrom")} <span className="required-mark" aria-hidden="true">*</span></label>
          <DateInput {...field("validFrom")} defaultValue={v("validFrom")} required />
          <p id="profile-validFrom-hint" className="field-hint">{t("dateHint")}</p>
          {errorOf("validFrom")}
        </div>
        <div className="form-field">
          <label htmlFor="profile-validTo">{t("validTo")}</label>
          <DateInput {...field("validTo")} defaultValue={v("validTo")} />
          <p id="profile-validTo-hint" className="field-hint">{t("validToHint")}</p>
          {errorOf("validTo")}
        </div>
        <div className="form-field wide">
          <label htmlFor="profile-reason">{t("reason")} <span className="required-mark" aria-hidden="true">*</span></label>
          <textarea {...field("reason")} defaultValue={v("reason")} rows={3} required />
          <p id="profile-reason-hint" className="field-hint">{t("reasonHint")}</p>
          {errorOf("reason")}
        </div>
      </fieldset>
      {formError && <p className="form-error" role="alert" data-testid="profile-form-error">{formError}</p>}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending} data-testid="profile-submit">
          {editing ? t("saveChanges") : t("create")}
        </button>
        {state?.ok && editing && <span role="status" className="muted">{t("changed")}</span>}
      </div>
    </form>
  );
}

/** "Archive" with a confirmation dialog (Escape or "Keep it" closes it, focus returns to the button). */
export function ArchiveProfileButton({ id, version, name }: { id: number; version: number; name: string }) {
  const t = useTranslations("profiles");
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [state, action, pending] = useActionState<Result, FormData>(archiveProfileAction, null);
  useEffect(() => {
    if (state?.ok) {
      dialog.current?.close();
      router.refresh();
    }
  }, [state, router]);
  const failure = state && !state.ok ? state : null;
  const error = failure ? errorText(t, failure.fieldErrors?.version ?? failure.fieldErrors?.id ?? { code: failure.code ?? "failed" }) : null;
  return (
    <>
      <button type="button" className="danger" ref={opener} onClick={() => dialog.current?.showModal()} aria-haspopup="dialog" data-testid="profile-archive">
        {t("archive")}
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby={`archive-profile-${id}`} onClose={() => opener.current?.focus()}>
        <form action={action}>
          <h2 id={`archive-profile-${id}`}>{t.rich("archiveTitle", { name, n: (chunks) => <span lang={latinLang(name)} data-crawl-skip="">{chunks}</span> })}</h2>
          <p>{t("archiveText")}</p>
          {error && <p className="form-error" role="alert">{error}</p>}
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="version" value={version} />
          <input type="hidden" name="confirm" value="yes" />
          <div className="form-actions">
            <button type="button" onClick={() => dialog.current?.close()} autoFocus>{t("keep")}</button>
            <button type="submit" className="danger" disabled={pending} data-testid="confirm-archive-profile">{t("confirmArchive")}</button>
          </div>
        </form>
      </dialog>
    </>
  );
}
