import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { getCase, type CaseDetail } from "@/db/queries/cases";
import {
  auditActions, caseStatuses, channels, directions, disposals, goodsCategories, infringementTypes, protectionModes, transports,
  type AuditAction, type Locale,
} from "@/lib/enums";
import { formatCount, formatDate, formatMoney } from "@/lib/format";
import { caseScope, type SessionUser } from "@/lib/roles";
import { currentUser, requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

/** The case as this user may see it: a member gets null for another company's case (a 404). */
function load(id: string, user: SessionUser | null): CaseDetail | null {
  if (!user || !/^\d{1,15}$/.test(id)) return null;
  return getCase(getDb(), Number(id), caseScope(user));
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const found = load((await params).id, await currentUser());
  const t = await getTranslations("case");
  return { title: found ? t("title", { caseNo: found.caseNo }) : t("notFound") };
}

export default async function CasePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser("readCases", `/cases/${id}`);
  const found = load(id, user);
  if (!found) notFound();
  const c = found;
  const t = await getTranslations("case");
  const locale = (await getLocale()) as Locale;
  const name = (n: { nameEn: string; nameZh: string }) => (locale === "zh" ? n.nameZh : n.nameEn);
  const dateTime = (ms: number) =>
    new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(new Date(ms));
  const yesNo = (v: boolean) => (v ? t("yes") : t("no"));

  const sections: { title: string; rows: [string, React.ReactNode][] }[] = [
    {
      title: t("identity"),
      rows: [
        [t("caseNo"), c.caseNo],
        [t("seizedOn"), formatDate(c.seizedOn, locale)],
        [t("office"), `${name(c.office)} (${c.office.code})`],
        [t("district"), <Link key="d" href={`/cases?district=${c.district.code}`}>{`${name(c.district)} (${c.district.code})`}</Link>],
        [t("province"), c.office.province],
      ],
    },
    {
      title: t("what"),
      rows: [
        [t("type"), infringementTypes.label(c.infringementType, locale)],
        [t("category"), goodsCategories.label(c.goodsCategory, locale)],
        [t("goods"), c.goodsDescription],
        [t("pieces"), formatCount(c.pieces, locale)],
        [t("value"), formatMoney(c.valueFen, locale)],
      ],
    },
    {
      title: t("how"),
      rows: [
        [t("direction"), directions.label(c.direction, locale)],
        [t("channel"), channels.label(c.channel, locale)],
        [t("transport"), transports.label(c.transport, locale)],
        [t("mode"), protectionModes.label(c.protectionMode, locale)],
        [t("origin"), c.originCountry ?? t("none")],
        [t("destination"), c.destinationCountry ?? t("none")],
        [t("campaign"), c.campaign ? <Link key="c" href={`/cases?campaign=${c.campaign.code}`}>{name(c.campaign)}</Link> : t("none")],
      ],
    },
    {
      title: t("outcome"),
      rows: [
        [t("status"), caseStatuses.label(c.status, locale)],
        [t("disposal"), c.disposal ? disposals.label(c.disposal, locale) : t("none")],
        [t("hearing"), yesNo(c.hearingHeld)],
        [t("police"), yesNo(c.referredToPolice)],
        [t("penalty"), c.penaltyFen === null ? t("none") : formatMoney(c.penaltyFen, locale)],
        [t("notes"), c.notes ?? t("none")],
      ],
    },
  ];

  return (
    <article className="case-detail">
      <p>
        <Link href="/cases">← {t("back")}</Link>
      </p>
      <h1>{t("title", { caseNo: c.caseNo })}</h1>
      <div className="detail-grid">
        {sections.map((s) => (
          <section key={s.title} className="panel">
            <h2>{s.title}</h2>
            <dl className="fields">
              {s.rows.map(([label, value]) => (
                <div key={label}>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
        <section className="panel">
          <h2>{t("rightHolders")}</h2>
          <ul className="holders" data-testid="case-holders">
            {c.rightHolders.map((h) => (
              <li key={h.id}>
                <Link href={`/cases?holder=${h.id}`} aria-label={t("holderCases", { name: locale === "zh" && h.nameZh ? h.nameZh : h.name })}>
                  {locale === "zh" && h.nameZh ? `${h.nameZh}（${h.name}）` : h.name}
                </Link>
              </li>
            ))}
          </ul>
        </section>
        <section className="panel">
          <h2>{t("upkeep")}</h2>
          <dl className="fields">
            <div>
              <dt>{t("createdAt")}</dt>
              <dd>{dateTime(c.createdAt)}</dd>
            </div>
            <div>
              <dt>{t("updatedAt")}</dt>
              <dd>{dateTime(c.updatedAt)}</dd>
            </div>
            <div>
              <dt>{t("version")}</dt>
              <dd>{c.version}</dd>
            </div>
          </dl>
          <h3>{t("history")}</h3>
          {c.history.length === 0 ? (
            <p className="muted">{t("noHistory")}</p>
          ) : (
            <ol className="history">
              {c.history.map((h) => (
                <li key={h.id}>
                  {dateTime(h.at)} — {auditActions.is(h.action) ? auditActions.label(h.action as AuditAction, locale) : h.action}{" "}
                  {t("by", { user: h.userId ?? t("system") })}
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </article>
  );
}
