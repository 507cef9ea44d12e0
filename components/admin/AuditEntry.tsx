import Link from "next/link";
import type { AuditNames, AuditRow } from "@/db/repo/audit";
import {
  caseStatuses, channels, directions, disposals, goodsCategories, industries, infringementTypes, protectionModes, provinceLabel, roles, transports,
  type Locale,
} from "@/lib/enums";
import { countryName } from "@/lib/countries";
import { formatCount, formatDate, formatMoney, latinLang } from "@/lib/format";
import { shanghaiDateTime } from "./format";

// How an audit entry reads: the record it is about (a link while it exists) and, field by
// field, the value before → the value after, in words: labels of enumerations, names for ids,
// money in yuan, moments in China's time.

export type Translate = { (key: string, values?: Record<string, string | number>): string; has(key: string): boolean };

const ENUMS: Record<string, { is(v: unknown): boolean; label(v: never, l: Locale): string }> = {
  infringementType: infringementTypes, goodsCategory: goodsCategories, direction: directions, channel: channels,
  transport: transports, protectionMode: protectionModes, status: caseStatuses, disposal: disposals, industry: industries, role: roles,
};

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

function fieldLabel(field: string, t: Translate): string {
  return t.has(`fields.${field}`) ? t(`fields.${field}`) : field;
}

function valueText(field: string, value: unknown, f: AuditFormat): string {
  const { t, locale, names } = f;
  if (value === undefined || value === null || value === "") return "—";
  if (typeof value === "boolean") return value ? t("yes") : t("no");
  if (Array.isArray(value)) {
    if (!value.length) return "—";
    if (field === "rightHolderIds") return value.map((id) => valueText("holderId", id, f)).join(", ");
    return value.map((v) => valueText("", v, f)).join(", ");
  }
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${fieldLabel(k, t)}: ${valueText(k, v, f)}`)
      .join("; ");
  }
  if (typeof value === "number") {
    if (field.endsWith("At")) return shanghaiDateTime(value, locale);
    if (field === "valueFen" || field === "penaltyFen") return formatMoney(value, locale);
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
    if (field === "id" || field === "version") return String(value);
    return formatCount(value, locale);
  }
  if (field === "seizedOn" && typeof value === "string") return formatDate(value, locale);
  if ((field === "originCountry" || field === "destinationCountry" || field === "country") && typeof value === "string") return countryName(value, locale);
  if (field === "province" && typeof value === "string") return provinceLabel(value, locale);
  if (field === "password" && value === "reset") return t("passwordReset");
  const e = ENUMS[field];
  if (e && e.is(value)) return e.label(value as never, locale);
  const text = String(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** A value before or after; English free text (a goods description, a note) is marked as English. */
function Value({ tag: Tag, text }: { tag: "del" | "ins"; text: string }) {
  return <Tag className={Tag === "del" ? "audit-before" : "audit-after"} lang={latinLang(text)}>{text}</Tag>;
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
            {row.before !== null && <Value tag="del" text={valueText(c.field, c.before, format)} />}
            {row.before !== null && row.after !== null && <span aria-hidden="true"> → </span>}
            {row.after !== null && <Value tag="ins" text={valueText(c.field, c.after, format)} />}
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
      : `${String(a.name ?? b.name ?? "")} #${row.entityId}`.trim();
  } else if (row.entity === "customs_office") {
    what = row.officeCode !== null ? <Link href={`/admin/offices/${row.entityId}`}>{row.officeCode}</Link> : String(a.code ?? b.code ?? `#${row.entityId}`);
  } else if (row.entity === "recordation") {
    what = <Link href={`/recordations/${row.entityId}`}>{String(a.number ?? b.number ?? `#${row.entityId}`)}</Link>;
  } else if (row.entity === "user") {
    what = String(a.email ?? b.email ?? `#${row.entityId}`);
  } else if (row.entity === "attachment") {
    // a case's file: its name, on the case it belongs (belonged) to
    const caseId = Number(a.caseId ?? b.caseId);
    const name = String(a.fileName ?? b.fileName ?? `#${row.entityId}`);
    what = Number.isSafeInteger(caseId) && caseId > 0 ? <Link href={`/cases/${caseId}`}>{name}</Link> : name;
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
