"use client";

import { useActionState, useRef } from "react";
import { useTranslations } from "next-intl";
import { changeViewAction, deleteViewAction } from "@/app/actions/views";
import type { ActionResult } from "@/app/actions/wrapper";
import { viewErrorText } from "./errors";

type Result = ActionResult<{ id: number }> | null;

/** Rename (and share or not) one of the reader's views. */
export function RenameViewForm({ id, name, shared, sharedHint }: { id: number; name: string; shared: boolean; sharedHint: string }) {
  const t = useTranslations("views");
  const [state, action, pending] = useActionState<Result, FormData>(changeViewAction, null);
  const failure = state && !state.ok ? state : null;
  const error = failure ? viewErrorText(t, failure.fieldErrors?.name ?? failure.fieldErrors?.id ?? { code: failure.code ?? "failed" }) : null;
  const errorId = `view-${id}-error`;
  return (
    <form action={action} className="inline-form" noValidate>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="what" value="rename" />
      <label className="visually-hidden" htmlFor={`view-${id}-name`}>{t("name")}</label>
      <input
        id={`view-${id}-name`} name="name" type="text" defaultValue={String(failure?.values?.name ?? name)} autoComplete="off"
        aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined} data-testid={`view-name-${id}`}
      />{" "}
      <label>
        <input type="checkbox" name="shared" value="on" defaultChecked={failure ? failure.values?.shared === "on" : shared} /> {sharedHint}
      </label>{" "}
      <button type="submit" disabled={pending} data-testid={`view-rename-${id}`}>{t("rename")}</button>
      {state?.ok && <span role="status" className="muted"> {t("changed")}</span>}
      {error && <span id={errorId} className="field-error" role="alert"> {error}</span>}
    </form>
  );
}

/** Sets one of the reader's views to the filter the reader came from. */
export function UpdateViewButton({ id, query }: { id: number; query: string }) {
  const t = useTranslations("views");
  const [state, action, pending] = useActionState<Result, FormData>(changeViewAction, null);
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="what" value="update" />
      <input type="hidden" name="query" value={query} />
      <button type="submit" disabled={pending} data-testid={`view-update-${id}`}>{t("update")}</button>
      {state?.ok && <span role="status" className="muted"> {t("changed")}</span>}
      {state && !state.ok && <span className="field-error" role="alert"> {t("errors.failed")}</span>}
    </form>
  );
}

/** "Delete" with a confirmation dialog (Escape or "Keep it" closes it, focus returns to the button). */
export function DeleteViewButton({ id, name }: { id: number; name: string }) {
  const t = useTranslations("views");
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [state, action, pending] = useActionState<Result, FormData>(deleteViewAction, null);
  return (
    <>
      <button type="button" className="danger" ref={opener} onClick={() => dialog.current?.showModal()} aria-haspopup="dialog" data-testid={`view-delete-${id}`}>
        {t("delete")}
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby={`delete-view-${id}`} onClose={() => opener.current?.focus()}>
        <form action={action}>
          <h2 id={`delete-view-${id}`}>{t("deleteTitle", { name })}</h2>
          <p>{t("deleteText")}</p>
          {state && !state.ok && <p className="form-error" role="alert">{t("errors.failed")}</p>}
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="confirm" value="yes" />
          <div className="form-actions">
            <button type="button" onClick={() => dialog.current?.close()} autoFocus>{t("keep")}</button>
            <button type="submit" className="danger" disabled={pending} data-testid="confirm-delete-view">{t("confirmDelete")}</button>
          </div>
        </form>
      </dialog>
    </>
  );
}
