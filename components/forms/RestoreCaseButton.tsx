"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { restoreCaseAction } from "@/app/actions/cases";
import type { ActionResult } from "@/app/actions/wrapper";

/** Restores one soft-deleted case; on success the page reloads with a link to it. */
export function RestoreCaseButton({ caseId, caseNo }: { caseId: number; caseNo: string }) {
  const t = useTranslations("forms.deleted");
  const [state, action, pending] = useActionState<ActionResult<{ id: number }> | null, FormData>(restoreCaseAction, null);
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="id" value={caseId} />
      <button type="submit" disabled={pending} aria-label={t("restoreCase", { caseNo })} data-testid={`restore-${caseNo}`}>
        {pending ? t("restoring") : t("restore")}
      </button>
      {state && !state.ok && (
        <span className="field-error" role="alert">
          {t("failed")}
        </span>
      )}
    </form>
  );
}
