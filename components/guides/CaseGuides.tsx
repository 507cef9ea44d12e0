import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { guidesOfHolders } from "@/db/repo/guides";
import type { Locale } from "@/lib/enums";
import { latinLang } from "@/lib/format";
import { imageUrl } from "./PairFigure";

/**
 * The case page's "Authentication guides": the guides of the case's right holders that the
 * reader may see (a member: its own company's only; an officer: those shared with all customs
 * or its district), so an officer looking at detained goods has the right holder's guidance.
 */
export async function CaseGuides({ guides: pending, locale }: { guides: ReturnType<typeof guidesOfHolders>; locale: Locale }) {
  const t = await getTranslations("guides");
  const guides = await pending;
  const date = new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeZone: "Asia/Shanghai" });
  return (
    <section className="panel" aria-labelledby="case-guides-title">
      <h2 id="case-guides-title">{t("caseTitle")}</h2>
      {guides.length === 0 ? (
        <p className="muted" data-testid="case-guides">
          {t("caseNone")}
        </p>
      ) : (
        <ul className="guide-list compact" data-testid="case-guides">
          {guides.map((g) => {
            const title = locale === "zh" ? g.titleZh : g.titleEn;
            return (
              <li key={g.id} className="guide-card" data-guide={g.id}>
                {g.firstPair !== null ? (
                  // eslint-disable-next-line @next/next/no-img-element -- a stored thumbnail, served by the API with its own access checks
                  <img src={imageUrl(g.id, g.firstPair, "genuine", true)} alt="" width={96} height={72} loading="lazy" />
                ) : (
                  <span className="guide-card-blank" aria-hidden="true" />
                )}
                <div>
                  <Link href={`/guides/${g.id}`} lang={latinLang(title)}>
                    {title}
                  </Link>
                  <p className="guide-meta">{t("versionOn", { version: g.version, date: date.format(new Date(g.updatedAt)) })}</p>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
