import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { CreateAccountForm } from "@/components/admin/AccountForms";
import { AdminNav } from "@/components/admin/AdminNav";
import { shanghaiDateTime } from "@/components/admin/format";
import { ResendInvitationButton } from "@/components/admin/ResendInvitationButton";
import { openInvitations } from "@/db/repo/account-mail";
import { holderOptions, listAccounts } from "@/db/repo/admin";
import { roles, type Locale } from "@/lib/enums";
import { requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.users"))("title") };
}

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser("write", "/admin/users");
  const t = await getTranslations("admin.users");
  const locale = (await getLocale()) as Locale;
  const [accounts, invitations] = await Promise.all([listAccounts(), openInvitations()]);
  const ti = await getTranslations("admin.users.invitations");
  const deleted = (await searchParams).deleted;
  const roleOptions = roles.values.map((value) => ({ value, label: roles.label(value, locale) }));
  const company = (a: { holderName: string | null; holderNameZh: string | null }) =>
    a.holderName === null ? "—" : locale === "zh" && a.holderNameZh ? a.holderNameZh : a.holderName;
  return (
    <>
      <AdminNav current="users" />
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede")}</p>
      {typeof deleted === "string" && (
        <p className="form-ok" role="status">
          {t("deleted", { email: deleted })}
        </p>
      )}
      <section className="panel" aria-labelledby="accounts-title">
        <h2 id="accounts-title">{t("listTitle", { count: accounts.length })}</h2>
        <div className="table-scroll">
          <table className="data-table admin-table" data-testid="accounts-table">
            <thead>
              <tr>
                <th scope="col">{t("email")}</th>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("role")}</th>
                <th scope="col">{t("company")}</th>
                <th scope="col">{t("createdAt")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.id} data-email={a.email}>
                  <th scope="row">
                    {a.email}
                    {a.id === user.id && <span className="admin-you"> {t("you")}</span>}
                  </th>
                  <td>{a.name}</td>
                  <td>{roles.label(a.role, locale)}</td>
                  <td>{company(a)}</td>
                  <td className="nowrap">{shanghaiDateTime(a.createdAt, locale)}</td>
                  <td>
                    <Link href={`/admin/users/${encodeURIComponent(a.id)}`} aria-label={t("manageLabel", { email: a.email })}>
                      {t("manage")}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel" aria-labelledby="invitations-title">
        <h2 id="invitations-title">{ti("title")}</h2>
        <p className="muted">{ti("text")}</p>
        {invitations.length === 0 ? (
          <p className="empty-state">{ti("empty")}</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table admin-table" data-testid="invitations-table">
              <thead>
                <tr>
                  <th scope="col">{ti("email")}</th>
                  <th scope="col">{ti("state")}</th>
                  <th scope="col">{ti("sentAt")}</th>
                  <th scope="col">{ti("expiresAt")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((i) => (
                  <tr key={i.userId} data-email={i.email} data-state={i.expired ? "expired" : "pending"}>
                    <th scope="row">{i.email}</th>
                    <td>{i.expired ? ti("expired") : ti("pending")}</td>
                    <td className="nowrap">{shanghaiDateTime(i.sentAt, locale)}</td>
                    <td className="nowrap">{shanghaiDateTime(i.expiresAt, locale)}</td>
                    <td>
                      <ResendInvitationButton userId={i.userId} email={i.email} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="new-account-title">
        <h2 id="new-account-title">{t("newTitle")}</h2>
        <p className="muted">{t("newText")}</p>
        <CreateAccountForm roles={roleOptions} holders={await holderOptions()} />
      </section>
    </>
  );
}
