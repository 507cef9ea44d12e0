import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminNav } from "@/components/admin/AdminNav";
import { TokenTable } from "@/components/tokens/TokenTable";
import { allTokens } from "@/db/repo/tokens";
import { requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("tokens"))("adminTitle") };
}

/** Every personal API token of every account, with its owner; an admin may revoke any. */
export default async function AdminTokensPage() {
  await requirePageUser("write", "/admin/tokens");
  const t = await getTranslations("tokens");
  const rows = await allTokens();
  return (
    <>
      <AdminNav current="tokens" />
      <h1>{t("adminTitle")}</h1>
      <p className="lede">{t("adminLede")}</p>
      <TokenTable rows={rows} admin />
    </>
  );
}
