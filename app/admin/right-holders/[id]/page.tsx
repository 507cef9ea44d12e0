import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { AdminNav } from "@/components/admin/AdminNav";
import { EditHolderForm, MergeForm } from "@/components/admin/HolderForms";
import { getHolderForAdmin, listHoldersForAdmin } from "@/db/repo/admin";
import { industries, type Locale } from "@/lib/enums";
import { formatCount } from "@/lib/format";
import { requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.holders"))("editTitle") };
}

export default async function AdminHolderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePageUser("write", `/admin/right-holders/${id}`);
  const t = await getTranslations("admin.holders");
  const locale = (await getLocale()) as Locale;
  const holder = /^\d{1,9}$/.test(id) ? await getHolderForAdmin(Number(id)) : null;
  if (!holder) notFound();
  const industryOptions = industries.values.map((value) => ({ value, label: industries.label(value, locale) }));
  const all = await listHoldersForAdmin();
  return (
    <>
      <AdminNav current="holders" />
      <p className="ref-back">
        <Link href="/admin/right-holders">← {t("back")}</Link>
      </p>
      <h1>{holder.name}</h1>
      <p className="lede">
        {t("facts", { cases: formatCount(holder.cases, locale), members: formatCount(holder.members, locale) })}{" "}
        <Link href={`/right-holders/${holder.id}`}>{t("publicPage")}</Link>
      </p>
      <div className="admin-columns">
        <section className="panel" aria-labelledby="edit-holder-title">
          <h2 id="edit-holder-title">{t("editTitle")}</h2>
          <EditHolderForm holder={holder} industries={industryOptions} />
        </section>
        <section className="panel" aria-labelledby="merge-title">
          <h2 id="merge-title">{t("merge.title")}</h2>
          <p className="muted">{t("merge.text")}</p>
          <MergeForm holders={all.map((h) => ({ id: h.id, name: h.name, nameZh: h.nameZh, cases: h.cases, members: h.members }))} keepId={String(holder.id)} />
        </section>
      </div>
    </>
  );
}
