"use client";

import { Suspense, lazy, use, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { formatCount } from "@/lib/format";
import type { Locale } from "@/lib/enums";
import { useExplorerNavigation } from "./ExplorerNavigation";
import type { RouteFilterValues } from "./RoutePanel";

export type FacetOption = { value: string; label: string; count: number | null };

/**
 * A multi-select with counts: a native disclosure, so it opens with Enter or Space. It is drawn
 * at once with the page (its name and how many are chosen come from the URL); its options and
 * counts arrive later, as a promise read when the panel first opens. A change keeps the facet
 * (and the focus on the box used): the page is rendered again around it, not replaced.
 * The panel closes on Escape, on a click outside it, and when the focus leaves it, so that it
 * never stays over the page below.
 */
export function FacetSelect({ name, label, options, selected, searchable = false }: {
  name: string;
  label: string;
  options: Promise<FacetOption[]>;
  selected: string[];
  searchable?: boolean;
}) {
  const t = useTranslations("cases.facets");
  const details = useRef<HTMLDetailsElement>(null);
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

  // a click or tap anywhere outside closes the panel
  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      if (details.current && !details.current.contains(e.target as Node)) details.current.open = false;
    };
    document.addEventListener("pointerdown", outside, true);
    return () => document.removeEventListener("pointerdown", outside, true);
  }, [open]);

  const close = (focusSummary: boolean) => {
    if (!details.current?.open) return;
    details.current.open = false;
    if (focusSummary) details.current.querySelector("summary")?.focus();
  };

  return (
    <details
      ref={details}
      className="facet"
      data-facet={name}
      onToggle={(e) => {
        setOpen(e.currentTarget.open);
        if (!e.currentTarget.open) setLeftwards(false);
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape" && details.current?.open) {
          e.preventDefault();
          e.stopPropagation();
          close(true);
        }
      }}
      onBlur={(e) => {
        // the focus went elsewhere on the page (Tab past the last option, a click outside)
        const next = e.relatedTarget as Node | null;
        if (next && !e.currentTarget.contains(next)) close(false);
      }}
    >
      <summary>
        {label}
        {selected.length > 0 && <span className="facet-badge">{t("selected", { count: selected.length })}</span>}
      </summary>
      {open && (
        <div ref={panel} className={leftwards ? "facet-panel facet-panel-leftwards" : "facet-panel"} role="group" aria-label={label}>
          <Suspense fallback={<p className="muted facet-loading" role="status">{t("loading")}</p>}>
            <FacetOptions name={name} label={label} options={options} selected={selected} searchable={searchable} />
          </Suspense>
        </div>
      )}
    </details>
  );
}

function FacetOptions({ name, label, options: promised, selected, searchable }: {
  name: string;
  label: string;
  options: Promise<FacetOption[]>;
  selected: string[];
  searchable: boolean;
}) {
  const t = useTranslations("cases.facets");
  const locale = useLocale() as Locale;
  const options = use(promised);
  const { navigate } = useExplorerNavigation();
  const [needle, setNeedle] = useState("");
  // the box ticks at once; the server's answer then confirms it
  const [checked, setChecked] = useState(selected);
  useEffect(() => setChecked(selected), [selected]);
  const id = useId();
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
    <>
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
          const on = checked.includes(o.value);
          return (
            <li key={o.value}>
              <input
                id={inputId}
                type="checkbox"
                checked={on}
                onChange={(e) => toggle(o.value, e.target.checked)}
                onKeyDown={(e) => {
                  // Enter ticks as Space does
                  if (e.key === "Enter") {
                    e.preventDefault();
                    toggle(o.value, !on);
                  }
                }}
              />
              <label htmlFor={inputId}>
                <span>{o.label}</span>
                {o.count !== null && <span className="facet-count">{formatCount(o.count, locale)}</span>}
              </label>
            </li>
          );
        })}
      </ul>
    </>
  );
}

// The panel of the bar's "Route and parties" group (issue 18): Facets.tsx draws the disclosure,
// #route-filters, its button and the "loading" line on the server; this mount follows it and,
// once it opens, loads the controls and the country names of both languages as a chunk of their
// own (RoutePanel.tsx). It lives in this module, beside the facets, so that the pages carry no
// module more than before: their JavaScript has a budget (tests/e2e/dashboard-charts.test.ts).
const RoutePanel = lazy(() => import("./RoutePanel"));

export function RouteFilters({ values }: { values: RouteFilterValues }) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const details = document.getElementById("route-filters") as HTMLDetailsElement;
    const follow = () => setOpen(details.open);
    details.addEventListener("toggle", follow);
    follow();
    return () => details.removeEventListener("toggle", follow);
  }, []);
  return (
    open && (
      <Suspense>
        <RoutePanel values={values} />
      </Suspense>
    )
  );
}
