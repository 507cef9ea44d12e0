import { latinLang } from "@/lib/format";
import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { myViews } from "@/db/repo/views";
import { mySubscriptions } from "@/db/repo/subscriptions";
import { DeleteViewButton, RenameViewForm, UpdateViewButton } from "@/components/views/ViewRow";
import { SubscribeControl } from "@/components/views/SubscribeControl";
import { nextSendAt } from "@/lib/digest-period";
import type { Locale } from "@/lib/enums";
import { formatDate } from "@/lib/format";
import { canonicalViewQuery, VIEW_PAGES, viewHref, type ViewPage } from "@/lib/views";
import { can } from "@/lib/roles";
import { pathWithQuery, requirePageUser } from "../session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("views"))("title") };
}

/**
 * The reader's saved views (issue 20, item 1): its own (rename, share, set to the filter it
 * came from, delete) and those shared with it (open only). Opening a view parses its query
 * again on its page, in the reader's own scope.
 */
export default async function ViewsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const user = await requirePageUser("keepViews", pathWithQuery("/views", raw));
  const t = await getTranslations("views");
  const ts = await getTranslations("subscriptions");
  const locale = (await getLocale()) as Locale;
  const [views, subscriptions] = await Promise.all([myViews(user), mySubscriptions(user)]);
  const frequencyOf = new Map(subscriptions.map((s) => [s.viewId, s.frequency]));
  // the next Monday (or 1st) 08:00 Beijing time is 00:00 UTC of that date
  const nextDate = (frequency: "weekly" | "monthly") => formatDate(new Date(nextSendAt(frequency, Date.now())).toISOString().slice(0, 10), locale);
  // the filter the reader came from ("Manage views" beside the filter bar), parsed by the filter model
  const fromPage = typeof raw.page === "string" && (VIEW_PAGES as readonly string[]).includes(raw.page) ? (raw.page as ViewPage) : null;
  const current = fromPage && typeof raw.current === "string" ? canonicalViewQuery(fromPage, raw.current) : null;
  const sharedHint = t(user.role === "member" ? "shareMember" : `share.${user.role}`);
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede")}</p>
      {can(user.role, "readRisk") && (
        <p>
          <Link href="/risk/profiles" data-testid="risk-profiles-link">{(await getTranslations("profiles"))("listLink")}</Link>
        </p>
      )}
      {fromPage && current !== null && (
        <p>
          <Link href={viewHref(fromPage, current)}>{t("back")}</Link>
        </p>
      )}
      {views.length === 0 ? (
        <p className="empty" data-testid="views-empty">{t("empty")}</p>
      ) : (
        <table className="data-table views-table" data-testid="views-table">
          <caption>{t("caption", { count: views.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("name")}</th>
              <th scope="col">{t("page")}</th>
              <th scope="col">{t("owner")}</th>
              <th scope="col">{ts("column")}</th>
              <th scope="col">{t("actions")}</th>
            </tr>
          </thead>
          <tbody>
            {views.map((v) => (
              <tr key={v.id} id={`view-row-${v.id}`} data-testid={`view-row-${v.id}`}>
                <th scope="row">
                  <Link href={viewHref(v.page, v.query)} lang={latinLang(v.name)}>{v.name}</Link>
                </th>
                <td>{t(`pages.${v.page}`)}</td>
                <td>{v.mine ? (v.shared ? t("mineShared") : t("minePrivate")) : t("sharedBy", { name: v.ownerName ?? "—" })}</td>
                <td><SubscribeControl id={v.id} name={v.name} frequency={frequencyOf.get(v.id) ?? "off"} /></td>
                <td>
                  {v.mine && (
                    <>
                      <RenameViewForm id={v.id} name={v.name} shared={v.shared} sharedHint={sharedHint} />
                      {fromPage === v.page && current !== null && <UpdateViewButton id={v.id} query={current} />}
                      <DeleteViewButton id={v.id} name={v.name} />
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section aria-labelledby="my-digests" className="my-digests">
        <h2 id="my-digests">{ts("mine")}</h2>
        <p className="muted">{ts("explain")}</p>
        {subscriptions.length === 0 ? (
          <p className="empty" data-testid="digests-empty">{ts("none")}</p>
        ) : (
          <table className="data-table" data-testid="digests-table">
            <caption>{ts("mineCaption", { count: subscriptions.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{ts("view")}</th>
                <th scope="col">{ts("how")}</th>
                <th scope="col">{ts("next")}</th>
              </tr>
            </thead>
            <tbody>
              {subscriptions.map((s) => (
                <tr key={s.id} data-testid={`digest-row-${s.viewId}`}>
                  <th scope="row"><Link href={`#view-row-${s.viewId}`} lang={latinLang(s.viewName)}>{s.viewName}</Link></th>
                  <td>{ts(s.frequency)}</td>
                  <td>{ts("nextAt", { date: nextDate(s.frequency) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
