import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ForgotForm } from "@/components/auth/ForgotForm";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("resetMail"))("forgotTitle") };
}

/** Asking for a password reset link (public: the answer is the same for any address). */
export default async function ForgotPage() {
  const t = await getTranslations("resetMail");
  return (
    <div className="login-page">
      <h1>{t("forgotTitle")}</h1>
      <p className="lede">{t("forgotLede")}</p>
      <ForgotForm />
    </div>
  );
}
