import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { ApproveForm, PartiesForm, RenewForm, RevokeForm } from "@/components/recordations/RecordationForms";
import { StateBadge } from "@/components/recordations/StateBadge";
import { getRecordation, recordationHistory, type RecordationDetail } from "@/db/repo/recordations";
import { auditActions, infringementTypes, recordationApprovals, recordationPartyKinds, type Locale } from "@/lib/enums";
import { renewedValidTo } from "@/lib/recordations";
import { can, type Scope } from "@/lib/roles";
import { currentScope, requirePageReader } from "@/app/session";

export const dynamic = "force-dynamic";

/** The recordation as this reader may see it: another company's (for a member) is a 404. */
async function load(id: string, scope: Scope): Promise<RecordationDetail | null> {
  return /^\d{1,15}$/.test(id) ? getRecordation(scope, Number(id)) : null;
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const scope = await currentScope("readRecordations");
  const found = scope ? await load((await params).id, scope) : null;
  const t = await getTranslations("recordations");
  return { title: found ? `${t("recordation")} ${found.number}` : t("notFound") };
}

export default async function RecordationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { user, scope } = await requirePageReader("readRecordations", `/recordations/${id}`);
  const r = await load(id, scope);
  if (!r) notFound();
  const history = await recordationHistory(scope, r.id);
  const t = await getTranslations("recordations");
  const locale = (await getLocale()) as Locale;
  const keeps = can(user.role, "keepRecordations");
  const admin = can(user.role, "write");
  const dateTime = new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" });
  const licensees = r.parties.filter((p) => p.kind === "licensee");
  const consignors = r.parties.filter((p) => p.kind === "consignor");

  return (
    <>
      <p className="ref-back">
        <Link href="/recordations">{t("back")}</Link>
      </p>
      <h1>
        {t("recordation")} {r.number} <StateBadge state={r.state} locale={locale} />
      </h1>
      <p className="lede">{locale === "zh" && r.titleZh ? <span lang="zh-CN">{r.titleZh}</span> : r.titleEn}</p>
      <p>
        <Link href={`/cases?recordation=${r.id}`} data-testid="recordation-cases">{t("casesResting")}</Link>
      </p>
      <div className="detail-grid">
        <section className="panel" aria-labelledby="rec-facts-title">
          <h2 id="rec-facts-title">{t("facts")}</h2>
          <dl className="rec-facts" data-testid="recordation-facts">
            <dt>{t("holder")}</dt>
            <dd>{r.holderName}</dd>
            <dt>{t("kind")}</dt>
            <dd>{infringementTypes.label(r.kind, locale)}</dd>
            <dt>{t("rightNo")}</dt>
            <dd>{r.rightNo}</dd>
            <dt>{t("titleEn")}</dt>
            <dd lang="en">{r.titleEn}</dd>
            <dt>{t("titleZh")}</dt>
            <dd lang="zh-CN">{r.titleZh ?? "—"}</dd>
            <dt>{t("classes")}</dt>
            <dd>{r.classes.join(", ") || "—"}</dd>
            <dt>{t("validFrom")}</dt>
            <dd>
              <time dateTime={r.validFrom}>{r.validFrom}</time>
            </dd>
            <dt>{t("validTo")}</dt>
            <dd data-testid="valid-to">
              <time dateTime={r.validTo}>{r.validTo}</time>
            </dd>
            <dt>{t("approval")}</dt>
            <dd data-testid="approval">{recordationApprovals.label(r.status, locale)}</dd>
            {r.revokedReason && (
              <>
                <dt>{t("revokedReason")}</dt>
                <dd>{r.revokedReason}</dd>
              </>
            )}
          </dl>
        </section>
        <section className="panel" aria-labelledby="rec-image-title">
          <h2 id="rec-image-title">{t("image")}</h2>
          {r.hasImage ? (
            <img className="rec-image" src={`/api/recordations/${r.id}/image?v=${r.version}`} alt={t("imageAlt", { number: r.number, title: r.titleEn })} data-testid="recordation-image" />
          ) : (
            <p>{t("noImage")}</p>
          )}
        </section>
        <section className="panel" aria-labelledby="rec-parties-title">
          <h2 id="rec-parties-title">{t("parties")}</h2>
          {r.parties.length === 0 ? (
            <p>{t("noParties")}</p>
          ) : (
            <ul data-testid="recordation-parties">
              {[...licensees, ...consignors].map((p) => (
                <li key={p.id}>
                  {p.name} <span className="ref-alt">({recordationPartyKinds.label(p.kind, locale)})</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {(keeps || admin) && (
        <div className="rec-actions">
          {keeps && r.status !== "revoked" && (
            <section className="panel" aria-labelledby="rec-parties-edit-title">
              <h2 id="rec-parties-edit-title">{t("partiesTitle")}</h2>
              <PartiesForm id={r.id} version={r.version} licensees={licensees.map((p) => p.name)} consignors={consignors.map((p) => p.name)} />
            </section>
          )}
          {keeps && (
            <section className="panel" aria-labelledby="rec-renew-title">
              <h2 id="rec-renew-title">{t("renewTitle")}</h2>
              {r.renewable ? (
                <>
                  <p>{t("renewText", { validTo: r.validTo })}</p>
                  <RenewForm id={r.id} version={r.version} newValidTo={renewedValidTo(r.validTo)} />
                </>
              ) : (
                <p data-testid="renew-not-now">{t(r.status !== "approved" ? "renewNotApproved" : r.state === "expired" ? "renewExpired" : "renewNotYet")}</p>
              )}
            </section>
          )}
          {admin && (
            <section className="panel" aria-labelledby="rec-admin-title">
              <h2 id="rec-admin-title">{t("adminTitle")}</h2>
              <p>
                <Link href={`/recordations/${r.id}/edit`}>{t("edit")}</Link>
              </p>
              {r.status === "pending" && <ApproveForm id={r.id} version={r.version} />}
              {r.status !== "revoked" && <RevokeForm id={r.id} version={r.version} />}
            </section>
          )}
        </div>
      )}

      <section className="panel" aria-labelledby="rec-history-title">
        <h2 id="rec-history-title">{t("history")}</h2>
        {history.length === 0 ? (
          <p>{t("historyEmpty")}</p>
        ) : (
          <ol data-testid="recordation-history">
            {history.map((h, i) => (
              <li key={i}>
                <time dateTime={new Date(h.at).toISOString()}>{dateTime.format(h.at)}</time> — {auditActions.is(h.action) ? auditActions.label(h.action, locale) : h.action}
                {h.changed.length > 0 && <> ({h.changed.map((k) => (t.has(`fields.${k}`) ? t(`fields.${k}`) : k)).join(locale === "zh" ? "、" : ", ")})</>}
                {h.user && <> · {h.user}</>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
