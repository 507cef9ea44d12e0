"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef } from "react";
import { useLocale, useTranslations } from "next-intl";
import { deleteCaseAction } from "@/app/actions/cases";
import type { ActionResult } from "@/app/actions/wrapper";
import type { Locale } from "@/lib/enums";

/**
 * "Delete" with a confirmation step: a modal <dialog> (focus moves into it, Escape or
 * "Keep the case" closes it and focus returns to the button). Confirming soft-deletes the
 * case made against the version shown and lands on the case table with a notice.
 */
export function DeleteCaseButton({ caseId, caseNo, version }: { caseId: number; caseNo: string; version: number }) {
  const t = useTranslations("forms.caseActions");
  const locale = useLocale() as Locale;
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [state, action, pending] = useActionState<ActionResult<{ id: number }> | null, FormData>(deleteCaseAction, null);
  const failure = state && !state.ok ? state : null;

  useEffect(() => {
    // changed meanwhile: show the case as it is now; the dialog stays open with the message
    if (failure?.error === "conflict") router.refresh();
  }, [failure, router]);

  const close = () => {
    dialog.current?.close();
  };
  const message = failure
    ? failure.error === "conflict"
      ? t("conflict", {
          user: String(failure.params?.user ?? "—"),
          at: failure.params?.at
            ? new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(new Date(String(failure.params.at)))
            : "—",
          version: String(failure.params?.version ?? ""),
        })
      : t("failed")
    : null;

  return (
    <>
      <button type="button" className="danger" ref={opener} onClick={() => dialog.current?.showModal()} aria-haspopup="dialog" data-testid="delete-case">
        {t("delete")}
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby="delete-title" aria-describedby="delete-text" onClose={() => opener.current?.focus()}>
        <form action={action}>
          <h2 id="delete-title">{t("deleteTitle", { caseNo })}</h2>
          <p id="delete-text">{t("deleteText")}</p>
          {message && (
            <p className="form-error" role="alert">
              {message}
            </p>
          )}
          <input type="hidden" name="id" value={caseId} />
          <input type="hidden" name="version" value={version} />
          <div className="form-actions">
            <button type="button" onClick={close} autoFocus>
              {t("cancel")}
            </button>
            <button type="submit" className="danger" disabled={pending} data-testid="confirm-delete">
              {pending ? t("deleting") : t("confirmDelete")}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
