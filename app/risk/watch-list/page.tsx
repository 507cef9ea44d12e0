import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { WatchRuleForm } from "@/components/risk/WatchRuleForm";
import { watchList } from "@/db/repo/watchlist";
import type { ListedParty } from "@/db/watchlist";
import { infringementTypes, partyKinds, partyRoles, ports, type Locale } from "@/lib/enums";
import { formatCount, formatDate, formatMoney, latinLang } from "@/lib/format";
import { can } from "@/lib/roles";
import { requirePageUser } from "../../session";

export const dynamic = "force-dynamic";

/** The rows and network members shown: the most cases first (a looser rule lists hundreds). */
const SHOWN = 100;
const SHOWN_MEMBERS = 40;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("watchlist"))("title") };
}

/** Where a party's cases are: /cases?party= its code (an enterprise's) or its name (a person's number is never put in a link). */
const casesHref = (p: { kind: ListedParty["kind"]; code: string | null; name: string }) =>
  `/cases?party=${encodeURIComponent(p.kind !== "person" && p.code ? p.code : p.name)}`;

/**
 * The watch-list of parties (issue 18, item 2), customs staff only: the parties with repeated
 * cases under the admin's rule, with their cases, value, rights infringed, ports, roles and
 * first/last seen; and the networks of parties that share an identifier, an address or an agent.
 */
export default async function WatchListPage() {
  const user = await requirePageUser("readRisk", "/risk/watch-list");
  const t = await getTranslations("watchlist");
  const locale = (await getLocale()) as Locale;
  const list = await watchList(user);
  const admin = can(user.role, "write");
  return (
    <>
      <p className="breadcrumb"><Link href="/risk">{t("back")}</Link></p>
      <h1>{t("title")}</h1>
      <p className="lede" data-testid="watch-rule">
        {t("lede", { minCases: list.rule.minCases, months: list.rule.months, start: formatDate(list.start, locale), today: formatDate(list.today, locale) })}
      </p>
      {admin && (
        <details className="panel watch-rule-panel">
          <summary>{t("rule.title")}</summary>
          <WatchRuleForm rule={list.rule} />
        </details>
      )}
      <section aria-labelledby="watch-parties-title">
        <h2 id="watch-parties-title">{t("parties", { count: list.parties.length })}</h2>
        {list.parties.length === 0 ? (
          <p className="empty" data-testid="watch-empty">{t("empty")}</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table watch-table" data-testid="watch-table">
              <caption className="visually-hidden">{t("caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("party")}</th>
                  <th scope="col" className="num">{t("cases")}</th>
                  <th scope="col" className="num">{t("value")}</th>
                  <th scope="col">{t("rights")}</th>
                  <th scope="col">{t("ports")}</th>
                  <th scope="col">{t("roles")}</th>
                  <th scope="col">{t("seen")}</th>
                </tr>
              </thead>
              <tbody>
                {list.parties.slice(0, SHOWN).map((p) => (
                  <tr key={p.partyId} data-testid={`watch-party-${p.partyId}`} data-name={p.name}>
                    <th scope="row">
                      <Link href={casesHref(p)} lang={latinLang(p.name)}>{p.name}</Link>
                      <span className="muted watch-party-meta">
                        {partyKinds.label(p.kind, locale)}
                        {p.code && <> · <span lang="en" className="code">{p.code}</span></>}
                      </span>
                      {p.address && <span className="muted watch-party-meta" lang={latinLang(p.address)}>{p.address}</span>}
                    </th>
                    <td className="num"><Link href={casesHref(p)}>{formatCount(p.cases, locale)}</Link></td>
                    <td className="num nowrap">{formatMoney(p.valueFen, locale)}</td>
                    <td>{p.infringementTypes.map((x) => (infringementTypes.is(x) ? infringementTypes.label(x, locale) : x)).join(locale === "zh" ? "、" : ", ")}</td>
                    <td>{p.ports.map((x) => (ports.is(x) ? ports.label(x, locale) : x)).join(locale === "zh" ? "、" : ", ")}</td>
                    <td>{p.roles.map((x) => partyRoles.label(x, locale)).join(locale === "zh" ? "、" : ", ")}</td>
                    <td className="nowrap">{formatDate(p.firstSeen, locale)} – {formatDate(p.lastSeen, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list.parties.length > SHOWN && <p className="muted" data-testid="watch-more">{t("more", { shown: SHOWN, count: list.parties.length })}</p>}
      </section>
      <section aria-labelledby="watch-networks-title" data-testid="watch-networks">
        <h2 id="watch-networks-title">{t("networks", { count: list.networks.length })}</h2>
        <p className="muted">{t("networksText")}</p>
        {list.networks.length === 0 ? (
          <p className="empty">{t("noNetworks")}</p>
        ) : (
          <ol className="watch-networks">
            {list.networks.map((n, i) => (
              <li key={n.members[0]!.partyId} className="panel watch-network" data-testid={`watch-network-${i}`}>
                <h3>
                  {t("network", { n: i + 1, members: n.members.length })}{" "}
                  <span className="muted">{n.reasons.map((r) => t(`reasons.${r}`)).join(locale === "zh" ? "、" : ", ")}</span>
                </h3>
                <ul>
                  {n.members.slice(0, SHOWN_MEMBERS).map((m) => (
                    <li key={m.partyId}>
                      <Link href={casesHref(m)} lang={latinLang(m.name)}>{m.name}</Link>
                      {m.listed && <> <span className="watch-badge">{t("listed")}</span></>}
                      {m.address && <span className="muted" lang={latinLang(m.address)}> · {m.address}</span>}
                    </li>
                  ))}
                  {n.members.length > SHOWN_MEMBERS && <li className="muted">{t("moreMembers", { count: n.members.length - SHOWN_MEMBERS })}</li>}
                </ul>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
