import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { DailyErasure } from "@/db/repo/parties";
import type { Locale } from "@/lib/enums";
import { shanghaiDateTime } from "./format";

/**
 * The admin page's line on the daily erasure of expired identity numbers (db/erasure-job.ts):
 * when it last ran (Beijing time) and how many persons' numbers it erased — or that
 * it has not run yet — with a link to the erasures in the audit log.
 */
export async function ErasureLastRun({ run }: { run: DailyErasure | null }) {
  const t = await getTranslations("parties.retention");
  const locale = (await getLocale()) as Locale;
  return (
    <div className="erasure-last-run" data-testid="erasure-last-run" data-ran-at={run?.ranAt ?? ""} data-erased={run?.erased ?? ""}>
      <h3>{t("autoTitle")}</h3>
      {!run ? (
        <p>{t("autoNever")}</p>
      ) : (
        <>
          <p>
            {run.retentionMonths === null
              ? t("autoRanUnset", { when: shanghaiDateTime(run.ranAt, locale) })
              : t("autoRan", { when: shanghaiDateTime(run.ranAt, locale), erased: run.erased })}
            {run.source === "command" && <> {t.rich("autoCommand", { code: (chunks) => <code>{chunks}</code> })}</>}
          </p>
          <p className="admin-card-text">{t("autoNext")}</p>
        </>
      )}
      <p>
        <Link href="/admin/audit?entity=party_ids">{t("autoAudit")}</Link>
      </p>
    </div>
  );
}
