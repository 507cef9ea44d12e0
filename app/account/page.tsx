import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { PasswordForm } from "@/components/auth/PasswordForm";
import { CreateTokenForm } from "@/components/tokens/TokenForms";
import { TokenTable } from "@/components/tokens/TokenTable";
import { DEFAULT_TOKEN_DAYS, TOKEN_DAYS, TOKEN_NAME_MAX, myTokens } from "@/db/repo/tokens";
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
  const tt = await getTranslations("tokens");
  const tokens = await myTokens(user.id);
  return (
    <>
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
    <section className="tokens-section" aria-labelledby="tokens-title" data-testid="tokens-section">
      <h2 id="tokens-title">{tt("title")}</h2>
      <p className="lede">{tt("lede")}</p>
      <CreateTokenForm days={TOKEN_DAYS} defaultDays={DEFAULT_TOKEN_DAYS} maxName={TOKEN_NAME_MAX} />
      <TokenTable rows={tokens} />
    </section>
    </>
  );
}
