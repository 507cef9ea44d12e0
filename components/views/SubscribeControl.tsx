"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { setSubscriptionAction } from "@/app/actions/subscriptions";
import type { ActionResult } from "@/app/actions/wrapper";

type Result = ActionResult<{ id: number | null; frequency: "off" | "weekly" | "monthly" }> | null;

/** The reader's e-mail digest of one view: off, weekly or monthly (issue 20, item 3). */
export function SubscribeControl({ id, name, frequency }: { id: number; name: string; frequency: "off" | "weekly" | "monthly" }) {
  const t = useTranslations("subscriptions");
  const [state, action, pending] = useActionState<Result, FormData>(setSubscriptionAction, null);
  const failure = state && !state.ok ? state : null;
  const code = failure ? (failure.fieldErrors?.id ?? failure.fieldErrors?.frequency)?.code ?? failure.error : null;
  const error = code ? (t.has(`errors.${code}`) ? t(`errors.${code}`) : t("errors.failed")) : null;
  const current = state?.ok ? state.data.frequency : frequency;
  const errorId = `subscribe-${id}-error`;
  return (
    <form action={action} className="inline-form subscribe-form" data-testid={`subscribe-${id}`}>
      <input type="hidden" name="id" value={id} />
      <label className="visually-hidden" htmlFor={`subscribe-${id}-frequency`}>{t("frequency", { name })}</label>
      <select
        id={`subscribe-${id}-frequency`} name="frequency" defaultValue={current} key={current}
        aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined} data-testid={`subscribe-frequency-${id}`}
      >
        <option value="off">{t("off")}</option>
        <option value="weekly">{t("weekly")}</option>
        <option value="monthly">{t("monthly")}</option>
      </select>{" "}
      <button type="submit" disabled={pending} data-testid={`subscribe-set-${id}`}>{t("set")}</button>
      {state?.ok && <span role="status" className="muted"> {t("saved")}</span>}
      {error && <span id={errorId} className="field-error" role="alert"> {error}</span>}
    </form>
  );
}
