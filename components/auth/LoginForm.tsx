"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { signIn, type SignInState } from "@/app/actions/auth";

export function LoginForm({ next, demoAccounts }: { next: string; demoAccounts: { email: string; role: string }[] }) {
  const t = useTranslations("auth");
  const [state, action, pending] = useActionState<SignInState, FormData>(signIn, null);
  const message =
    state?.error === "throttled"
      ? t("throttled", { seconds: state.seconds ?? 30 })
      : state?.error === "missing"
        ? t("missing")
        : state?.error === "invalid"
          ? t("invalid")
          : null;
  return (
    <form action={action} className="login-form" aria-describedby={message ? "login-error" : undefined}>
      <input type="hidden" name="next" value={next} />
      {message && (
        <p id="login-error" className="form-error" role="alert">
          {message}
        </p>
      )}
      <label>
        <span>{t("email")}</span>
        <input type="email" name="email" autoComplete="username" required defaultValue={state?.email ?? ""} key={state?.email} />
      </label>
      <label>
        <span>{t("password")}</span>
        <input type="password" name="password" autoComplete="current-password" required />
      </label>
      <button type="submit" className="primary" disabled={pending}>
        {pending ? t("signingIn") : t("signIn")}
      </button>
      {demoAccounts.length > 0 && (
        <section className="demo-accounts" aria-labelledby="demo-accounts">
          <h2 id="demo-accounts">{t("demo.title")}</h2>
          <p>{t("demo.text")}</p>
          <ul>
            {demoAccounts.map((a) => (
              <li key={a.email}>
                <code>{a.email}</code> — {a.role}
              </li>
            ))}
          </ul>
        </section>
      )}
    </form>
  );
}
