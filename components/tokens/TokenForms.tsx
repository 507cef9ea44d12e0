"use client";

import { useActionState, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { createTokenAction, revokeAnyTokenAction, revokeMyTokenAction } from "@/app/actions/tokens";
import type { ActionResult } from "@/app/actions/wrapper";

type Created = { id: number; token: string; expiresAt: number };

/**
 * A new personal API token: a name and how long it lasts. The token is shown here once, with a
 * copy button; after leaving the page only its first characters are ever shown again.
 */
export function CreateTokenForm({ days, defaultDays, maxName }: { days: readonly number[]; defaultDays: number; maxName: number }) {
  const t = useTranslations("tokens");
  const [state, action, pending] = useActionState<ActionResult<Created> | null, FormData>(createTokenAction, null);
  const [copied, setCopied] = useState(false);
  const failure = state && !state.ok ? state : null;
  const nameError = failure?.fieldErrors?.name?.code;
  const daysError = failure?.fieldErrors?.days?.code;
  const values = failure?.values ?? {};
  const created = state?.ok ? state.data : null;
  return (
    <>
      <form action={action} className="token-form" data-testid="token-form" key={created?.id ?? "new"}>
        {failure && !failure.fieldErrors && (
          <p className="form-error" role="alert">
            {t("failed")}
          </p>
        )}
        <label>
          {t("name")}
          <input
            name="name" required maxLength={maxName} defaultValue={String(values.name ?? "")} aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? "token-name-error" : undefined} data-testid="token-name"
          />
          {nameError && (
            <span className="field-error" id="token-name-error" role="alert">
              {nameError === "too_long" ? t("nameTooLong", { max: maxName }) : t("nameRequired")}
            </span>
          )}
        </label>
        <label>
          {t("expiry")}
          <select name="days" defaultValue={String(values.days ?? defaultDays)} data-testid="token-days">
            {days.map((d) => (
              <option key={d} value={d}>
                {t("days", { count: d })}
              </option>
            ))}
          </select>
          {daysError && (
            <span className="field-error" role="alert">
              {t("daysInvalid")}
            </span>
          )}
        </label>
        <button type="submit" className="primary" disabled={pending} data-testid="token-create">
          {pending ? t("creating") : t("create")}
        </button>
      </form>
      {created && (
        <div className="token-once" role="status" data-testid="token-created">
          <p>{t("shownOnce")}</p>
          <p>
            <code data-testid="token-value">{created.token}</code>{" "}
            <button
              type="button"
              data-testid="token-copy"
              onClick={() => {
                void navigator.clipboard?.writeText(created.token).then(() => setCopied(true), () => setCopied(false));
              }}
            >
              {copied ? t("copied") : t("copy")}
            </button>
          </p>
        </div>
      )}
    </>
  );
}

/** "Revoke" with a confirmation dialog; the owner's own (on /account) or any (an admin's page). */
export function RevokeTokenButton({ id, name, any = false }: { id: number; name: string; any?: boolean }) {
  const t = useTranslations("tokens");
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [state, action, pending] = useActionState<ActionResult<{ id: number }> | null, FormData>(any ? revokeAnyTokenAction : revokeMyTokenAction, null);
  const titleId = `revoke-title-${id}`;
  return (
    <>
      <button type="button" className="danger" ref={opener} onClick={() => dialog.current?.showModal()} aria-haspopup="dialog" data-testid={`revoke-${id}`}>
        {t("revoke")}
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby={titleId} onClose={() => opener.current?.focus()}>
        <form action={action}>
          <h2 id={titleId}>{t("revokeTitle", { name })}</h2>
          <p>{t("revokeText")}</p>
          {state && !state.ok && (
            <p className="form-error" role="alert">
              {t("revokeFailed")}
            </p>
          )}
          <input type="hidden" name="id" value={id} />
          <div className="form-actions">
            <button type="button" onClick={() => dialog.current?.close()} autoFocus>
              {t("cancel")}
            </button>
            <button type="submit" className="danger" disabled={pending} data-testid={`confirm-revoke-${id}`}>
              {pending ? t("revoking") : t("confirmRevoke")}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
