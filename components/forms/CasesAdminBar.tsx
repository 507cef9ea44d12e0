import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { caseNumberOf } from "@/db/queries/admin";
import { can, type SessionUser } from "@/lib/roles";
import { DropSearchParam } from "./DropSearchParam";

/**
 * Above the case table, for admins: the "New case" link, and after a deletion
 * (`?deleted=<id>`) a notice that names the case and where to restore it.
 */
export async function CasesAdminBar({ user, deleted }: { user: SessionUser; deleted: string | string[] | undefined }) {
  if (!can(user.role, "write")) return null;
  const t = await getTranslations("forms");
  const id = typeof deleted === "string" && /^\d{1,15}$/.test(deleted) ? Number(deleted) : null;
  const caseNo = id === null ? null : caseNumberOf(getDb(), id, "deleted");
  return (
    <div className="admin-bar">
      {caseNo && (
        <p className="form-ok notice-line" role="status" data-testid="deleted-notice">
          {t.rich("notices.deleted", { caseNo, link: (chunks) => <Link href="/admin/deleted">{chunks}</Link> })}
        </p>
      )}
      {id !== null && <DropSearchParam name="deleted" />}
      <div className="admin-links">
        <Link href="/admin/deleted">{t("deleted.title")}</Link>
        <Link href="/cases/new" className="primary" data-testid="new-case">
          {t("newCase")}
        </Link>
      </div>
    </div>
  );
}
