"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { setRetentionAction } from "@/app/actions/parties";
import type { ActionResult } from "@/app/actions/wrapper";
import type { ErasureResult } from "@/db/repo/parties";

/** The admin's retention of personal identity numbers (months), and what the last save erased. */
export function RetentionForm({ months }: { months: number | null }) {
  const t = useTranslations("parties.retention");
  const [state, action, pending] = useActionState<ActionResult<ErasureResult> | null, FormData>(setRetentionAction, null);
  const error = state && !state.ok ? state.fieldErrors?.months?.code ?? state.error : null;
  return (
    <form action={action} className="retention-form" data-testid="retention-form" noValidate>
      <label htmlFor="retention-months">{t("label")}</label>
      <input
        id="retention-months"
        name="months"
        type="number"
        min={1}
        max={600}
        defaultValue={months ?? ""}
        aria-describedby="retention-hint"
        aria-invalid={error ? true : undefined}
        required
      />
      <button type="submit" disabled={pending}>{t("save")}</button>
      <p id="retention-hint" className="field-hint">{months === null ? t("unset") : t("hint", { months })}</p>
      {error && <p className="field-error" role="alert">{t("error")}</p>}
      {state?.ok && <p className="form-ok" role="status" data-testid="retention-saved">{t("saved", { erased: state.data.erased })}</p>}
    </form>
  );
}
