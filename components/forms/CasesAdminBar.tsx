import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { can, type SessionUser } from "@/lib/roles";
import { DropSearchParam } from "./DropSearchParam";

/** The id a `?deleted=<id>` parameter names, or null. */
export function deletedCaseId(deleted: string | string[] | undefined): number | null {
  return typeof deleted === "string" && /^\d{1,15}$/.test(deleted) ? Number(deleted) : null;
}

/**
 * Above the case table, for admins: the "New case" link, and after a deletion
 * (`?deleted=<id>`, see deletedCaseId) a notice that names the case and where to restore it;
 * the page looks up the deleted case's number (db/repo/cases.ts caseNumberOf).
 */
export async function CasesAdminBar({ user, deletedId, deletedCaseNo }: { user: SessionUser; deletedId: number | null; deletedCaseNo: string | null }) {
  if (!can(user.role, "write")) return null;
  const t = await getTranslations("forms");
  const id = deletedId;
  const caseNo = deletedCaseNo;
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
