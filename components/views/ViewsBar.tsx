import { latinLang } from "@/lib/format";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { SavedView } from "@/db/repo/views";
import type { Role } from "@/lib/enums";
import { viewHref, type ViewPage } from "@/lib/views";
import { can } from "@/lib/roles";
import { canonicalProfileQuery } from "@/lib/risk-profiles";
import { SaveViewButton } from "./SaveViewButton";

/**
 * Beside the filter bar: the reader's views (own and shared with it) as a compact disclosure
 * of links, "Save view" for the current filter, and "Manage views" (which carries the current
 * filter, so that /views can set a view to it).
 */
export async function ViewsBar({ page, query, views, role }: { page: ViewPage; query: string; views: SavedView[]; role: Role }) {
  const t = await getTranslations("views");
  const ts = await getTranslations("subscriptions");
  const manage = `/views?${new URLSearchParams({ page, current: query }).toString()}`;
  // staff: the current filter as a new risk profile (issue 18, item 4); never for a member
  const profileQuery = can(role, "keepProfiles") ? canonicalProfileQuery(query) : "";
  const tp = profileQuery ? await getTranslations("profiles") : null;
  return (
    <div className="views-bar" data-testid="views-bar">
      <details className="views-menu">
        <summary data-testid="views-menu">{t("menu", { count: views.length })}</summary>
        <div className="views-menu-panel">
        {views.length === 0 ? (
          <p className="muted">{t("none")}</p>
        ) : (
          <ul>
            {views.map((v) => (
              <li key={v.id}>
                <Link href={viewHref(v.page, v.query)} lang={latinLang(v.name)}>{v.name}</Link>
                <span className="muted"> · {t(`pages.${v.page}`)}{v.mine ? "" : ` · ${t("sharedBy", { name: v.ownerName ?? "—" })}`}</span>
              </li>
            ))}
          </ul>
        )}
        <Link href={manage}>{t("manage")}</Link>
        {" · "}
        <Link href="/views#my-digests" data-testid="views-menu-digests">{ts("menuLink")}</Link>
        </div>
      </details>
      <SaveViewButton page={page} query={query} sharedHint={t(role === "member" ? "shareMember" : `share.${role}`)} />
      {tp && (
        <Link href={`/risk/profiles/new?${new URLSearchParams({ query: profileQuery }).toString()}`} className="save-profile-link" data-testid="save-as-profile">
          {tp("saveAsProfile")}
        </Link>
      )}
    </div>
  );
}
