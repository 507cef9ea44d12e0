import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { CaseForm } from "@/components/forms/CaseForm";
import { userLabels } from "@/db/repo/accounts";
import { caseFormChoices, getCaseForEdit, type CaseForEdit } from "@/db/repo/cases";
import { caseToFormValues, todayInShanghai } from "@/lib/case-schema";
import type { Locale } from "@/lib/enums";
import { metadataUser, requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

async function load(id: string): Promise<CaseForEdit | null> {
  return /^\d{1,15}$/.test(id) ? getCaseForEdit(Number(id)) : null;
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const t = await getTranslations("forms");
  const tc = await getTranslations("case");
  // the session and role first: nothing is loaded for whom the page would not serve
  const found = (await metadataUser("write")) ? await load((await params).id) : null;
  return { title: found ? t("editTitle", { caseNo: found.caseNo }) : tc("notFound") };
}

export default async function EditCasePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePageUser("write", `/cases/${id}/edit`);
  const found = await load(id);
  if (!found) notFound();
  const t = await getTranslations("forms");
  const tc = await getTranslations("case");
  const locale = (await getLocale()) as Locale;
  const { version, updatedBy, updatedAt, ...input } = found;
  const who = updatedBy ? ((await userLabels([updatedBy])).get(updatedBy) ?? updatedBy) : tc("system");
  const at = new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(new Date(updatedAt));
  return (
    <div className="case-form-page">
      <p>
        <Link href={`/cases/${id}`}>← {tc("title", { caseNo: found.caseNo })}</Link>
      </p>
      <h1>{t("editTitle", { caseNo: found.caseNo })}</h1>
      <p className="lede" data-testid="edit-version">
        {t("editLede", { version, user: who, at })}
      </p>
      <CaseForm
        mode="edit"
        caseId={Number(id)}
        version={version}
        initial={caseToFormValues(input)}
        choices={await caseFormChoices()}
        today={todayInShanghai()}
        cancelHref={`/cases/${id}`}
      />
    </div>
  );
}
