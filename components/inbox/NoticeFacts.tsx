import { getTranslations } from "next-intl/server";
import type { NoticeState, NoticeView } from "@/lib/inbox";
import type { Locale } from "@/lib/enums";
import { formatCount, formatDate } from "@/lib/format";

/** A notice's state in words, as a badge (the colour repeats the words, never replaces them). */
export async function NoticeStateBadge({ state }: { state: NoticeState; locale: Locale }) {
  const t = await getTranslations("inbox");
  return <span className={`notice-state notice-state-${state}`} data-state={state}>{t(`state.${state}`)}</span>;
}

/** The answer deadline: "24:00 Beijing time, date" and the working days left, or that it has passed. */
export async function NoticeDeadline({ view, locale }: { view: NoticeView; locale: Locale }) {
  const t = await getTranslations("inbox");
  if (!view.deadline) return <span className="muted">{t("unknownYear", { year: view.unknownHolidayYear ?? "—" })}</span>;
  return (
    <span data-testid="notice-deadline">
      <time dateTime={view.deadline.endsAt.toISOString()}>{t("ends", { date: formatDate(view.deadline.lastDay, locale) })}</time>
      {/* the countdown while the notice waits for its answer; once answered or closed, the date alone */}
      {(view.state === "open" || view.state === "overdue") && (
        <>
          <br />
          <span className={view.deadline.passed ? "overdue" : "muted"} data-testid="notice-left">
            {view.deadline.passed ? t("passed") : t("daysLeft", { count: view.deadline.workingDaysLeft, n: formatCount(view.deadline.workingDaysLeft, locale) })}
          </span>
        </>
      )}
    </span>
  );
}
