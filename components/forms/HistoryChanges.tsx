import { getLocale, getTranslations } from "next-intl/server";
import type { HistoryNames } from "@/db/repo/cases";
import {
  caseStatuses, channels, directions, disposals, goodsCategories, infringementTypes, procedureSteps, protectionModes, transports,
  type Locale,
} from "@/lib/enums";
import { formatCount, formatDate, formatMoney, latinLang } from "@/lib/format";
import { countryName } from "@/lib/countries";

// The fields an edit changed, before → after, as the case page lists them under a history entry.

/** The case page's label (messages "case.*") of each field an audit entry can hold. */
const FIELD_LABELS: Record<string, string> = {
  caseNo: "caseNo", officeId: "office", seizedOn: "seizedOn", infringementType: "type", goodsCategory: "category",
  goodsDescription: "goods", pieces: "pieces", valueFen: "value", direction: "direction", channel: "channel",
  transport: "transport", protectionMode: "mode", originCountry: "origin", destinationCountry: "destination",
  campaignId: "campaign", status: "status", disposal: "disposal", hearingHeld: "hearing", referredToPolice: "police",
  penaltyFen: "penalty", notes: "notes", rightHolderIds: "rightHolders", step: "procedureStep",
};
const FIELD_ORDER = Object.keys(FIELD_LABELS);

const ENUMS: Record<string, { is(v: unknown): boolean; label(v: never, l: Locale): string }> = {
  infringementType: infringementTypes, goodsCategory: goodsCategories, direction: directions, channel: channels,
  transport: transports, protectionMode: protectionModes, status: caseStatuses, disposal: disposals,
};

export async function HistoryChanges({ before, after, names }: { before: unknown; after: unknown; names: HistoryNames }) {
  const t = await getTranslations("case");
  const th = await getTranslations("forms.history");
  const locale = (await getLocale()) as Locale;
  const b = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === "object" ? after : {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((f) => f !== "version" && f !== "deletedAt")
    .sort((x, y) => (FIELD_ORDER.indexOf(x) + 1 || 99) - (FIELD_ORDER.indexOf(y) + 1 || 99));
  if (!fields.length) return null;

  const show = (field: string, v: unknown): string => {
    if (v === null || v === undefined || v === "") return th("empty");
    if (typeof v === "boolean") return v ? t("yes") : t("no");
    switch (field) {
      case "step": {
        // a procedure step recorded through the writer: its kind and document number
        const step = v as { kind?: unknown; documentNo?: unknown };
        const kind = procedureSteps.is(step.kind) ? procedureSteps.label(step.kind, locale) : String(step.kind);
        return typeof step.documentNo === "string" && step.documentNo ? `${kind} (${step.documentNo})` : kind;
      }
      case "valueFen":
      case "penaltyFen":
        return typeof v === "number" ? formatMoney(v, locale) : String(v);
      case "pieces":
        return typeof v === "number" ? formatCount(v, locale) : String(v);
      case "originCountry":
      case "destinationCountry":
        return countryName(String(v), locale);
      case "seizedOn":
        return formatDate(String(v), locale);
      case "officeId": {
        const o = names.offices.get(Number(v));
        return o ? `${locale === "zh" ? o.nameZh : o.nameEn} (${o.code})` : th("office", { id: String(v) });
      }
      case "campaignId": {
        const c = names.campaigns.get(Number(v));
        return c ? (locale === "zh" ? c.nameZh : c.nameEn) : th("campaign", { id: String(v) });
      }
      case "rightHolderIds":
        return Array.isArray(v)
          ? v.map((id) => {
              const h = names.holders.get(Number(id));
              return h ? (locale === "zh" && h.nameZh ? h.nameZh : h.name) : th("holder", { id: String(id) });
            }).join(", ") || th("empty")
          : String(v);
    }
    const e = ENUMS[field];
    if (e && e.is(v)) return e.label(v as never, locale);
    return String(v);
  };

  return (
    <table className="history-changes">
      <caption className="visually-hidden">{th("changes")}</caption>
      <thead>
        <tr>
          <th scope="col">{th("field")}</th>
          <th scope="col">{th("before")}</th>
          <th scope="col">{th("after")}</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr key={f} data-field={f}>
            <th scope="row">{FIELD_LABELS[f] ? t(FIELD_LABELS[f]) : f}</th>
            {[b[f], a[f]].map((v, i) => {
              const text = show(f, v);
              return <td key={i} lang={f === "goodsDescription" || f === "notes" ? latinLang(text) : undefined}>{text}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
