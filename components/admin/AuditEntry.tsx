import Link from "next/link";
import type { AuditNames, AuditRow } from "@/db/repo/audit";
import {
  attachmentKinds, guideFeatures, guideSharings, bondKinds, caseStatuses, channels, determinations, directions, disposals, goodsCategories, digestFrequencies, holderAnswers, industries,
  infringementTypes, procedureSteps, protectionModes, provinceLabel, recordationApprovals, recordationPartyKinds, releaseGrounds, roles,
  transports, partyKinds, ports, type Locale,
} from "@/lib/enums";
import { countryName } from "@/lib/countries";
import { formatCount, formatDate, formatMoney, latinLang } from "@/lib/format";
import { shanghaiDateTime } from "./format";

// How an audit entry reads: the record it is about (a link while it exists) and, field by
// field, the value before → the value after, in words: labels of enumerations, names for ids,
// money in yuan, moments in China's time.

export type Translate = { (key: string, values?: Record<string, string | number>): string; has(key: string): boolean };

type EnumLike = { is(v: unknown): boolean; label(v: never, l: Locale): string };
const ENUMS: Record<string, EnumLike> = {
  infringementType: infringementTypes, goodsCategory: goodsCategories, direction: directions, channel: channels,
  transport: transports, protectionMode: protectionModes, status: caseStatuses, disposal: disposals, industry: industries, role: roles,
  frequency: digestFrequencies,
  // parties and route (issue 18)
  port: ports, consignorKind: partyKinds, consigneeKind: partyKinds, declarantKind: partyKinds,
};
/** Fields whose enumeration depends on the record: a recordation's kind is a kind of right, a
 *  case file's kind a kind of document, and a procedure step's facts (a case entry's `step`) have their own. */
const RECORD_ENUMS: Record<string, Record<string, EnumLike>> = {
  recordation: { kind: infringementTypes, status: recordationApprovals },
  attachment: { kind: attachmentKinds },
  guide: { sharing: guideSharings, feature: guideFeatures },
  step: { kind: procedureSteps, answer: holderAnswers, bondKind: bondKinds, decision: determinations, ground: releaseGrounds, disposal: disposals },
};
/** Calendar dates ('YYYY-MM-DD') and instants (ISO strings) among the fields. */
const DATE_FIELDS = new Set(["seizedOn", "servedOn", "validFrom", "validTo"]);
const MONEY_FIELDS = new Set(["valueFen", "penaltyFen", "bondFen", "fineFen"]);

const asObject = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The fields whose values differ, in the order they first appear. */
export function changedFields(before: unknown, after: unknown): { field: string; before: unknown; after: unknown }[] {
  const b = asObject(before);
  const a = asObject(after);
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((f) => JSON.stringify(b[f]) !== JSON.stringify(a[f]))
    .map((f) => ({ field: f, before: b[f], after: a[f] }));
}

export type AuditFormat = { t: Translate; locale: Locale; names: AuditNames };
/** Where a value sits: the record's kind (entity), or "step" inside a case entry's procedure step. */
type Within = string | undefined;

function fieldLabel(field: string, t: Translate): string {
  return t.has(`fields.${field}`) ? t(`fields.${field}`) : field;
}

function valueText(field: string, value: unknown, f: AuditFormat, within?: Within): string {
  const { t, locale, names } = f;
  if (value === undefined || value === null || value === "") return "—";
  if (typeof value === "boolean") return value ? t("yes") : t("no");
  if (Array.isArray(value)) {
    if (!value.length) return "—";
    if (field === "rightHolderIds") return value.map((id) => valueText("holderId", id, f)).join(", ");
    if (field === "parties") return value.map((p) => partyText(p, locale)).join(locale === "zh" ? "；" : "; ");
    // a guide's goods categories in words; its markers by their labels (data)
    if (field === "categories") return value.map((v) => (goodsCategories.is(v) ? goodsCategories.label(v as never, locale) : String(v))).join(locale === "zh" ? "、" : ", ");
    if (field === "markers") return value.map((m) => String(asObject(m).label ?? "")).join("; ");
    return value.map((v) => valueText("", v, f)).join(", ");
  }
  if (typeof value === "object") {
    return objectParts(field, value as Record<string, unknown>, f)
      .map((p) => `${p.label}: ${p.text}`)
      .join("; ");
  }
  if (typeof value === "number") {
    if (field.endsWith("At")) return shanghaiDateTime(value, locale);
    if (MONEY_FIELDS.has(field)) return formatMoney(value, locale);
    if (field === "officeId" || field === "districtId") {
      const o = names.offices.get(value);
      return o ? `${locale === "zh" ? o.nameZh : o.nameEn} (${o.code})` : `#${value}`;
    }
    if (field === "holderId") {
      const h = names.holders.get(value);
      return h ? (locale === "zh" && h.nameZh ? h.nameZh : h.name) : `#${value}`;
    }
    if (field === "campaignId") {
      const c = names.campaigns.get(value);
      return c ? (locale === "zh" ? c.nameZh : c.nameEn) : `#${value}`;
    }
    if (field === "id" || field === "version" || field === "caseId") return String(value);
    return formatCount(value, locale);
  }
  if (DATE_FIELDS.has(field) && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value, locale);
  if ((field === "at" || field.endsWith("At")) && typeof value === "string" && !Number.isNaN(Date.parse(value))) return shanghaiDateTime(Date.parse(value), locale);
  if ((field === "originCountry" || field === "destinationCountry" || field === "country") && typeof value === "string") return countryName(value, locale);
  if (field === "province" && typeof value === "string") return provinceLabel(value, locale);
  if (field === "password" && value === "reset") return t("passwordReset");
  const e = (within ? RECORD_ENUMS[within]?.[field] : undefined) ?? ENUMS[field];
  if (e && e.is(value)) return e.label(value as never, locale);
  const text = String(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** A recordation's party as audited ("licensee: name"): its kind in words, its name as written. */
function partyText(party: unknown, locale: Locale): string {
  const text = String(party);
  const at = text.indexOf(": ");
  const kind = at > 0 ? text.slice(0, at) : "";
  if (!recordationPartyKinds.is(kind)) return text;
  return `${recordationPartyKinds.label(kind, locale)}${locale === "zh" ? "：" : ": "}${text.slice(at + 2)}`;
}

/** An object's fields (a case entry's procedure step), each labelled and in words. */
function objectParts(field: string, value: Record<string, unknown>, f: AuditFormat): { key: string; label: string; text: string }[] {
  const within = field === "step" ? "step" : undefined;
  return Object.entries(value).map(([k, v]) => ({ key: k, label: fieldLabel(k, f.t), text: valueText(k, v, f, within) }));
}

/** A value before or after; English free text (a goods description, a note, a document number)
 *  is marked as English, field by field inside an object such as a procedure step. */
function Value({ tag: Tag, field, value, format, within }: { tag: "del" | "ins"; field: string; value: unknown; format: AuditFormat; within: Within }) {
  const className = Tag === "del" ? "audit-before" : "audit-after";
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const parts = objectParts(field, value as Record<string, unknown>, format);
    return (
      <Tag className={className}>
        {parts.map((p, i) => (
          <span key={p.key}>
            {i > 0 && "; "}
            {p.label}{format.locale === "zh" ? "：" : ": "}<span lang={latinLang(p.text)}>{p.text}</span>
          </span>
        ))}
      </Tag>
    );
  }
  const text = valueText(field, value, format, within);
  return <Tag className={className} lang={latinLang(text)}>{text}</Tag>;
}

export function AuditChanges({ row, format }: { row: AuditRow; format: AuditFormat }) {
  const changes = changedFields(row.before, row.after);
  if (!changes.length) return <span className="muted">—</span>;
  return (
    <dl className="audit-changes">
      {changes.map((c) => (
        <div key={c.field}>
          <dt>{fieldLabel(c.field, format.t)}</dt>
          <dd>
            {row.before !== null && <Value tag="del" field={c.field} value={c.before} format={format} within={row.entity} />}
            {row.before !== null && row.after !== null && <span aria-hidden="true"> → </span>}
            {row.after !== null && <Value tag="ins" field={c.field} value={c.after} format={format} within={row.entity} />}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function AuditRecord({ row, t }: { row: AuditRow; t: Translate }) {
  const kind = t.has(`entities.${row.entity}`) ? t(`entities.${row.entity}`) : row.entity;
  const b = asObject(row.before);
  const a = asObject(row.after);
  let what: React.ReactNode = `#${row.entityId}`;
  if (row.entity === "case") {
    what = <Link href={`/cases/${row.entityId}`}>{row.caseNo ?? `#${row.entityId}`}</Link>;
  } else if (row.entity === "right_holder") {
    what = row.holderName !== null
      ? <Link href={`/admin/right-holders/${row.entityId}`}>{row.holderName}</Link>
      // a right holder merged away or deleted: the name it had (data, marked English when Latin)
      : <span lang={latinLang(String(a.name ?? b.name ?? ""))}>{`${String(a.name ?? b.name ?? "")} #${row.entityId}`.trim()}</span>;
  } else if (row.entity === "customs_office") {
    what = row.officeCode !== null ? <Link href={`/admin/offices/${row.entityId}`}>{row.officeCode}</Link> : String(a.code ?? b.code ?? `#${row.entityId}`);
  } else if (row.entity === "recordation") {
    what = <Link href={`/recordations/${row.entityId}`}>{String(a.number ?? b.number ?? `#${row.entityId}`)}</Link>;
  } else if (row.entity === "user") {
    what = String(a.email ?? b.email ?? `#${row.entityId}`);
  } else if (row.entity === "attachment") {
    // a case's file: its name, on the case it belongs (belonged) to
    const caseId = Number(a.caseId ?? b.caseId);
    // (a file's name is data, marked English when it is Latin)
    const name = <span lang={latinLang(String(a.fileName ?? b.fileName ?? ""))}>{String(a.fileName ?? b.fileName ?? `#${row.entityId}`)}</span>;
    what = Number.isSafeInteger(caseId) && caseId > 0 ? <Link href={`/cases/${caseId}`}>{name}</Link> : name;
  } else if (row.entity === "risk_profile") {
    // a risk profile (staff only, like the audit log): its name, data in any language
    what = <Link href={`/risk/profiles/${row.entityId}`}><span data-crawl-skip="">{String(a.name ?? b.name ?? `#${row.entityId}`)}</span></Link>;
  } else if (row.entity === "subscription") {
    // a digest subscription: the name of its view (data in any language)
    what = <span lang={latinLang(String(a.view ?? b.view ?? ""))}>{String(a.view ?? b.view ?? `#${row.entityId}`)}</span>;
  } else if (row.entity === "guide") {
    // an authentication guide: its title as written (data, marked English when Latin)
    const title = String(a.titleEn ?? b.titleEn ?? "");
    what = <Link href={`/guides/${row.entityId}`}>{title ? <span lang={latinLang(title)}>{title}</span> : `#${row.entityId}`}</Link>;
  } else if (row.entity === "watch_list") {
    // the admin's watch-list rule (issue 18, item 2)
    what = "";
  } else if (row.entity === "party_ids") {
    // the erasure of natural persons' identity numbers (PIPL): how many, never a number
    what = "";
  } else if (row.entity === "api_token") {
    // a personal API token: its name and its visible first characters (never the token)
    // (the name is data in any language: the Chinese crawl skips it)
    what = (
      <Link href="/admin/tokens">
        <span data-crawl-skip="">{String(a.name ?? b.name ?? `#${row.entityId}`)}</span> <code>{String(a.prefix ?? b.prefix ?? "")}…</code>
      </Link>
    );
  }
  return (
    <>
      <span className="audit-kind">{kind}</span> {what}
    </>
  );
}
