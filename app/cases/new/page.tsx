import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { CaseForm } from "@/components/forms/CaseForm";
import { caseFormChoices } from "@/db/repo/cases";
import { todayInShanghai, type CaseFormValues } from "@/lib/case-schema";
import { requirePageUser } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("forms");
  return { title: t("newTitle") };
}

/** A new case starts with the values nearly every case has (DOMAIN.md: trademark, export, ex officio). */
const BLANK: CaseFormValues = {
  caseNo: "", officeId: "", seizedOn: "", infringementType: "trademark", goodsCategory: "", goodsDescription: "",
  pieces: "", valueYuan: "", direction: "export", channel: "", transport: "", protectionMode: "ex_officio",
  originCountry: "", destinationCountry: "", campaignId: "", status: "detained", disposal: "", hearingHeld: false,
  referredToPolice: false, penaltyYuan: "", notes: "", rightHolderIds: [], recordationIds: [],
};

export default async function NewCasePage() {
  await requirePageUser("write", "/cases/new");
  const t = await getTranslations("forms");
  const tc = await getTranslations("case");
  return (
    <div className="case-form-page">
      <p>
        <Link href="/cases">← {tc("back")}</Link>
      </p>
      <h1>{t("newTitle")}</h1>
      <p className="lede">{t("newLede")}</p>
      <CaseForm mode="create" initial={BLANK} choices={await caseFormChoices()} today={todayInShanghai()} cancelHref="/cases" />
    </div>
  );
}
