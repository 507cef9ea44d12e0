"use client";

import { useActionState, useEffect, useRef } from "react";
import { useTranslations } from "next-intl";
import { saveViewAction } from "@/app/actions/views";
import type { ActionResult } from "@/app/actions/wrapper";
import type { ViewPage } from "@/lib/views";
import { viewErrorText } from "./errors";

/**
 * "Save view": a modal <dialog> (focus moves into it; Escape or "Cancel" closes it and focus
 * returns to the button) asking for a name and whether to share the view with one's role.
 * The page's filter goes as its canonical query; the server parses it again.
 */
export function SaveViewButton({ page, query, sharedHint }: { page: ViewPage; query: string; sharedHint: string }) {
  const t = useTranslations("views");
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [state, action, pending] = useActionState<ActionResult<{ id: number }> | null, FormData>(saveViewAction, null);
  const failure = state && !state.ok ? state : null;
  const nameError = failure?.fieldErrors?.name ? viewErrorText(t, failure.fieldErrors.name) : null;
  const formError = failure && !nameError ? viewErrorText(t, failure.fieldErrors?.query ?? { code: failure.code ?? "failed" }) : null;

  useEffect(() => {
    if (state?.ok) dialog.current?.close();
  }, [state]);

  return (
    <>
      <button type="button" ref={opener} onClick={() => dialog.current?.showModal()} aria-haspopup="dialog" data-testid="save-view">
        {t("save")}
      </button>
      {state?.ok && (
        <span role="status" className="muted" data-testid="view-saved">
          {t("saved")}
        </span>
      )}
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby="save-view-title" onClose={() => opener.current?.focus()}>
        <form action={action} noValidate>
          <h2 id="save-view-title">{t("saveTitle")}</h2>
          <input type="hidden" name="page" value={page} />
          <input type="hidden" name="query" value={query} />
          <p>
            <label htmlFor="view-name">{t("name")}</label>
            <br />
            <input
              id="view-name" name="name" type="text" autoFocus autoComplete="off" defaultValue={String(failure?.values?.name ?? "")}
              aria-invalid={nameError ? true : undefined} aria-describedby={nameError ? "view-name-error" : "view-name-hint"}
            />
            <br />
            <span id="view-name-hint" className="muted">{t("nameHint")}</span>
            {nameError && (
              <span id="view-name-error" className="field-error" role="alert">
                <br />
                {nameError}
              </span>
            )}
          </p>
          <p>
            <label>
              <input type="checkbox" name="shared" value="on" defaultChecked={failure?.values?.shared === "on"} /> {sharedHint}
            </label>
          </p>
          {formError && (
            <p className="form-error" role="alert">
              {formError}
            </p>
          )}
          <div className="form-actions">
            <button type="button" onClick={() => dialog.current?.close()}>
              {t("cancel")}
            </button>
            <button type="submit" disabled={pending} data-testid="save-view-submit">
              {t("saveSubmit")}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
