import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { riskProfilesOfCase } from "@/db/repo/risk-profiles";
import type { Locale } from "@/lib/enums";
import { formatDate, latinLang } from "@/lib/format";
import { shanghaiDate } from "@/lib/risk-profiles";

/**
 * The case page's "Risk profiles hit" (issue 18, item 4). Rendered for staff only (the page
 * asks `can(role, "readRisk")` first): a member never learns a profile's name.
 */
export async function CaseProfileHits({ hits: pending }: { hits: ReturnType<typeof riskProfilesOfCase> }) {
  const t = await getTranslations("profiles");
  const locale = (await getLocale()) as Locale;
  const hits = await pending;
  return (
    <section className="panel" data-testid="case-profile-hits">
      <h2>{t("caseSection")}</h2>
      {hits.length === 0 ? (
        <p className="muted">{t("caseNone")}</p>
      ) : (
        <ul className="holders">
          {hits.map((h) => (
            <li key={h.id}>
              <Link href={`/risk/profiles/${h.id}`} lang={latinLang(h.name)}>{h.name}</Link>{" "}
              <span className="muted">{t("caseHitOn", { date: formatDate(shanghaiDate(h.hitAt), locale) })}{h.archived ? ` · ${t("state.archived")}` : ""}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
