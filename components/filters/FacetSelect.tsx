"use client";

import { useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { formatCount } from "@/lib/format";
import type { Locale } from "@/lib/enums";
import { useExplorerNavigation } from "./ExplorerNavigation";

export type FacetOption = { value: string; label: string; count: number | null };

/** A multi-select with counts: a native disclosure, so it opens with Enter or Space. */
export function FacetSelect({ name, label, options, selected, searchable = false }: {
  name: string;
  label: string;
  options: FacetOption[];
  selected: string[];
  searchable?: boolean;
}) {
  const t = useTranslations("cases.facets");
  const locale = useLocale() as Locale;
  const { navigate } = useExplorerNavigation();
  const [needle, setNeedle] = useState("");
  // the box ticks at once; the server's answer then confirms it
  const [checked, setChecked] = useState(selected);
  useEffect(() => setChecked(selected), [selected]);
  const id = useId();
  // the options are drawn once the disclosure opens: a page carries hundreds of them (right
  // holders, offices), which would otherwise be rendered into every page's HTML
  const [open, setOpen] = useState(false);
  // a panel that would run off the right edge (a facet at the end of its row) opens leftwards
  const panel = useRef<HTMLDivElement>(null);
  const [leftwards, setLeftwards] = useState(false);
  useLayoutEffect(() => {
    if (!open || !panel.current) return;
    const { right } = panel.current.getBoundingClientRect();
    if (right > document.documentElement.clientWidth) setLeftwards(true);
  }, [open]);
  const shown = needle
    ? options.filter((o) => `${o.label} ${o.value}`.toLowerCase().includes(needle.toLowerCase()))
    : options;

  const toggle = (value: string, on: boolean) => {
    setChecked((old) => (on ? [...old.filter((v) => v !== value), value] : old.filter((v) => v !== value)));
    navigate((params) => {
      const values = params.getAll(name).filter((v) => v !== value);
      if (on) values.push(value);
      params.delete(name);
      for (const v of values) params.append(name, v);
    });
  };

  return (
    <details
      className="facet"
      data-facet={name}
      onToggle={(e) => {
        setOpen(e.currentTarget.open);
        if (!e.currentTarget.open) setLeftwards(false);
      }}
    >
      <summary>
        {label}
        {selected.length > 0 && <span className="facet-badge">{t("selected", { count: selected.length })}</span>}
      </summary>
      {open && (
        <div ref={panel} className={leftwards ? "facet-panel facet-panel-leftwards" : "facet-panel"} role="group" aria-label={label}>
          {searchable && (
            <input
              type="search"
              className="facet-search"
              aria-label={`${t("filterOptions")}: ${label}`}
              value={needle}
              onChange={(e) => setNeedle(e.target.value)}
            />
          )}
          {shown.length === 0 && <p className="muted">{t("noOptions")}</p>}
          <ul>
            {shown.map((o) => {
              const inputId = `${id}-${o.value}`;
              return (
                <li key={o.value}>
                  <input
                    id={inputId}
                    type="checkbox"
                    checked={checked.includes(o.value)}
                    onChange={(e) => toggle(o.value, e.target.checked)}
                  />
                  <label htmlFor={inputId}>
                    <span>{o.label}</span>
                    {o.count !== null && <span className="facet-count">{formatCount(o.count, locale)}</span>}
                  </label>
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </details>
  );
}
