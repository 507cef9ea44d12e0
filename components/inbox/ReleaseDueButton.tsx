"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { releaseDueAction } from "@/app/actions/inbox";
import type { ActionResult } from "@/app/actions/wrapper";

type Result = ActionResult<{ version: number; steps: string[] }>;

/**
 * Customs' one action for goods due for release (Reg. Art. 16: the answer period passed without
 * an answer): "no answer" and the release recorded together, after the officer confirms.
 */
export function ReleaseDueButton({ caseId, caseNo, version, withNoAnswer }: { caseId: number; caseNo: string; version: number; withNoAnswer: boolean }) {
  const t = useTranslations("inbox.officers");
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const [state, action, pending] = useActionState<Result | null, FormData>(releaseDueAction, null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  useEffect(() => {
    if (state) router.refresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);

  if (state?.ok) return <span className="form-ok" role="status" data-testid="release-done">{t("released")}</span>;
  const failed = state && !state.ok;
  const label = withNoAnswer ? t("releaseNoAnswer") : t("releaseOnly");
  return (
    <form action={action} className="release-due-form" data-testid="release-due">
      <input type="hidden" name="caseId" value={caseId} />
      <input type="hidden" name="version" value={version} />
      {failed && <p className="form-error" role="alert" data-testid="release-refused">{t(state.error === "conflict" ? "releaseConflict" : "releaseFailed")}</p>}
      {!asking ? (
        <button type="button" onClick={() => setAsking(true)} aria-label={`${label}: ${caseNo}`} data-testid="release-ask">
          {label}
        </button>
      ) : (
        <span className="release-confirm">
          <input type="hidden" name="confirm" value="yes" />
          <span>{t("confirmRelease", { caseNo })}</span>{" "}
          <button type="submit" className="primary" disabled={pending} ref={confirmRef} data-testid="release-confirm">
            {t("confirm")}
          </button>{" "}
          <button type="button" onClick={() => setAsking(false)} data-testid="release-cancel">{t("cancel")}</button>
        </span>
      )}
    </form>
  );
}
