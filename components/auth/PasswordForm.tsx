"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { changePassword, type PasswordState } from "@/app/actions/auth";

export function PasswordForm() {
  const t = useTranslations("auth.password2");
  const [state, action, pending] = useActionState<PasswordState, FormData>(changePassword, null);
  return (
    <form action={action} className="login-form">
      {state && "error" in state && <p role="alert" className="form-error">{t(`errors.${state.error}`)}</p>}
      <label>
        <span>{t("current")}</span>
        <input type="password" name="current" autoComplete="current-password" required />
      </label>
      <label>
        <span>{t("new")}</span>
        <input type="password" name="new" autoComplete="new-password" minLength={10} maxLength={128} required />
      </label>
      <label>
        <span>{t("repeat")}</span>
        <input type="password" name="repeat" autoComplete="new-password" minLength={10} maxLength={128} required />
      </label>
      <button type="submit" className="primary" disabled={pending}>{t("save")}</button>
    </form>
  );
}
