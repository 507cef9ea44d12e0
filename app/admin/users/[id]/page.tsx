import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { DeleteAccountForm, EditAccountForm, ResetPasswordForm } from "@/components/admin/AccountForms";
import { AdminNav } from "@/components/admin/AdminNav";
import { shanghaiDateTime } from "@/components/admin/format";
import { getAccount, holderOptions } from "@/db/repo/admin";
import { roles, type Locale } from "@/lib/enums";
import { requirePageUser } from "@/app/session";
import { DistrictForm } from "@/components/guides/DistrictForm";
import { accountDistrictCode, customsDistricts } from "@/db/repo/guides";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.users"))("manageTitle") };
}

export default async function AccountPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const id = /^[A-Za-z0-9_-]{1,100}$/.test(raw) ? raw : "";
  const user = await requirePageUser("write", `/admin/users/${raw}`);
  const t = await getTranslations("admin.users");
  const tg = await getTranslations("guides");
  const locale = (await getLocale()) as Locale;
  const account = await getAccount(id);
  if (!account) notFound();
  const self = account.id === user.id;
  const roleOptions = (self ? (["admin"] as const) : roles.values).map((value) => ({ value, label: roles.label(value, locale) }));
  return (
    <>
      <AdminNav current="users" />
      <p className="ref-back">
        <Link href="/admin/users">← {t("back")}</Link>
      </p>
      <h1>{account.email}</h1>
      <p className="lede">
        {t("summary", { role: roles.label(account.role, locale), created: shanghaiDateTime(account.createdAt, locale) })}
      </p>
      <div className="admin-columns">
        <section className="panel" aria-labelledby="edit-title">
          <h2 id="edit-title">{t("editTitle")}</h2>
          <EditAccountForm account={account} roles={roleOptions} holders={await holderOptions()} self={self} />
        </section>
        {account.role !== "member" && (
          <section className="panel" aria-labelledby="district-title">
            <h2 id="district-title">{tg("districtTitle")}</h2>
            <DistrictForm
              userId={account.id}
              district={await accountDistrictCode(account.id)}
              districts={(await customsDistricts()).map((d) => ({ value: d.code, label: locale === "zh" ? d.nameZh : `${d.nameEn} (${d.code})` }))}
            />
          </section>
        )}
        <section className="panel" aria-labelledby="reset-title">
          <h2 id="reset-title">{t("resetTitle")}</h2>
          {self ? (
            <p>
              {t.rich("resetSelf", { link: (chunks) => <Link href="/account">{chunks}</Link> })}
            </p>
          ) : (
            <ResetPasswordForm accountId={account.id} />
          )}
        </section>
        <section className="panel" aria-labelledby="delete-title">
          <h2 id="delete-title">{t("deleteTitle")}</h2>
          {self ? <p>{t("deleteSelf")}</p> : <DeleteAccountForm account={account} />}
        </section>
      </div>
    </>
  );
}
