import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { PasswordForm } from "@/components/auth/PasswordForm";
import { roles, type Locale } from "@/lib/enums";
import { requirePageUser } from "../session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("auth.password2"))("title") };
}

export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const changed = (await searchParams).changed === "1";
  const user = await requirePageUser("readAggregates", "/account");
  const t = await getTranslations("auth");
  const locale = (await getLocale()) as Locale;
  return (
    <div className="login-page">
      <h1>{t("password2.title")}</h1>
      <p className="lede">{t("signedInAs", { email: user.email, role: roles.label(user.role, locale) })}</p>
      {changed && (
        <p role="status" className="form-ok">
          {t("password2.saved")}
        </p>
      )}
      <PasswordForm />
    </div>
  );
}
