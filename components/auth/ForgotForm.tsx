"use client";

import { useActionState } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { requestResetAction, type ForgotState } from "@/app/actions/auth";

/** Asks for a reset link by e-mail; the answer is the same for any address. */
export function ForgotForm() {
  const t = useTranslations("resetMail");
  const [state, action, pending] = useActionState<ForgotState, FormData>(requestResetAction, null);
  if (state && "sent" in state) {
    return (
      <div className="login-form">
        <p className="form-ok" role="status" data-testid="forgot-sent">
          {t("sent", { email: state.email })}
        </p>
        <p>
          <Link href="/login">{t("backToSignIn")}</Link>
        </p>
      </div>
    );
  }
  const message = state?.error === "throttled" ? t("throttled", { minutes: Math.max(1, Math.ceil((state.seconds ?? 60) / 60)) }) : state?.error === "email" ? t("badEmail") : null;
  return (
    <form action={action} className="login-form" aria-describedby={message ? "forgot-error" : undefined}>
      {message && (
        <p id="forgot-error" className="form-error" role="alert">
          {message}
        </p>
      )}
      <label>
        <span>{t("email")}</span>
        <input type="email" name="email" autoComplete="username" required defaultValue={state?.email ?? ""} key={state?.email} />
      </label>
      <button type="submit" className="primary" disabled={pending}>
        {pending ? t("sending") : t("send")}
      </button>
      <p>
        <Link href="/login">{t("backToSignIn")}</Link>
      </p>
    </form>
  );
}
