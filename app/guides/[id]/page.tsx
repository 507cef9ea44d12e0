import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { PairFigure } from "@/components/guides/PairFigure";
import { PairEditor } from "@/components/guides/PairEditor";
import { PairUpload } from "@/components/guides/PairUpload";
import { getGuide, type GuideDetail } from "@/db/repo/guides";
import { goodsCategories, guideFeatures, guideSharings, type Locale } from "@/lib/enums";
import { latinLang } from "@/lib/format";
import { can, type SessionUser } from "@/lib/roles";
import { metadataUser, requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

/** The guide as this reader may see it: another company's (a member), or one not shared with an officer's district, is a 404. */
async function load(id: string, user: SessionUser): Promise<GuideDetail | null> {
  return /^\d{1,9}$/.test(id) ? getGuide(user, Number(id)) : null;
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const user = await metadataUser("readGuides");
  const found = user ? await load((await params).id, user) : null;
  const t = await getTranslations("guides");
  const locale = await getLocale();
  return { title: found ? (locale === "zh" ? found.titleZh : found.titleEn) : t("notFound") };
}

function Text({ en, zh, locale }: { en: string | null; zh: string | null; locale: Locale }) {
  const text = locale === "zh" ? (zh ?? en) : (en ?? zh);
  if (!text) return <p className="muted">—</p>;
  return (
    <>
      {text.split(/\n+/).map((line, i) => (
        <p key={i} lang={latinLang(line) ?? (locale === "en" && zh === text ? "zh-CN" : undefined)}>
          {line}
        </p>
      ))}
    </>
  );
}

export default async function GuidePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const user = await requirePageUser("readGuides", `/guides/${id}`);
  const g = await load(id, user);
  if (!g) notFound();
  const editing = (await searchParams).markers !== undefined;
  const t = await getTranslations("guides");
  const locale = (await getLocale()) as Locale;
  const keeps = can(user.role, "keepGuides");
  const member = user.role === "member";
  const dateTime = new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" });
  const date = new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-GB", { dateStyle: "long", timeZone: "Asia/Shanghai" });
  const features = guideFeatures.values.map((f) => ({ value: f, label: guideFeatures.label(f, locale) }));
  const title = locale === "zh" ? g.titleZh : g.titleEn;
  return (
    <>
      <p className="ref-back">
        <Link href="/guides">{t("back")}</Link>
      </p>
      <h1 lang={latinLang(title)}>{title}</h1>
      <p className="lede guide-changed" data-testid="guide-changed">
        {t("changedOn", { version: g.version, date: date.format(new Date(g.updatedAt)) })}
      </p>
      {keeps && (
        <p className="guide-actions">
          <Link href={`/guides/${g.id}/edit`} data-testid="edit-guide-link">
            {t("edit")}
          </Link>
          {g.pairs.length > 0 &&
            (editing ? (
              <Link href={`/guides/${g.id}`}>{t("doneMarkers")}</Link>
            ) : (
              <Link href={`/guides/${g.id}?markers`} data-testid="edit-markers-link">
                {t("editMarkers")}
              </Link>
            ))}
        </p>
      )}
      <div className="detail-grid">
        <section className="panel" aria-labelledby="guide-facts-title">
          <h2 id="guide-facts-title">{t("facts")}</h2>
          <dl className="rec-facts" data-testid="guide-facts">
            <dt>{t("brand")}</dt>
            <dd lang="en">{g.brand}</dd>
            <dt>{t("productLine")}</dt>
            <dd lang={latinLang(g.productLine)}>{g.productLine ?? "—"}</dd>
            <dt>{t("holder")}</dt>
            <dd>{locale === "zh" && g.holderNameZh ? g.holderNameZh : <span lang="en">{g.holderName}</span>}</dd>
            <dt>{t("categories")}</dt>
            <dd>{g.categories.map((c) => goodsCategories.label(c, locale)).join(locale === "zh" ? "、" : ", ") || "—"}</dd>
            <dt>{t("recordations")}</dt>
            <dd>
              {g.recordations.length === 0
                ? "—"
                : g.recordations.map((r, i) => (
                    <span key={r.id}>
                      {i > 0 ? ", " : ""}
                      <Link href={`/recordations/${r.id}`}>{r.number}</Link>
                    </span>
                  ))}
            </dd>
            <dt>{t("sharing")}</dt>
            <dd data-testid="guide-sharing">
              {guideSharings.label(g.sharing, locale)}
              {g.sharing === "districts" && `: ${g.districts.map((d) => (locale === "zh" ? d.nameZh : d.nameEn)).join(locale === "zh" ? "、" : ", ")}`}
            </dd>
            <dt>{t("contact")}</dt>
            <dd lang={latinLang(g.contact)} data-testid="guide-contact">
              {g.contact}
            </dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="guide-summary-title">
          <h2 id="guide-summary-title">{t("summary")}</h2>
          <Text en={g.summaryEn} zh={g.summaryZh} locale={locale} />
          <h3>{t("fakes")}</h3>
          <Text en={g.fakesEn} zh={g.fakesZh} locale={locale} />
          <h3>{t("routes")}</h3>
          <Text en={g.routesEn} zh={g.routesZh} locale={locale} />
        </section>
      </div>
      <section className="panel" aria-labelledby="guide-pairs-title">
        <h2 id="guide-pairs-title">{t("pairsTitle")}</h2>
        {g.pairs.length === 0 && <p className="muted">{t("noPairs")}</p>}
        {g.pairs.map((pair) =>
          keeps && editing ? (
            <PairEditor key={`${pair.id}-${g.version}`} guideId={g.id} pair={pair} features={features} />
          ) : (
            <PairFigure
              key={pair.id}
              guideId={g.id}
              pair={pair}
              labels={{
                genuine: t("genuine"),
                fake: t("fake"),
                feature: guideFeatures.label(pair.feature, locale),
                caption: locale === "zh" ? (pair.captionZh ?? null) : (pair.captionEn ?? null),
                markersOf: (side) => t("markersOf", { side }),
              }}
            />
          ),
        )}
        {keeps && <PairUpload guideId={g.id} features={features} />}
      </section>
      <section className="panel" aria-labelledby="guide-history-title">
        <h2 id="guide-history-title">{t("history")}</h2>
        <ol className="guide-history" data-testid="guide-history">
          {g.versions.map((v) => (
            <li key={v.version}>
              <strong>{t("version", { version: v.version })}</strong> · <time dateTime={new Date(v.at).toISOString()}>{dateTime.format(new Date(v.at))}</time>
              {" · "}
              {v.changed.map((c) => t(`parts.${c}`)).join(locale === "zh" ? "、" : ", ")}
              {!member && v.userName ? (
                <>
                  {" · "}
                  <span lang={latinLang(v.userName)}>{v.userName}</span>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
