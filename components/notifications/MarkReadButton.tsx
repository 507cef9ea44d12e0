"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { markNotificationsReadAction } from "@/app/actions/notifications";
import type { ActionResult } from "@/app/actions/wrapper";

/** Marks one notification read (`id`), or all of the reader's ("all"); the page and the bell then show it. */
export function MarkReadButton({ id, label }: { id: number | "all"; label: string }) {
  const t = useTranslations("notifications.page");
  const [state, action, pending] = useActionState<ActionResult<{ changed: number }> | null, FormData>(markNotificationsReadAction, null);
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="id" value={String(id)} />
      <button type="submit" disabled={pending} aria-label={label} data-testid={id === "all" ? "mark-all-read" : `mark-read-${id}`}>
        {id === "all" ? t("markAllRead") : t("markRead")}
      </button>
      {state && !state.ok && (
        <span className="field-error" role="alert">
          {t("failed")}
        </span>
      )}
    </form>
  );
}
