"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { createAccountAction, deleteAccountAction, resetPasswordAction, updateAccountAction } from "@/app/actions/admin";
import { Field, FormStatus, useAdminForm } from "./form";
import { HolderSelect, type HolderChoice } from "./HolderSelect";

type RoleOption = { value: string; label: string };

/** Role select and, for a member, the right holder they work for. */
function RoleAndHolder({
  form, roles, holders, role: initialRole, holderId,
}: {
  form: ReturnType<typeof useAdminForm<unknown>>;
  roles: RoleOption[];
  holders: HolderChoice[];
  role: string;
  holderId: string;
}) {
  const t = useTranslations("admin.users");
  const [role, setRole] = useState(form.value("role", initialRole));
  return (
    <>
      <Field form={form} name="role" label={t("role")}>
        {(control) => (
          <select {...control} value={role} onChange={(e) => setRole(e.target.value)} required>
            {roles.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {role === "member" && (
        <Field form={form} name="holderId" label={t("company")} hint={t("companyHint")} className="wide">
          {(control) => <HolderSelect control={control} holders={holders} defaultValue={form.value("holderId", holderId)} emptyLabel={t("chooseCompany")} />}
        </Field>
      )}
    </>
  );
}

export function CreateAccountForm({ roles, holders }: { roles: RoleOption[]; holders: HolderChoice[] }) {
  const t = useTranslations("admin.users");
  const locale = useLocale();
  const form = useAdminForm(createAccountAction);
  return (
    <form {...form.formProps} className="admin-form" data-testid="create-account">
      <FormStatus form={form} done={form.done ? (form.done.invited ? t("invited", { email: form.done.email }) : t("created", { email: form.done.email })) : null} />
      <div className="admin-grid" key={form.key}>
        <Field form={form} name="email" label={t("email")}>
          {(control) => <input {...control} type="email" autoComplete="off" defaultValue={form.value("email", "")} required />}
        </Field>
        <Field form={form} name="name" label={t("name")}>
          {(control) => <input {...control} type="text" autoComplete="off" defaultValue={form.value("name", "")} required maxLength={120} />}
        </Field>
        <RoleAndHolder form={form} roles={roles} holders={holders} role="analyst" holderId="" />
        <Field form={form} name="locale" label={t("mailLocale")} hint={t("mailLocaleHint")}>
          {(control) => (
            <select {...control} defaultValue={form.value("locale", locale)}>
              <option value="en">{t("localeEn")}</option>
              <option value="zh">{t("localeZh")}</option>
            </select>
          )}
        </Field>
        <Field form={form} name="password" label={t("password")} hint={t("passwordHint")}>
          {(control) => <input {...control} type="password" autoComplete="new-password" minLength={10} maxLength={128} />}
        </Field>
      </div>
      <button type="submit" className="primary" disabled={form.pending}>
        {form.pending ? t("creating") : t("create")}
      </button>
    </form>
  );
}

export function EditAccountForm({
  account, roles, holders, self,
}: {
  account: { id: string; name: string; role: string; holderId: number | null };
  roles: RoleOption[];
  holders: HolderChoice[];
  self: boolean;
}) {
  const t = useTranslations("admin.users");
  const form = useAdminForm(updateAccountAction);
  return (
    <form {...form.formProps} className="admin-form" data-testid="edit-account">
      <FormStatus form={form} done={form.done ? (form.done.changed ? t("saved") : t("unchanged")) : null} />
      <input type="hidden" name="id" value={account.id} />
      <div className="admin-grid" key={form.key}>
        <Field form={form} name="name" label={t("name")}>
          {(control) => <input {...control} type="text" defaultValue={form.value("name", account.name)} required maxLength={120} />}
        </Field>
        <RoleAndHolder form={form} roles={roles} holders={holders} role={account.role} holderId={account.holderId === null ? "" : String(account.holderId)} />
      </div>
      {self && <p className="admin-hint">{t("selfRole")}</p>}
      <button type="submit" className="primary" disabled={form.pending}>
        {t("save")}
      </button>
    </form>
  );
}

export function ResetPasswordForm({ accountId }: { accountId: string }) {
  const t = useTranslations("admin.users");
  const form = useAdminForm(resetPasswordAction);
  return (
    <form {...form.formProps} className="admin-form" data-testid="reset-password">
      <FormStatus form={form} done={form.done ? t("resetDone") : null} />
      <input type="hidden" name="id" value={accountId} />
      <div className="admin-grid" key={form.key}>
        <Field form={form} name="password" label={t("newPassword")} hint={t("resetHint")}>
          {(control) => <input {...control} type="password" autoComplete="new-password" minLength={10} maxLength={128} required />}
        </Field>
      </div>
      <button type="submit" className="primary" disabled={form.pending}>
        {t("reset")}
      </button>
    </form>
  );
}

/** Deleting asks once more, naming the account, before it sends anything. */
export function DeleteAccountForm({ account }: { account: { id: string; email: string } }) {
  const t = useTranslations("admin.users");
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const form = useAdminForm(async (previous: Parameters<typeof deleteAccountAction>[0], data: FormData) => {
    const result = await deleteAccountAction(previous, data);
    if (result.ok) router.push(`/admin/users?deleted=${encodeURIComponent(result.data.email)}`);
    return result;
  });
  return (
    <form {...form.formProps} className="admin-form danger" data-testid="delete-account">
      <FormStatus form={form} done={null} />
      <input type="hidden" name="id" value={account.id} />
      {!asking ? (
        <button type="button" className="danger-button" onClick={() => setAsking(true)}>
          {t("delete")}
        </button>
      ) : (
        <div className="confirm-box" role="group" aria-labelledby={`${form.prefix}-ask`}>
          <p id={`${form.prefix}-ask`}>{t("deleteAsk", { email: account.email })}</p>
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" className="danger-button" disabled={form.pending}>
            {t("deleteConfirm")}
          </button>
          <button type="button" onClick={() => setAsking(false)}>
            {t("cancel")}
          </button>
        </div>
      )}
    </form>
  );
}
