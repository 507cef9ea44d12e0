"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { setWatchRuleAction } from "@/app/actions/watchlist";
import type { ActionResult } from "@/app/actions/wrapper";
import { MAX_WATCH_CASES, MAX_WATCH_MONTHS, type WatchRule } from "@/lib/watchlist";

/** The admin's watch-list rule: at least N cases within M months (audited). */
export function WatchRuleForm({ rule }: { rule: WatchRule }) {
  const t = useTranslations("watchlist.rule");
  const [state, action, pending] = useActionState<ActionResult<WatchRule> | null, FormData>(setWatchRuleAction, null);
  const errors = state && !state.ok ? state.fieldErrors ?? {} : {};
  const failed = state && !state.ok && !state.fieldErrors;
  return (
    <form action={action} className="watch-rule-form" data-testid="watch-rule-form" noValidate>
      <div className="field">
        <label htmlFor="watch-min-cases">{t("minCases")}</label>
        <input id="watch-min-cases" name="minCases" type="number" min={1} max={MAX_WATCH_CASES} defaultValue={rule.minCases} required
          aria-invalid={errors.minCases ? true : undefined} aria-describedby={errors.minCases ? "watch-min-cases-error" : undefined} />
        {errors.minCases && <p id="watch-min-cases-error" className="field-error" role="alert">{t("minCasesError", { max: MAX_WATCH_CASES })}</p>}
      </div>
      <div className="field">
        <label htmlFor="watch-months">{t("months")}</label>
        <input id="watch-months" name="months" type="number" min={1} max={MAX_WATCH_MONTHS} defaultValue={rule.months} required
          aria-invalid={errors.months ? true : undefined} aria-describedby={errors.months ? "watch-months-error" : undefined} />
        {errors.months && <p id="watch-months-error" className="field-error" role="alert">{t("monthsError", { max: MAX_WATCH_MONTHS })}</p>}
      </div>
      <button type="submit" disabled={pending}>{t("save")}</button>
      {failed && <p className="field-error" role="alert">{t("failed")}</p>}
      {state?.ok && <p className="form-ok" role="status" data-testid="watch-rule-saved">{t("saved", state.data)}</p>}
    </form>
  );
}
