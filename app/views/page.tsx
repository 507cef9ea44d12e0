import { latinLang } from "@/lib/format";
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { myViews } from "@/db/repo/views";
import { DeleteViewButton, RenameViewForm, UpdateViewButton } from "@/components/views/ViewRow";
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
  const views = await myViews(user);
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
              <th scope="col">{t("actions")}</th>
            </tr>
          </thead>
          <tbody>
            {views.map((v) => (
              <tr key={v.id} data-testid={`view-row-${v.id}`}>
                <th scope="row">
                  <Link href={viewHref(v.page, v.query)} lang={latinLang(v.name)}>{v.name}</Link>
                </th>
                <td>{t(`pages.${v.page}`)}</td>
                <td>{v.mine ? (v.shared ? t("mineShared") : t("minePrivate")) : t("sharedBy", { name: v.ownerName ?? "—" })}</td>
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
    </>
  );
}
