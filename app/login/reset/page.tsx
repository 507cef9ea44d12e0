import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ResetForm } from "@/components/auth/ResetForm";
import { resetLinkInfo } from "@/db/repo/account-mail";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("resetMail"))("resetTitle") };
}

/** A reset or invitation link's page: the new password's form while the link is good, else why not. */
export default async function ResetPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const t = await getTranslations("resetMail");
  const raw = (await searchParams).token;
  const token = typeof raw === "string" ? raw : "";
  const link = token ? await resetLinkInfo(token) : { valid: false, invitation: false };
  if (!link.valid) {
    return (
      <div className="login-page">
        <h1>{t("resetTitle")}</h1>
        <p className="form-error" role="alert" data-testid="link-invalid">
          {t("linkInvalid")}
        </p>
        <p>
          <Link href="/login/forgot">{t("askAgain")}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="login-page">
      <h1>{link.invitation ? t("invitationTitle") : t("resetTitle")}</h1>
      <p className="lede">{link.invitation ? t("invitationLede", { email: link.email ?? "" }) : t("resetLede", { email: link.email ?? "" })}</p>
      <ResetForm token={token} email={link.email ?? ""} invitation={link.invitation} />
    </div>
  );
}
