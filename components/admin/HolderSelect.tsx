"use client";

import { useMemo, useState } from "react";
import { useLocale, useTranslations } from "next-intl";

export type HolderChoice = { id: number; name: string; nameZh: string | null; cases?: number };

const fold = (s: string) => s.normalize("NFKC").toLocaleLowerCase();

/**
 * One right holder chosen in a select with a filter box above it (the admin's account and
 * merge forms): hundreds of names are too many to scroll. The chosen holder stays in the list
 * whatever the filter. (The case form's several-holder search with chips is forms/HolderPicker.)
 */
export function HolderSelect({
  control, holders, defaultValue, emptyLabel, onChange,
}: {
  control: { id: string; name: string; "aria-invalid"?: true; "aria-describedby"?: string };
  holders: HolderChoice[];
  defaultValue: string;
  /** the label of the "none chosen" option */
  emptyLabel: string;
  onChange?: (value: string) => void;
}) {
  const t = useTranslations("admin.picker");
  const locale = useLocale();
  const [query, setQuery] = useState("");
  const [value, setValue] = useState(defaultValue);
  const label = (h: HolderChoice) => {
    const name = locale === "zh" && h.nameZh ? `${h.nameZh}（${h.name}）` : h.nameZh ? `${h.name} (${h.nameZh})` : h.name;
    return h.cases === undefined ? name : t("withCases", { name, cases: h.cases });
  };
  const shown = useMemo(() => {
    const q = fold(query.trim());
    if (!q) return holders;
    return holders.filter((h) => String(h.id) === value || fold(h.name).includes(q) || (h.nameZh !== null && fold(h.nameZh).includes(q)));
  }, [holders, query, value]);
  return (
    <div className="holder-select">
      <input
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder={t("filter")}
        aria-label={t("filterLabel")}
        aria-controls={control.id}
      />
      <select
        {...control}
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          onChange?.(e.target.value);
        }}
      >
        <option value="">{emptyLabel}</option>
        {shown.map((h) => (
          <option key={h.id} value={h.id}>
            {label(h)}
          </option>
        ))}
      </select>
      {query && <span className="admin-hint">{t("shown", { shown: shown.length, total: holders.length })}</span>}
    </div>
  );
}
