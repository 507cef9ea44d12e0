"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { retryMailAction } from "@/app/actions/outbox";
import type { ActionResult } from "@/app/actions/wrapper";

/** Sends one waiting or given-up mail again at once; on success the page reloads saying so. */
export function RetryMailButton({ id, to }: { id: number; to: string }) {
  const t = useTranslations("outbox");
  const [state, action, pending] = useActionState<ActionResult<{ id: number }> | null, FormData>(retryMailAction, null);
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="id" value={id} />
      <button type="submit" disabled={pending} aria-label={t("retryLabel", { to })} data-testid={`retry-${id}`}>
        {pending ? t("retrying") : t("retry")}
      </button>
      {state && !state.ok && (
        <span className="field-error" role="alert">
          {t("retryFailed")}
        </span>
      )}
    </form>
  );
}
