import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { EditRecordationForm } from "@/components/recordations/RecordationForms";
import { getRecordation, recordationHolderChoices } from "@/db/repo/recordations";
import { infringementTypes, type Locale } from "@/lib/enums";
import { requirePageReader } from "@/app/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("recordations"))("editTitle") };
}

export default async function EditRecordationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { scope } = await requirePageReader("write", `/recordations/${id}/edit`);
  const r = /^\d{1,15}$/.test(id) ? await getRecordation(scope, Number(id)) : null;
  if (!r) notFound();
  const t = await getTranslations("recordations");
  const locale = (await getLocale()) as Locale;
  const holders = await recordationHolderChoices(scope);
  const kinds = infringementTypes.values.map((value) => ({ value, label: infringementTypes.label(value, locale) }));
  return (
    <>
      <p className="ref-back">
        <Link href={`/recordations/${r.id}`}>{t("backTo", { number: r.number })}</Link>
      </p>
      <h1>{t("editTitle")}</h1>
      <section className="panel">
        <EditRecordationForm
          id={r.id}
          version={r.version}
          holders={holders.map((h) => ({ value: String(h.id), label: h.name }))}
          kinds={kinds}
          r={{
            number: r.number, holderId: r.holderId, kind: r.kind, rightNo: r.rightNo, titleEn: r.titleEn, titleZh: r.titleZh,
            classes: r.classes, validFrom: r.validFrom, validTo: r.validTo,
            licensees: r.parties.filter((p) => p.kind === "licensee").map((p) => p.name),
            consignors: r.parties.filter((p) => p.kind === "consignor").map((p) => p.name),
          }}
        />
      </section>
    </>
  );
}
