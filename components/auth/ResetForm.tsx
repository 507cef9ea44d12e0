"use client";

import { useActionState } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { resetWithLinkAction, type ResetState } from "@/app/actions/auth";

/** Chooses a new password through a reset or invitation link. */
export function ResetForm({ token, email, invitation }: { token: string; email: string; invitation: boolean }) {
  const t = useTranslations("resetMail");
  const [state, action, pending] = useActionState<ResetState, FormData>(resetWithLinkAction, null);
  const message = state ? t(`errors.${state.error}`) : null;
  return (
    <form action={action} className="login-form" aria-describedby={message ? "reset-error" : undefined}>
      <input type="hidden" name="token" value={token} />
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      {message && (
        <p id="reset-error" className="form-error" role="alert">
          {message}
          {state?.error === "invalid" && (
            <>
              {" "}
              <Link href="/login/forgot">{t("askAgain")}</Link>
            </>
          )}
        </p>
      )}
      <label>
        <span>{t("new")}</span>
        <input type="password" name="new" autoComplete="new-password" required minLength={10} maxLength={128} />
      </label>
      <label>
        <span>{t("repeat")}</span>
        <input type="password" name="repeat" autoComplete="new-password" required minLength={10} maxLength={128} />
      </label>
      <button type="submit" className="primary" disabled={pending}>
        {pending ? t("saving") : invitation ? t("saveInvitation") : t("save")}
      </button>
    </form>
  );
}
