"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { resendInvitationAction } from "@/app/actions/admin";
import type { ActionResult } from "@/app/actions/wrapper";

/** Sends an invitation again: a new 7-day link; the previous one stops working. */
export function ResendInvitationButton({ userId, email }: { userId: string; email: string }) {
  const t = useTranslations("admin.users.invitations");
  const [state, action, pending] = useActionState<ActionResult<{ email: string }> | null, FormData>(resendInvitationAction, null);
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="id" value={userId} />
      <button type="submit" disabled={pending} aria-label={t("resendLabel", { email })} data-testid={`resend-${email}`}>
        {pending ? t("resending") : t("resend")}
      </button>
      {state?.ok && (
        <span className="form-ok" role="status">
          {t("resent", { email: state.data.email })}
        </span>
      )}
      {state && !state.ok && (
        <span className="field-error" role="alert">
          {t("failed")}
        </span>
      )}
    </form>
  );
}
