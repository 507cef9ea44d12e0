import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { CreateRecordationForm } from "@/components/recordations/RecordationForms";
import { recordationHolderChoices } from "@/db/repo/recordations";
import { infringementTypes, type Locale } from "@/lib/enums";
import { requirePageReader } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("recordations"))("createTitle") };
}

export default async function NewRecordationPage() {
  const { user, scope } = await requirePageReader("keepRecordations", "/recordations/new");
  const t = await getTranslations("recordations");
  const locale = (await getLocale()) as Locale;
  const holders = await recordationHolderChoices(scope);
  const member = user.role === "member";
  const kinds = infringementTypes.values.map((value) => ({ value, label: infringementTypes.label(value, locale) }));
  return (
    <>
      <p className="ref-back">
        <Link href="/recordations">{t("back")}</Link>
      </p>
      <h1>{t("createTitle")}</h1>
      <p className="lede">{member ? t("createLedeMember") : t("createLede")}</p>
      <section className="panel">
        <CreateRecordationForm
          holders={member ? null : holders.map((h) => ({ value: String(h.id), label: h.name }))}
          kinds={kinds}
          ownHolder={member ? (holders[0]?.name ?? "—") : null}
        />
      </section>
    </>
  );
}
