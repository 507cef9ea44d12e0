import { WatchListWarning } from "@/components/forms/WatchListWarning";
import { caseWatchHits } from "@/db/repo/watchlist";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { casePartiesInFull, getCase, historyNames, type CaseDetail } from "@/db/repo/cases";
import { caseRecordations } from "@/db/repo/recordations";
import { userLabels } from "@/db/repo/accounts";
import { getProcedure } from "@/db/repo/procedure";
import { appAnswerers } from "@/db/repo/inbox";
import { listAttachments } from "@/db/repo/attachments";
import { Gallery } from "@/components/attachments/Gallery";
import { CaseGuides } from "@/components/guides/CaseGuides";
import { guidesOfHolders } from "@/db/repo/guides";
import { riskProfilesOfCase } from "@/db/repo/risk-profiles";
import { ProcedureSection } from "@/components/procedure/ProcedureSection";
import { DeleteCaseButton } from "@/components/forms/DeleteCaseButton";
import { HistoryChanges } from "@/components/forms/HistoryChanges";
import { CaseProfileHits } from "@/components/risk/CaseProfileHits";
import {
  auditActions, caseStatuses, channels, directions, disposals, goodsCategories, infringementTypes, partyKinds, partyRoles, ports, protectionModes, provinceLabel, transports,
  type AuditAction, type Locale,
} from "@/lib/enums";
import { countryName } from "@/lib/countries";
import { formatCount, formatDate, formatMoney, latinLang } from "@/lib/format";
import { can, type Scope } from "@/lib/roles";
import { currentScope, requirePageReader } from "@/app/session";

export const dynamic = "force-dynamic";

/** The case as this reader may see it: a member gets null for another company's case (a 404). */
async function load(id: string, scope: Scope | null): Promise<CaseDetail | null> {
  if (!scope || !/^\d{1,15}$/.test(id)) return null;
  return getCase(scope, Number(id));
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const found = await load((await params).id, await currentScope("readCases"));
  const t = await getTranslations("case");
  return { title: found ? t("title", { caseNo: found.caseNo }) : t("notFound") };
}

export default async function CasePage({ params, searchParams }: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const saved = (await searchParams).saved;
  const { user, scope } = await requirePageReader("readCases", `/cases/${id}`);
  const found = await load(id, scope);
  if (!found) notFound();
  const c = found;
  const t = await getTranslations("case");
  const locale = (await getLocale()) as Locale;
  const name = (n: { nameEn: string; nameZh: string }) => (locale === "zh" ? n.nameZh : n.nameEn);
  const dateTime = (ms: number) =>
    new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(new Date(ms));
  const yesNo = (v: boolean) => (v ? t("yes") : t("no"));
  const tf = await getTranslations("forms");
  const admin = can(user.role, "write");
  // who: the email of each user in the history (the id when the account is gone); a member's
  // history has no accounts (db/queries/cases.ts getCase): "customs staff"
  const who = await userLabels(c.history.map((h) => h.userId ?? null));
  // what changed, field by field: for admins and analysts (members see who, when and what kind)
  const showChanges = user.role === "admin" || user.role === "analyst";
  const names = showChanges ? await historyNames(referencedIds(c.history)) : null;
  // the procedure: read after the case was found in this reader's scope (a member: its own company's)
  const now = new Date();
  const procedure = await getProcedure(c.id, now);
  const stepWho = showChanges ? await userLabels(procedure.steps.map((s) => s.by)) : null;
  // answers a right holder's member gave in the app (staff only: a member sees no account)
  const inApp = showChanges ? await appAnswerers(procedure.steps.filter((s) => s.kind === "holder_answered").map((s) => s.by)) : null;
  const recordations = await caseRecordations(scope, c.id);
  // the files this reader may see (a member: its own company's and those customs shared)
  const attachments = (await listAttachments(scope, c.id)) ?? [];

  // the parties: a natural person's identity number masked, in full for an admin only
  const tp = await getTranslations("parties");
  const parties = user.role === "admin" ? await casePartiesInFull(c.id) : c.parties;
  const route = [
    c.originCountry ? countryName(c.originCountry, locale) : null,
    c.loadingPlace,
    c.port ? ports.label(c.port, locale) : null,
  ];

  const sections: { title: string; rows: [string, React.ReactNode][] }[] = [
    {
      title: t("identity"),
      rows: [
        [t("caseNo"), c.caseNo],
        [t("seizedOn"), formatDate(c.seizedOn, locale)],
        [t("office"), `${name(c.office)} (${c.office.code})`],
        [t("district"), <Link key="d" href={`/cases?district=${c.district.code}`}>{`${name(c.district)} (${c.district.code})`}</Link>],
        [t("province"), provinceLabel(c.office.province, locale)],
      ],
    },
    {
      title: t("what"),
      rows: [
        [t("type"), infringementTypes.label(c.infringementType, locale)],
        [t("category"), goodsCategories.label(c.goodsCategory, locale)],
        [t("goods"), <span key="g" lang={latinLang(c.goodsDescription)}>{c.goodsDescription}</span>],
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
        [t("origin"), c.originCountry ? countryName(c.originCountry, locale) : t("none")],
        [t("destination"), c.destinationCountry ? countryName(c.destinationCountry, locale) : t("none")],
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
        [t("notes"), c.notes ? <span key="n" lang={latinLang(c.notes)}>{c.notes}</span> : t("none")],
      ],
    },
  ];

  return (
    <article className="case-detail">
      <p>
        <Link href="/cases">← {t("back")}</Link>
      </p>
      {(saved === "created" || saved === "updated") && (
        <p className="form-ok notice-line" role="status" data-testid="saved-notice">
          {tf(`notices.${saved}`, { caseNo: c.caseNo })}
        </p>
      )}
      {/* after saving, staff are told at once which of the case's parties are on the watch-list (issue 18, item 2) */}
      {(saved === "created" || saved === "updated") && can(user.role, "readRisk") && (
        <WatchListWarning hits={(await caseWatchHits(user, c.id)).parties.map((p) => ({ name: p.name, cases: p.cases, since: p.firstSeen }))} />
      )}
      <div className="case-head">
        <h1>{t("title", { caseNo: c.caseNo })}</h1>
        {admin && (
          <div className="case-actions" role="group" aria-label={tf("caseActions.label")}>
            <Link href={`/cases/${c.id}/edit`} className="primary" aria-label={tf("caseActions.editCase", { caseNo: c.caseNo })} data-testid="edit-case">
              {tf("caseActions.edit")}
            </Link>
            <DeleteCaseButton caseId={c.id} caseNo={c.caseNo} version={c.version} />
          </div>
        )}
      </div>
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
        <section className="panel case-parties" data-testid="case-parties">
          <h2>{tp("title")}</h2>
          {parties.length ? (
            <div className="table-scroll" role="region" aria-label={tp("title")} tabIndex={0}>
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{tp("role")}</th>
                    <th scope="col">{tp("name")}</th>
                    <th scope="col">{tp("type")}</th>
                    <th scope="col">{tp("code")}</th>
                    <th scope="col">{tp("address")}</th>
                  </tr>
                </thead>
                <tbody>
                  {parties.map((p) => (
                    <tr key={p.role} data-role={p.role}>
                      <th scope="row">{partyRoles.label(p.role, locale)}</th>
                      <td><span lang={latinLang(p.name)}>{p.name}</span></td>
                      <td>{partyKinds.label(p.kind, locale)}</td>
                      <td data-testid={`party-code-${p.role}`}>
                        {p.code ? <span className="mono" lang="en">{p.code}</span> : p.erased ? <span className="muted">{tp("erased")}</span> : t("none")}
                      </td>
                      <td>{p.address ? <span lang={latinLang(p.address)}>{p.address}</span> : t("none")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="muted">{tp("none")}</p>
          )}
          <dl className="fields">
            <div>
              <dt>{tp("route")}</dt>
              <dd data-testid="case-route">
                {route.map((r, i) => (
                  <span key={i}>
                    {i > 0 && " → "}
                    {/* a place of loading is data, often Latin: marked English on a Chinese page */}
                    <span lang={latinLang(r ?? "")}>{r ?? "?"}</span>
                  </span>
                ))}
              </dd>
            </div>
            <div>
              <dt>{tp("hs")}</dt>
              <dd>{c.hsHeading ?? t("none")}</dd>
            </div>
            <div>
              <dt>{tp("declared")}</dt>
              <dd>{c.declaredDescription ? <span lang={latinLang(c.declaredDescription)}>{c.declaredDescription}</span> : t("none")}</dd>
            </div>
            <div>
              <dt>{tp("actual")}</dt>
              <dd><span lang={latinLang(c.goodsDescription)}>{c.goodsDescription}</span></dd>
            </div>
          </dl>
        </section>
        <ProcedureSection
          caseId={c.id}
          version={c.version}
          valueFen={c.valueFen}
          steps={procedure.steps}
          inApp={inApp}
          view={procedure.view}
          locale={locale}
          who={stepWho}
          canRecord={admin}
          staff={showChanges}
          now={now}
        />
        <Gallery caseId={c.id} initial={attachments} canAdd={can(user.role, "addAttachments")} staffEditor={admin} />
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
        <CaseGuides guides={guidesOfHolders(user, c.rightHolders.map((h) => h.id))} locale={locale} />
        <section className="panel">
          <h2>{t("recordations")}</h2>
          {recordations.length === 0 ? (
            <p className="muted" data-testid="case-recordations">{t("noRecordations")}</p>
          ) : (
            <ul className="holders" data-testid="case-recordations">
              {recordations.map((r) => (
                <li key={r.id}>
                  <Link href={`/recordations/${r.id}`}>{`${r.number} ${locale === "zh" && r.titleZh ? r.titleZh : r.titleEn}`}</Link>{" "}
                  <span className="muted">{`${r.validFrom} – ${r.validTo}`}</span>{" "}
                  <Link href={`/cases?recordation=${r.id}`} aria-label={t("recordationCases", { number: r.number })}>↗</Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        {/* staff only: a member never sees a risk profile, nor its name */}
        {can(user.role, "readRisk") && <CaseProfileHits hits={riskProfilesOfCase(c.id)} />}
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
            <ol className="history" data-testid="case-history">
              {c.history.map((h) => (
                <li key={h.id} data-action={h.action}>
                  <span className="history-line">
                    <time dateTime={new Date(h.at).toISOString()}>{dateTime(h.at)}</time> —{" "}
                    <strong>{auditActions.is(h.action) ? auditActions.label(h.action as AuditAction, locale) : h.action}</strong>{" "}
                    {t("by", { user: h.userId ? (who.get(h.userId) ?? h.userId) : h.userId === null ? t("system") : t("staff") })}
                  </span>
                  {showChanges && names && h.action === "update" && <HistoryChanges before={h.before} after={h.after} names={names} />}
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </article>
  );
}

/** The offices, campaigns and right holders that history entries name by id. */
function referencedIds(history: CaseDetail["history"]): { offices: number[]; holders: number[]; campaigns: number[] } {
  const out = { offices: [] as number[], holders: [] as number[], campaigns: [] as number[] };
  for (const h of history) {
    for (const side of [h.before, h.after]) {
      if (!side || typeof side !== "object") continue;
      const v = side as Record<string, unknown>;
      if (typeof v.officeId === "number") out.offices.push(v.officeId);
      if (typeof v.campaignId === "number") out.campaigns.push(v.campaignId);
      if (Array.isArray(v.rightHolderIds)) out.holders.push(...v.rightHolderIds.filter((x): x is number => typeof x === "number"));
    }
  }
  return out;
}
