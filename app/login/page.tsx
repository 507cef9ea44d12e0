import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { LoginForm } from "@/components/auth/LoginForm";
import { DEMO_ACCOUNTS } from "@/db/repo/accounts";
import { isDemoDatabase } from "@/db/repo/dashboard";
import { roles, type Locale } from "@/lib/enums";
import { safeNext } from "@/lib/roles";
import { currentUser } from "../session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth");
  return { title: t("title") };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const t = await getTranslations("auth");
  const locale = (await getLocale()) as Locale;
  const query = await searchParams;
  const raw = query.next;
  const tr = await getTranslations("resetMail");
  const next = safeNext(Array.isArray(raw) ? raw[0] : raw);
  if (await currentUser()) redirect(next);
  // the demo accounts are listed only where they exist: in the generated demo database
  const demo = (await isDemoDatabase())
    ? DEMO_ACCOUNTS.map((a) => ({ email: a.email, role: roles.label(a.role, locale) }))
    : [];
  return (
    <div className="login-page">
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede")}</p>
      {query.reset === "1" && (
        <p className="form-ok" role="status" data-testid="reset-done">
          {tr("done")}
        </p>
      )}
      <LoginForm next={next} demoAccounts={demo} />
      <p className="login-forgot">
        <Link href="/login/forgot">{tr("forgotLink")}</Link>
      </p>
    </div>
  );
}
