"use client";

import Link from "next/link";
import { useId, useMemo, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import type { Locale } from "@/lib/enums";
import { intlLocaleOf } from "@/lib/format";

// The right holders with their figures, all rendered by the server; this component only
// narrows the rows by name as the user types and re-sorts them by a clicked column.

export type HolderRow = {
  id: number;
  /** the name to show first, in the reader's language where there is one */
  primary: string;
  primaryLang: string;
  secondary: string | null;
  secondaryLang: string;
  href: string;
  industry: string;
  country: string;
  qbpcMember: boolean;
  cases: number;
  pieces: number;
  valueFen: number;
  casesText: string;
  piecesText: string;
  valueText: string;
  /** the cases behind the figures; null when there are none */
  casesHref: string | null;
};

type SortKey = "name" | "industry" | "country" | "qbpc" | "cases" | "pieces" | "value";
type Sort = { key: SortKey; dir: "asc" | "desc" };
const NUMERIC: SortKey[] = ["cases", "pieces", "value"];

/** Lower case without spaces, so "louis v" finds "Louis Vuitton" and "路易" finds "路易威登". */
const fold = (s: string) => s.toLocaleLowerCase().replace(/\s+/g, " ").trim();

export function HolderTable({ rows }: { rows: HolderRow[] }) {
  const t = useTranslations("reference.holders");
  const s = useTranslations("cases.table");
  const locale = useLocale() as Locale;
  const pageLang = intlLocaleOf(locale);
  const [needle, setNeedle] = useState("");
  const [sort, setSort] = useState<Sort>({ key: "cases", dir: "desc" });
  const countId = useId();

  const collator = useMemo(() => new Intl.Collator(intlLocaleOf(locale)), [locale]);
  const sorted = useMemo(() => {
    const byName = (a: HolderRow, b: HolderRow) => collator.compare(a.primary, b.primary);
    const value = (r: HolderRow): number | string | boolean => {
      switch (sort.key) {
        case "name": return r.primary;
        case "industry": return r.industry;
        case "country": return r.country;
        case "qbpc": return r.qbpcMember;
        case "cases": return r.cases;
        case "pieces": return r.pieces;
        case "value": return r.valueFen;
      }
    };
    const sign = sort.dir === "asc" ? 1 : -1;
    return [...rows].sort((a, b) => {
      const va = value(a), vb = value(b);
      const c = typeof va === "string" ? collator.compare(va, vb as string) : Number(va) - Number(vb);
      return sign * c || byName(a, b);
    });
  }, [rows, sort, collator]);

  const query = fold(needle);
  const shown = query
    ? sorted.filter((r) => fold(r.primary).includes(query) || (r.secondary !== null && fold(r.secondary).includes(query)))
    : sorted;

  const header = (key: SortKey, label: string, numeric = false) => {
    const active = sort.key === key;
    return (
      <th key={key} scope="col" className={numeric ? "num" : undefined} aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : undefined} data-column={key}>
        <button
          type="button"
          className="sort-button"
          onClick={() =>
            setSort((old) => (old.key === key ? { key, dir: old.dir === "asc" ? "desc" : "asc" } : { key, dir: NUMERIC.includes(key) ? "desc" : "asc" }))
          }
        >
          {label}
          <span aria-hidden="true" className="sort-mark">
            {active ? (sort.dir === "asc" ? "▲" : "▼") : "↕"}
          </span>
        </button>
      </th>
    );
  };

  const columnLabel: Record<SortKey, string> = {
    name: t("name"), industry: t("industry"), country: t("country"), qbpc: t("qbpc"), cases: t("cases"), pieces: t("pieces"), value: t("value"),
  };
  const figure = (text: string, href: string | null) => (href ? <Link href={href}>{text}</Link> : text);

  return (
    <div className="ref-holders">
      <div className="ref-search">
        <label className="ref-search-field">
          <span className="visually-hidden">{t("searchLabel")}</span>
          <input
            type="search"
            value={needle}
            placeholder={t("searchPlaceholder")}
            autoComplete="off"
            aria-describedby={countId}
            onChange={(e) => setNeedle(e.target.value)}
            data-testid="holder-search"
          />
        </label>
        <p id={countId} className="ref-count" role="status" aria-live="polite" data-testid="holder-count">
          {t("shown", { shown: shown.length, total: rows.length })}
        </p>
      </div>
      <div className="table-scroll">
        <table className="data-table ref-table" data-testid="holders-table">
          <caption className="visually-hidden">
            {t("caption")} {t("sortedBy", { column: columnLabel[sort.key], dir: sort.dir === "asc" ? s("sortAsc") : s("sortDesc") })}
          </caption>
          <thead>
            <tr>
              {(Object.keys(columnLabel) as SortKey[]).map((key) => header(key, columnLabel[key], NUMERIC.includes(key)))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id} data-holder={r.id}>
                <th scope="row">
                  <Link href={r.href} lang={r.primaryLang !== pageLang ? r.primaryLang : undefined}>
                    {r.primary}
                  </Link>
                  {r.secondary && (
                    <span className="ref-alt" lang={r.secondaryLang}>
                      {r.secondary}
                    </span>
                  )}
                </th>
                <td>{r.industry}</td>
                <td>{r.country}</td>
                <td>{r.qbpcMember ? t("yes") : t("no")}</td>
                <td className="num" data-figure="cases">{figure(r.casesText, r.casesHref)}</td>
                <td className="num" data-figure="pieces">{figure(r.piecesText, r.casesHref)}</td>
                <td className="num" data-figure="value">{figure(r.valueText, r.casesHref)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length === 0 && (
        <p className="empty-state" data-testid="holders-empty">
          {t("noMatch", { query: needle.trim() })}
        </p>
      )}
    </div>
  );
}
